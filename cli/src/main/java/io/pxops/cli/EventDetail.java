package io.pxops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pxops.events.JsonCodec;
import java.util.Iterator;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One event's fields for a person to read, as {@code key=value} pairs in the order of its JSON form: nested objects
 * by dotted keys ({@code spec.targetVersion=10.11.19}), lists and values with spaces as compact JSON, empty values
 * left out. Read off the same JSON the log carries, so what {@code history} prints is what is on the log, never a
 * Java {@code toString()} ({@code RequestSpec[name=…]}).
 */
final class EventDetail {

  private static final ObjectMapper MAPPER = JsonCodec.shared().mapper();

  private EventDetail() {
  }

  /** The fields of {@code payload}, at most {@code max} characters (cut with "…" past that; 0: no limit). */
  static String of(Object payload, int max) {
    StringJoiner out = new StringJoiner(" ");
    JsonNode tree = MAPPER.valueToTree(payload);
    if (tree == null || !tree.isObject()) {
      out.add(tree == null ? "" : tree.asText());
    } else {
      flatten("", tree, out);
    }
    String s = out.toString();
    return max > 0 && s.length() > max ? s.substring(0, max - 1) + "…" : s;
  }

  private static void flatten(String prefix, JsonNode node, StringJoiner out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String key = prefix + f.getKey();
      JsonNode v = f.getValue();
      if (v.isNull() || v.isMissingNode() || (v.isContainerNode() && v.isEmpty())) {
        continue;
      }
      if (v.isObject()) {
        flatten(key + ".", v, out);
      } else if (v.isArray() || (v.isTextual() && (v.asText().isEmpty() || v.asText().matches(".*[\\s=\"].*")))) {
        out.add(key + "=" + v); // JSON: quoted, so a value with spaces or '=' stays one readable field
      } else {
        out.add(key + "=" + v.asText());
      }
    }
  }
}
