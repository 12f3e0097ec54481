package io.pxops.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Converts an object between the served versions of its kind, as KubeDB's conversion webhook does for a real API
 * server: objects are stored in the storage version ({@code kubedb.com/v1} for PerconaXtraDB) and converted on the
 * way in and out, so one object is read, listed and watched in any served version.
 *
 * <p>PerconaXtraDB {@code v1alpha2} ↔ {@code v1} follows KubeDB's {@code Convert_v1alpha2_PerconaXtraDBSpec_To_v1_…}
 * and back: {@code terminationPolicy} ↔ {@code deletionPolicy}; the coordinator's resources and security context
 * ({@code spec.coordinator} in v1alpha2) ↔ the coordinator container of {@code spec.podTemplate}; v1's
 * {@code spec.configuration.secretName} → v1alpha2's {@code spec.configSecret}. Not converted: the pod template's
 * shape itself (v1alpha2's flattened container fields against v1's container list), which this project neither
 * writes nor reads. Any other kind is converted as a CRD with conversion strategy {@code None} is: only
 * {@code apiVersion} changes.
 */
final class VersionConversion {

  private static final String COORDINATOR_CONTAINER = "px-coordinator";

  private VersionConversion() {
  }

  /** {@code object} (any served version of its kind) in {@code version} of {@code group}; a converted copy. */
  static ObjectNode convert(JsonNode object, String group, String version) {
    ObjectNode out = object.deepCopy();
    String from = object.path("apiVersion").asText("");
    String to = group + "/" + version;
    if ("PerconaXtraDB".equals(object.path("kind").asText()) && "kubedb.com".equals(group) && !from.equals(to)) {
      ObjectNode spec = out.withObjectProperty("spec");
      if (to.equals("kubedb.com/v1")) {
        perconaXtraDbToV1(spec);
      } else if (to.equals("kubedb.com/v1alpha2")) {
        perconaXtraDbToV1alpha2(spec);
      }
      if (spec.isEmpty() && !object.has("spec")) {
        out.remove("spec");
      }
    }
    if (object.has("apiVersion")) {
      out.put("apiVersion", to);
    }
    return out;
  }

  private static void perconaXtraDbToV1(ObjectNode spec) {
    JsonNode termination = spec.remove("terminationPolicy");
    if (termination != null) {
      spec.set("deletionPolicy", termination);
    }
    JsonNode coordinator = spec.remove("coordinator");
    if (coordinator != null && (coordinator.has("resources") || coordinator.has("securityContext"))) {
      ArrayNode containers = spec.withObjectProperty("podTemplate").withObjectProperty("spec")
          .withArrayProperty("containers");
      ObjectNode target = null;
      for (JsonNode c : containers) {
        if (c.path("name").asText("").endsWith("coordinator")) {
          target = (ObjectNode) c;
        }
      }
      if (target == null) {
        target = containers.addObject().put("name", COORDINATOR_CONTAINER);
      }
      if (coordinator.has("resources")) {
        target.set("resources", coordinator.get("resources"));
      }
      if (coordinator.has("securityContext")) {
        target.set("securityContext", coordinator.get("securityContext"));
      }
    }
  }

  private static void perconaXtraDbToV1alpha2(ObjectNode spec) {
    JsonNode deletion = spec.remove("deletionPolicy");
    if (deletion != null) {
      spec.set("terminationPolicy", deletion);
    }
    JsonNode configuration = spec.remove("configuration");
    if (configuration != null && configuration.hasNonNull("secretName") && !spec.has("configSecret")) {
      spec.putObject("configSecret").put("name", configuration.get("secretName").asText());
    }
    for (JsonNode c : spec.path("podTemplate").path("spec").path("containers")) {
      if (c.path("name").asText("").endsWith("coordinator") && c.has("resources")) {
        ObjectNode coordinator = spec.putObject("coordinator");
        coordinator.set("resources", c.get("resources"));
        if (c.has("securityContext")) {
          coordinator.set("securityContext", c.get("securityContext"));
        }
      }
    }
  }
}
