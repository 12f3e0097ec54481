package io.pxops.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** KubeDB's {@code spec.apply}: when an ops request may run. Spelled as KubeDB spells it in JSON. */
public enum ApplyPolicy {
  /** Run only while the database is Ready (KubeDB's default). */
  IF_READY("IfReady"),
  /** Run regardless of the database's state: a corrective update (cluster checks before it skipped). */
  ALWAYS("Always");

  private final String kubeName;

  ApplyPolicy(String kubeName) {
    this.kubeName = kubeName;
  }

  /**
   * KubeDB's spelling.
   *
   * @return {@code "IfReady"} or {@code "Always"}
   */
  @JsonValue
  public String kubeName() {
    return kubeName;
  }

  /**
   * Parses KubeDB's spelling.
   *
   * @param kubeName {@code "IfReady"} or {@code "Always"}
   * @return the policy
   * @throws IllegalArgumentException for any other string
   */
  @JsonCreator
  public static ApplyPolicy fromKubeName(String kubeName) {
    for (ApplyPolicy policy : values()) {
      if (policy.kubeName.equals(kubeName)) {
        return policy;
      }
    }
    throw new IllegalArgumentException("unknown apply policy \"" + kubeName + "\"");
  }
}
