package io.pxops.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' strategic merge patch, for the built-in kinds, as far as {@code kubectl apply}, {@code kubectl edit}
 * and {@code kubectl rollout restart} use it: maps merge as in a JSON merge patch (null deletes); a list whose items
 * have a merge key ({@code containers} by {@code name}, {@code ports} by {@code containerPort} or {@code port},
 * {@code volumeMounts} by {@code mountPath}, ...) merges item by item, any other list is replaced; the directives
 * {@code $patch: delete|replace}, {@code $deleteFromPrimitiveList/…} and {@code $setElementOrder/…} are obeyed and
 * {@code $retainKeys} is dropped. Without it the local API refused every such patch, so a second
 * {@code kubectl apply} of a built-in object failed where a real cluster updates it.
 *
 * <p>The merge keys are those the Kubernetes API declares ({@code patchMergeKey}) for the fields the local world's
 * kinds carry; a field not in the table is replaced whole, which is also what the API does for atomic lists.
 */
final class StrategicMergePatch {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Field name → merge key, from the Kubernetes API's {@code patchMergeKey} tags. */
  private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
      Map.entry("containers", "name"), Map.entry("initContainers", "name"),
      Map.entry("ephemeralContainers", "name"), Map.entry("env", "name"), Map.entry("volumes", "name"),
      Map.entry("volumeMounts", "mountPath"), Map.entry("volumeDevices", "devicePath"),
      Map.entry("imagePullSecrets", "name"), Map.entry("conditions", "type"), Map.entry("ownerReferences", "uid"),
      Map.entry("hostAliases", "ip"), Map.entry("topologySpreadConstraints", "topologyKey"),
      Map.entry("readinessGates", "conditionType"), Map.entry("resourceClaims", "name"),
      Map.entry("containerStatuses", "name"), Map.entry("initContainerStatuses", "name"));

  /** Primitive lists that merge (as sets) rather than being replaced. */
  private static final Set<String> MERGED_PRIMITIVE_LISTS = Set.of("finalizers");

  private StrategicMergePatch() {
  }

  /** {@code patch} applied to {@code original}; a new node, {@code original} is left as it was. */
  static JsonNode apply(JsonNode original, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    if ("replace".equals(patch.path("$patch").asText())) {
      ObjectNode replaced = ((ObjectNode) patch).deepCopy();
      replaced.remove("$patch");
      return replaced;
    }
    ObjectNode result = original != null && original.isObject() ? ((ObjectNode) original).deepCopy()
        : JSON.createObjectNode();
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (name.equals("$patch") || name.equals("$retainKeys") || name.startsWith("$setElementOrder/")) {
        continue; // order and retained keys do not change what is stored here
      }
      if (name.startsWith("$deleteFromPrimitiveList/")) {
        String list = name.substring("$deleteFromPrimitiveList/".length());
        if (result.get(list) instanceof ArrayNode current) {
          Set<JsonNode> gone = new HashSet<>();
          value.forEach(gone::add);
          ArrayNode kept = JSON.createArrayNode();
          current.forEach(v -> {
            if (!gone.contains(v)) {
              kept.add(v);
            }
          });
          result.set(list, kept);
        }
        continue;
      }
      if (value.isNull()) {
        result.remove(name);
      } else if (value.isObject() && "delete".equals(value.path("$patch").asText())) {
        result.remove(name);
      } else if (value.isObject()) {
        result.set(name, apply(result.get(name), value));
      } else if (value.isArray()) {
        result.set(name, mergeList(name, result.get(name), (ArrayNode) value));
      } else {
        result.set(name, value);
      }
    }
    return result;
  }

  private static JsonNode mergeList(String name, JsonNode current, ArrayNode patch) {
    if (!(current instanceof ArrayNode existing)) {
      return withoutDirectives(patch);
    }
    if (MERGED_PRIMITIVE_LISTS.contains(name)) {
      ArrayNode merged = existing.deepCopy();
      patch.forEach(v -> {
        boolean present = false;
        for (JsonNode e : merged) {
          present |= e.equals(v);
        }
        if (!present) {
          merged.add(v);
        }
      });
      return merged;
    }
    String key = mergeKey(name, patch, existing);
    if (key == null) {
      return withoutDirectives(patch);
    }
    for (JsonNode item : patch) {
      if (item.isObject() && "replace".equals(item.path("$patch").asText())) {
        return withoutDirectives(patch); // the whole list is replaced by the patch's items
      }
    }
    ArrayNode merged = existing.deepCopy();
    for (JsonNode item : patch) {
      if (!item.isObject() || !item.has(key)) {
        continue;
      }
      int index = indexOf(merged, key, item.get(key));
      if ("delete".equals(item.path("$patch").asText())) {
        if (index >= 0) {
          merged.remove(index);
        }
      } else if (index >= 0) {
        merged.set(index, apply(merged.get(index), item));
      } else {
        merged.add(apply(null, item));
      }
    }
    return merged;
  }

  /** The merge key of list {@code name}; {@code ports} by containerPort in a container, by port in a Service. */
  private static String mergeKey(String name, ArrayNode patch, ArrayNode existing) {
    if (name.equals("ports")) {
      for (ArrayNode list : new ArrayNode[] {patch, existing}) {
        for (JsonNode item : list) {
          if (item.has("containerPort")) {
            return "containerPort";
          }
          if (item.has("port")) {
            return "port";
          }
        }
      }
      return null;
    }
    return MERGE_KEYS.get(name);
  }

  private static int indexOf(ArrayNode list, String key, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      if (value.equals(list.get(i).get(key))) {
        return i;
      }
    }
    return -1;
  }

  private static ArrayNode withoutDirectives(ArrayNode patch) {
    ArrayNode out = JSON.createArrayNode();
    for (JsonNode item : patch) {
      if (item.isObject()) {
        if ("delete".equals(item.path("$patch").asText())) {
          continue;
        }
        out.add(apply(null, item));
      } else {
        out.add(item);
      }
    }
    return out;
  }
}
