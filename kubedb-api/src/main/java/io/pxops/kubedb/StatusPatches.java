package io.pxops.kubedb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON patches (RFC 6902) that replace an object's whole {@code .status}, optionally guarded by the
 * {@code resourceVersion} the new status was computed from; send them to the {@code status} subresource with
 * {@code PatchType.JSON}.
 *
 * <p>Why not a JSON merge patch: a merge patch replaces lists, so it suits a real apiserver, but fabric8's mock
 * server applies merge patches with Jackson's updating reader, which <em>appends</em> to lists — conditions then
 * pile up. A JSON patch {@code add} on {@code /status} replaces the whole member on both, and an {@code add} of
 * {@code /metadata/resourceVersion} makes both answer 409 when the object changed in between (a real apiserver
 * treats a patched resourceVersion as a precondition; the mock compares it). A {@code replace} or {@code test} op
 * is avoided on purpose: on a missing path the mock never answers.
 */
public final class StatusPatches {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StatusPatches() {
  }

  /**
   * A patch setting {@code .status} to {@code status} (any Jackson-serializable object), applied only if the
   * object's resourceVersion is still {@code resourceVersion}; a null resourceVersion means unconditionally.
   */
  public static String replaceStatus(String resourceVersion, Object status) {
    ArrayNode ops = JsonNodeFactory.instance.arrayNode();
    if (resourceVersion != null) {
      ObjectNode guard = ops.addObject();
      guard.put("op", "add");
      guard.put("path", "/metadata/resourceVersion");
      guard.put("value", resourceVersion);
    }
    ObjectNode set = ops.addObject();
    set.put("op", "add");
    set.put("path", "/status");
    set.set("value", MAPPER.valueToTree(status));
    try {
      return MAPPER.writeValueAsString(ops);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("status is not serializable", e);
    }
  }
}
