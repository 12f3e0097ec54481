package io.pxops.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The one JSON serde of pxops: envelopes to bytes and back, with the one configured {@link
 * ObjectMapper} of the whole product.
 *
 * <p>The mapper writes dates and durations as ISO-8601 strings ({@code "2026-07-02T08:00:25Z"},
 * {@code "PT10M"}), leaves out null fields, and ignores unknown fields when reading, so that a field
 * added later never breaks an older reader. Other modules reuse it through {@link #mapper()} (for
 * state stores, HTTP bodies, status objects) and must not reconfigure it.
 *
 * <p>The wire shape is a flat envelope with the payload nested, the type in the envelope only:
 *
 * <pre>{@code
 * {"eventId":"…","type":"PodEvicted","schemaVersion":1,"opsRequest":"shop/upd-1",
 *  "database":"shop/orders","occurredAt":"2026-07-02T08:00:25Z","causationId":"…",
 *  "payload":{"pod":"orders-2"}}
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class JsonCodec {

  private static final JsonCodec SHARED = new JsonCodec();

  private final ObjectMapper mapper;

  private JsonCodec() {
    this.mapper =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();
  }

  /**
   * The shared codec.
   *
   * @return the one instance
   */
  public static JsonCodec shared() {
    return SHARED;
  }

  /**
   * The configured mapper, for other modules to reuse. Do not reconfigure it.
   *
   * @return the one {@link ObjectMapper} of pxops
   */
  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * Writes an envelope as UTF-8 JSON.
   *
   * @param envelope the message
   * @return the JSON bytes
   * @throws IllegalStateException if the payload cannot be written (a programming error)
   */
  public byte[] encode(Envelope envelope) {
    ObjectNode root = mapper.createObjectNode();
    root.put("eventId", envelope.eventId());
    root.put("type", envelope.type());
    root.put("schemaVersion", envelope.schemaVersion());
    root.put("opsRequest", envelope.opsRequest());
    root.put("database", envelope.database());
    root.put("occurredAt", envelope.occurredAt().toString());
    if (envelope.causationId() != null) {
      root.put("causationId", envelope.causationId());
    }
    root.set("payload", mapper.valueToTree(envelope.payload()));
    try {
      return mapper.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + envelope.type() + " as JSON", e);
    }
  }

  /**
   * Reads an envelope from UTF-8 JSON. Fields it does not know are ignored.
   *
   * @param bytes the JSON bytes
   * @return the envelope
   * @throws InvalidMessageException if the bytes are not a JSON object, an envelope field is missing
   *     or invalid, the type is unknown, or the payload does not fit its type
   */
  public Envelope decode(byte[] bytes) {
    JsonNode root = readTree(bytes);
    String eventId = requiredText(root, "eventId");
    String type = requiredText(root, "type");
    int schemaVersion = requiredInt(root, "schemaVersion");
    String opsRequest = requiredText(root, "opsRequest");
    String database = requiredText(root, "database");
    Instant occurredAt = requiredInstant(root, "occurredAt");
    String causationId = optionalText(root, "causationId");
    JsonNode payloadNode = required(root, "payload");

    Optional<Class<? extends Message>> payloadType = MessageTypes.forName(type);
    if (payloadType.isEmpty()) {
      throw new InvalidMessageException(
          InvalidMessageException.Problem.UNKNOWN_TYPE, "unknown message type \"" + type + "\"", null);
    }
    Message payload = readPayload(payloadNode, payloadType.get(), type);
    try {
      return new Envelope(
          eventId, type, schemaVersion, opsRequest, database, occurredAt, causationId, payload);
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException(
          InvalidMessageException.Problem.INVALID_FIELD,
          "invalid envelope of " + type + ": " + e.getMessage(),
          e);
    }
  }

  private JsonNode readTree(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new InvalidMessageException(
          InvalidMessageException.Problem.NOT_JSON, "not JSON: the record value is empty", null);
    }
    JsonNode root;
    try {
      root = mapper.readTree(bytes);
    } catch (IOException e) {
      throw new InvalidMessageException(
          InvalidMessageException.Problem.NOT_JSON, "not JSON: " + originalMessage(e), e);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidMessageException(
          InvalidMessageException.Problem.NOT_JSON,
          "not a JSON object: found " + (root == null ? "nothing" : root.getNodeType()),
          null);
    }
    return root;
  }

  private Message readPayload(JsonNode payloadNode, Class<? extends Message> type, String name) {
    if (!payloadNode.isObject()) {
      throw new InvalidMessageException(
          InvalidMessageException.Problem.WRONG_PAYLOAD,
          "payload of " + name + " must be a JSON object but is " + payloadNode.getNodeType(),
          null);
    }
    try {
      return mapper.treeToValue(payloadNode, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new InvalidMessageException(
          InvalidMessageException.Problem.WRONG_PAYLOAD,
          "payload does not fit " + name + where(e) + ": " + originalMessage(e),
          e);
    }
  }

  private static JsonNode required(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw new InvalidMessageException(
          InvalidMessageException.Problem.MISSING_FIELD,
          "missing envelope field \"" + field + "\"",
          null);
    }
    return node;
  }

  private static String requiredText(JsonNode root, String field) {
    JsonNode node = required(root, field);
    if (!node.isTextual()) {
      throw invalidField(field, "a string", node);
    }
    return node.textValue();
  }

  private static String optionalText(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw invalidField(field, "a string", node);
    }
    return node.textValue();
  }

  private static int requiredInt(JsonNode root, String field) {
    JsonNode node = required(root, field);
    if (!node.isInt()) {
      throw invalidField(field, "an integer", node);
    }
    return node.intValue();
  }

  private static Instant requiredInstant(JsonNode root, String field) {
    String text = requiredText(root, field);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidMessageException(
          InvalidMessageException.Problem.INVALID_FIELD,
          "envelope field \"" + field + "\" must be an ISO-8601 instant but was \"" + text + "\"",
          e);
    }
  }

  private static InvalidMessageException invalidField(String field, String expected, JsonNode node) {
    return new InvalidMessageException(
        InvalidMessageException.Problem.INVALID_FIELD,
        "envelope field \"" + field + "\" must be " + expected + " but is " + node.getNodeType(),
        null);
  }

  /** " at payload.nodes[0].pod" when Jackson knows where in the payload it failed. */
  private static String where(Exception e) {
    if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
      return "";
    }
    StringBuilder path = new StringBuilder(" at payload");
    for (JsonMappingException.Reference ref : mapping.getPath()) {
      if (ref.getFieldName() != null) {
        path.append('.').append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** Jackson's message without the source location, which only repeats the payload. */
  private static String originalMessage(Exception e) {
    if (e instanceof JsonProcessingException processing) {
      return processing.getOriginalMessage();
    }
    return e.getMessage();
  }
}
