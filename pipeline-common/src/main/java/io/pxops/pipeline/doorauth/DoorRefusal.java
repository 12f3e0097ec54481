package io.pxops.pipeline.doorauth;

import java.util.List;

/**
 * Why a door turned a caller away, for its JSON error body.
 *
 * @param status 401 (no or invalid token), 403 (a verb is missing) or 503 (the Kubernetes API could not be asked)
 * @param rule {@code Unauthenticated}, {@code Forbidden} or {@code AuthUnavailable}
 * @param message the sentence saying what was missing
 * @param verbs for 403, the verbs of which the caller has none
 * @param resource for 403, {@code perconaxtradbopsrequests.ops.kubedb.com}
 * @param namespace for 403, the namespace asked about
 */
public record DoorRefusal(int status, String rule, String message, List<String> verbs, String resource,
    String namespace) {

  public DoorRefusal {
    verbs = verbs == null ? List.of() : List.copyOf(verbs);
  }

  static DoorRefusal unauthenticated(String message) {
    return new DoorRefusal(401, "Unauthenticated", message, List.of(), null, null);
  }

  static DoorRefusal unavailable(String message) {
    return new DoorRefusal(503, "AuthUnavailable", message, List.of(), null, null);
  }
}
