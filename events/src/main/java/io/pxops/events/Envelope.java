package io.pxops.events;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Every message on every pxops topic: the same envelope fields, and the typed payload.
 *
 * <p>On the wire (see {@link JsonCodec}) the envelope is flat, the payload nested under {@code
 * "payload"}, and the type only in the envelope:
 *
 * <pre>{@code
 * {"eventId":"9f0c…","type":"PodEvicted","schemaVersion":1,"opsRequest":"shop/upd-1",
 *  "database":"shop/orders","occurredAt":"2026-07-02T08:00:25Z","causationId":"41d2…",
 *  "payload":{"pod":"orders-2"}}
 * }</pre>
 *
 * @param eventId a UUID (canonical lower- or upper-case text form), unique per message
 * @param type the payload's logical type name (its simple class name, see {@link MessageTypes})
 * @param schemaVersion the schema version of this type, {@link #SCHEMA_VERSION} today
 * @param opsRequest the ops request this message is about, {@code "namespace/name"}
 * @param database the database it concerns, {@code "namespace/name"}; also the Kafka key
 * @param occurredAt when it happened (or was decided)
 * @param causationId the {@code eventId} of the message that caused this one, or {@code null} for
 *     an input from outside
 * @param payload the message itself
 */
public record Envelope(
    String eventId,
    String type,
    int schemaVersion,
    String opsRequest,
    String database,
    Instant occurredAt,
    String causationId,
    Message payload) {

  /** The schema version every message type has today. */
  public static final int SCHEMA_VERSION = 1;

  private static final Pattern UUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /**
   * Validates every field: ids are UUIDs, references are {@code "namespace/name"}, and {@code type}
   * is the payload's logical name.
   */
  public Envelope {
    requireUuid(eventId, "eventId");
    Require.text(type, "type");
    Require.atLeast(schemaVersion, 1, "schemaVersion");
    Require.ref(opsRequest, "opsRequest");
    Require.ref(database, "database");
    Require.present(occurredAt, "occurredAt");
    if (causationId != null) {
      requireUuid(causationId, "causationId");
    }
    Require.present(payload, "payload");
    String payloadType = MessageTypes.nameOf(payload);
    if (!payloadType.equals(type)) {
      throw new IllegalArgumentException(
          "type \"" + type + "\" does not match the payload, a " + payloadType);
    }
  }

  /**
   * Builds an envelope of the current schema version, with the type taken from the payload.
   *
   * @param eventId a UUID
   * @param opsRequest {@code "namespace/name"} of the ops request
   * @param database {@code "namespace/name"} of the database
   * @param occurredAt when
   * @param causationId the causing message's id, or {@code null}
   * @param payload the message
   * @return the envelope
   */
  public static Envelope of(
      String eventId,
      String opsRequest,
      String database,
      Instant occurredAt,
      String causationId,
      Message payload) {
    Require.present(payload, "payload");
    return new Envelope(
        eventId,
        MessageTypes.nameOf(payload),
        SCHEMA_VERSION,
        opsRequest,
        database,
        occurredAt,
        causationId,
        payload);
  }

  /**
   * The topic this message belongs to: {@link Topics#COMMANDS} for a command, {@link Topics#EVENTS}
   * for an event. (Requests from outside arrive on {@link Topics#REQUESTS} and are admitted as
   * events.)
   *
   * @return the topic name
   */
  public String topic() {
    return payload instanceof Command ? Topics.COMMANDS : Topics.EVENTS;
  }

  private static void requireUuid(String value, String field) {
    if (value == null || !UUID.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " must be a UUID but was " + value);
    }
  }
}
