package io.pxops.requestingest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.pxops.events.JsonCodec;
import io.pxops.requestingest.admission.Admission;
import io.pxops.requestingest.admission.UpdateRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a submitted update request — an HTTP body or a {@code pxops.requests} record — against the one published
 * shape, {@code schema/update-request.schema.json}. Both doors read with this class, so they cannot disagree: the
 * HTTP door once turned a number given for {@code targetVersion} into text while the Kafka door refused it.
 * Nothing is coerced: a value of the wrong JSON type is a refusal naming the field and the rule.
 *
 * <p>Pure and total: any bytes give a {@link Reading}, never an exception. A refusal names the field as the ops
 * request's path ({@code spec.updateVersion.targetVersion}), as admission does, or the body's own name for a field
 * the schema does not know; a value the schema refuses gets the rule admission would give it
 * ({@code InvalidMaxRetries}), so the Kubernetes door, which has no schema, gives the same verdict too.
 */
public final class UpdateRequestReader {

  /** A body that is not a JSON object (not JSON, empty, an array, a scalar, nested too deep). */
  public static final String MALFORMED_BODY = "MalformedBody";
  /** The same field twice in one object: which one counts would be a guess. */
  public static final String DUPLICATE_FIELD = "DuplicateField";
  /** A required field is absent. */
  public static final String REQUIRED = "Required";
  /** A value of the wrong JSON type (a number for a string, a fraction for an integer, null, ...). */
  public static final String WRONG_TYPE = "WrongType";
  /** A field that is not part of an update request. */
  public static final String UNKNOWN_FIELD = "UnknownField";
  /** A text longer than its field allows. */
  public static final String TOO_LONG = "TooLong";
  /** The body names a namespace other than the URL's. */
  public static final String NAMESPACE_MISMATCH = "NamespaceMismatch";
  /** A schema keyword this reader has no rule name for (a schema edit; kept so no refusal is ever unnamed). */
  public static final String INVALID = "Invalid";

  /** Every rule this reader refuses with. */
  public static final Set<String> RULES = Set.of(MALFORMED_BODY, DUPLICATE_FIELD, REQUIRED, WRONG_TYPE,
      UNKNOWN_FIELD, TOO_LONG, NAMESPACE_MISMATCH, INVALID, "InvalidName", "InvalidTimeout", "InvalidApply",
      "InvalidMaxRetries");

  /** The field a refusal names when the body as a whole is at fault. */
  public static final String BODY = "body";

  /** The body's fields as the ops request's paths, the names admission's refusals use. */
  private static final Map<String, String> PATHS = Map.of("name", "metadata.name", "namespace",
      "metadata.namespace", "database", "spec.databaseRef.name", "targetVersion", "spec.updateVersion.targetVersion",
      "timeout", "spec.timeout", "apply", "spec.apply", "maxRetries", "spec.maxRetries", "clientRequestId",
      "clientRequestId");

  /** The rule admission gives a bad value of these fields, used when the schema refuses the value first. */
  private static final Map<String, String> VALUE_RULES = Map.of("name", "InvalidName", "namespace", "InvalidName",
      "database", "InvalidName", "timeout", "InvalidTimeout", "apply", "InvalidApply", "maxRetries",
      "InvalidMaxRetries");

  /** The schema keywords about the value's type or presence, which keep their own rule whatever the field. */
  private static final Map<String, String> SHAPE_RULES = Map.of("required", REQUIRED, "type", WRONG_TYPE,
      "additionalProperties", UNKNOWN_FIELD);

  /** Which problem is reported when there are several: the same one whichever door, whatever the set's order. */
  private static final List<String> KEYWORD_ORDER = List.of("required", "additionalProperties", "type");

