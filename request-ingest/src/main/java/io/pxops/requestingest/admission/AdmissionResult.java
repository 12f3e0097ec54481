package io.pxops.requestingest.admission;

import io.pxops.events.RequestSpec;

/** What admission decided: the request as KubeDB would run it, or the rule it breaks. */
public sealed interface AdmissionResult {

  /** Admitted, with KubeDB's defaults applied. */
  record Admitted(RequestSpec spec) implements AdmissionResult {
  }

  /**
   * Rejected: nothing changes in the cluster.
   *
   * @param field the offending field's path, e.g. {@code spec.updateVersion.targetVersion}
   * @param rule a CamelCase rule name, e.g. {@code TargetVersionDeprecated}
   * @param message a sentence naming the field and the rule
   * @param kind the class of problem, which the HTTP door maps to a status code
   */
  record Rejected(String field, String rule, String message, Kind kind) implements AdmissionResult {
  }

  /** The class of a rejection. */
  enum Kind {
    /** The request itself is malformed (HTTP 400). */
    INVALID,
    /** It refers to a database that does not exist (HTTP 404). */
    NOT_FOUND,
    /** It is well formed but a rule forbids it (HTTP 422). */
    FORBIDDEN
  }
}
