package io.pxops.sandbox.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stable hash of a pod template, for the {@code controller-revision-hash} label and a PetSet's
 * {@code currentRevision}/{@code updateRevision}: {@code <set>-<hash>}. The template is written as JSON with
 * object keys sorted (nulls and empty objects and lists left out), hashed with 32-bit FNV-1a, and the decimal
 * value encoded with Kubernetes' "safe" alphabet (no vowels, so no words), as a StatefulSet's revision names are.
 */
final class RevisionHash {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private RevisionHash() {
  }

  static String revisionName(String set, PodTemplateSpec template) {
    return set + "-" + of(template);
  }

  static String of(PodTemplateSpec template) {
    JsonNode canonical = sorted(MAPPER.valueToTree(template));
    byte[] bytes = canonical.toString().getBytes(StandardCharsets.UTF_8);
    int hash = 0x811c9dc5;
    for (byte b : bytes) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    String decimal = Long.toString(Integer.toUnsignedLong(hash));
    StringBuilder out = new StringBuilder(decimal.length());
    for (char c : decimal.toCharArray()) {
      out.append(SAFE_ALPHABET.charAt(c % SAFE_ALPHABET.length()));
    }
    return out.toString();
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      Map<String, JsonNode> fields = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        JsonNode value = e.getValue();
        if (!value.isNull() && !(value.isContainerNode() && value.isEmpty())) {
          fields.put(e.getKey(), sorted(value));
        }
      }
      ObjectNode out = MAPPER.createObjectNode();
      fields.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = MAPPER.createArrayNode();
      node.forEach(child -> out.add(sorted(child)));
      return out;
    }
    return node;
  }
}