  private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:field|Object property) [\"']([^\"']*)[\"']");
  private static final JsonSchema SCHEMA = loadSchema();

  /** What a body reads as. */
  public sealed interface Reading {
    /** A request of the right shape, for admission to judge. */
    record Read(UpdateRequest request) implements Reading {
    }

    /** Not of the right shape: the field at fault, the rule and a sentence; nothing is to be created. */
    record Refused(String field, String rule, String message) implements Reading {
    }
  }

  private UpdateRequestReader() {
  }

  /**
   * Reads {@code raw}.
   *
   * @param raw the body or record value, may be null or empty
   * @param pathNamespace the namespace the URL names (HTTP), or null when the body must name it (Kafka)
   * @param door the door's name for {@link UpdateRequest#door()}
   * @param now the submission time
   * @return the request, or the refusal; never throws
   */
  public static Reading read(byte[] raw, String pathNamespace, String door, Instant now) {
    JsonNode tree;
    try {
      tree = raw == null || raw.length == 0 ? null : JsonCodec.shared().mapper().readTree(raw);
    } catch (JsonParseException e) {
      Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
      if (duplicate.find()) {
        return refused(duplicate.group(1), DUPLICATE_FIELD, "field \"" + bounded(duplicate.group(1))
            + "\" is given more than once");
      }
      return new Reading.Refused(BODY, MALFORMED_BODY, "the body is not JSON: " + firstLine(e));
    } catch (IOException | RuntimeException e) {
      // StreamConstraintsException (nesting, number or string too long) is an IOException; anything else Jackson
      // might throw on hostile bytes is still the body's fault
      return new Reading.Refused(BODY, MALFORMED_BODY, "the body is not JSON: " + firstLine(e));
    } catch (StackOverflowError e) {
      return new Reading.Refused(BODY, MALFORMED_BODY, "the body is nested too deep");
    }
    if (tree == null || tree.isMissingNode()) {
      return new Reading.Refused(BODY, MALFORMED_BODY, "the body is empty: an update request is a JSON object");
    }
    if (!tree.isObject()) {
      return new Reading.Refused(BODY, MALFORMED_BODY, "the body must be a JSON object but is "
          + tree.getNodeType());
    }
    ObjectNode body = (ObjectNode) tree;
    if (pathNamespace != null) {
      JsonNode given = body.get("namespace");
      if (given != null && !(given.isTextual() && given.textValue().equals(pathNamespace))) {
        return refused("namespace", NAMESPACE_MISMATCH, "the body's namespace " + bounded(given.toString())
            + " is not the URL's \"" + bounded(pathNamespace) + "\"; leave it out");
      }
      body = body.deepCopy().put("namespace", pathNamespace);
    }
    Set<ValidationMessage> problems;
    try {
      problems = SCHEMA.validate(body);
    } catch (RuntimeException | StackOverflowError e) {
      return new Reading.Refused(BODY, MALFORMED_BODY, "the body cannot be checked against the schema: "
          + e.getClass().getSimpleName());
    }
    if (!problems.isEmpty()) {
      ValidationMessage first = problems.stream().min(Comparator
          .comparingInt((ValidationMessage m) -> rank(m.getType()))
          .thenComparing(UpdateRequestReader::fieldOf)
          .thenComparing(ValidationMessage::getMessage)).orElseThrow();
      return refusal(first);
    }
    JsonNode maxRetries = body.get("maxRetries");
    if (maxRetries != null && !maxRetries.canConvertToExactIntegral()) {
      // the schema counts 2.0 as an integer, as JSON does; 1.5 never gets here
      return refused("maxRetries", WRONG_TYPE, "maxRetries must be a whole number but is " + maxRetries);
    }
    return new Reading.Read(new UpdateRequest(text(body, "name"), text(body, "namespace"), Admission.UPDATE_VERSION,
        text(body, "database"), text(body, "targetVersion"), text(body, "timeout"), text(body, "apply"),
        maxRetries == null ? null : maxRetries.intValue(), now, door, text(body, "clientRequestId"),
        body.hasNonNull("window") ? body.get("window").toString() : null));
  }

  private static Reading.Refused refusal(ValidationMessage m) {
    String field = fieldOf(m);
    String keyword = m.getType();
    String rule = SHAPE_RULES.get(keyword);
    if (rule == null) {
      rule = VALUE_RULES.getOrDefault(field, "maxLength".equals(keyword) ? TOO_LONG : INVALID);
    }
    return refused(field, rule, bounded(m.getMessage()) + " (rule " + keyword + " of the update request schema)");
  }

  private static Reading.Refused refused(String bodyField, String rule, String message) {
    return new Reading.Refused(fieldName(bodyField), rule, message);
  }

  /**
   * The name a refusal gives a body field: the ops request's path for a known one; an unknown one as written, or
   * as a JSON string when it is blank or has control characters, so that the field named is never empty.
   */
  private static String fieldName(String bodyField) {
    String path = PATHS.get(bodyField);
    if (path != null) {
      return path;
    }
    if (bodyField == null) {
      return BODY;
    }
    if (bodyField.isBlank() || bodyField.chars().anyMatch(Character::isISOControl)) {
      return bounded(com.fasterxml.jackson.databind.node.TextNode.valueOf(bodyField).toString());
    }
    return bounded(bodyField);
  }

  /** The body field a schema message is about: the property for required / additionalProperties, else the path. */
  private static String fieldOf(ValidationMessage m) {
    if (m.getProperty() != null && ("required".equals(m.getType()) || "additionalProperties".equals(m.getType()))) {
      return m.getProperty();
    }
    if (m.getInstanceLocation() != null && m.getInstanceLocation().getNameCount() > 0) {
      return String.valueOf(m.getInstanceLocation().getElement(0));
    }
    return BODY;
  }

  private static int rank(String keyword) {
    int i = KEYWORD_ORDER.indexOf(keyword);
    return i < 0 ? KEYWORD_ORDER.size() : i;
  }

  private static String text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node == null ? null : node.textValue();
  }

  /** A value quoted in a message, cut so that a refusal never carries the whole hostile input back. */
  static String bounded(String s) {
    if (s == null || s.length() <= 120) {
      return s;
    }
    return s.substring(0, Character.isHighSurrogate(s.charAt(119)) ? 119 : 120) + "…";
  }

  private static String firstLine(Throwable e) {
    String message = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
    return bounded(message == null ? e.getClass().getSimpleName() : message.split("\n", 2)[0]);
  }

  private static JsonSchema loadSchema() {
    try (InputStream in = UpdateRequestReader.class.getResourceAsStream("/schema/update-request.schema.json")) {
      if (in == null) {
        throw new IllegalStateException("the update request schema is missing from the classpath");
      }
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    } catch (IOException e) {
      throw new IllegalStateException("the update request schema cannot be read", e);
    }
  }
}
