package io.pxops.events.status;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Objects;

/**
 * One condition in the shape of kmodules' {@code kmapi.Condition}, as KubeDB puts them on an ops
 * request's {@code status.conditions}.
 *
 * @param type the condition type, e.g. {@code "UpdatePetSets"} or {@code "EvictPod--orders-2"}; the
 *     key of the condition map
 * @param status {@link #TRUE}, {@link #FALSE} or {@link #UNKNOWN}
 * @param observedGeneration the ops request object's {@code metadata.generation} the condition was
 *     computed for, or {@code null}: the lifecycle log does not carry the object's generation (a
 *     request from the Kafka door has no object at all), so the projection leaves it out and the
 *     write-back to Kubernetes stamps the object's generation
 * @param lastTransitionTime when {@code status} last changed (not when the condition was last
 *     written: KubeDB keeps the time when only reason or message change)
 * @param reason a CamelCase reason, or {@code null}
 * @param message a sentence for humans, or {@code null}
 */
@JsonPropertyOrder({
  "type",
  "status",
  "observedGeneration",
  "lastTransitionTime",
  "reason",
  "message"
})
public record StatusCondition(
    String type,
    String status,
    Long observedGeneration,
    Instant lastTransitionTime,
    String reason,
    String message) {

  /** The condition holds. */
  public static final String TRUE = "True";

  /** The condition does not hold (a failed step). */
  public static final String FALSE = "False";

  /** Not known (KubeDB uses it for a denied request). */
  public static final String UNKNOWN = "Unknown";

  /** Requires a type, a valid status and a transition time. */
  public StatusCondition {
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("condition.type must be a non-blank string");
    }
    if (!TRUE.equals(status) && !FALSE.equals(status) && !UNKNOWN.equals(status)) {
      throw new IllegalArgumentException(
          "condition.status must be True, False or Unknown but was " + status);
    }
    Objects.requireNonNull(lastTransitionTime, "condition.lastTransitionTime is required");
  }

  /**
   * A True condition.
   *
   * @param type the type
   * @param reason the reason
   * @param message the message
   * @param at the transition time
   * @return the condition, without observed generation
   */
  public static StatusCondition isTrue(String type, String reason, String message, Instant at) {
    return new StatusCondition(type, TRUE, null, at, reason, message);
  }

  /**
   * A False condition.
   *
   * @param type the type
   * @param reason the reason
   * @param message the message
   * @param at the transition time
   * @return the condition, without observed generation
   */
  public static StatusCondition isFalse(String type, String reason, String message, Instant at) {
    return new StatusCondition(type, FALSE, null, at, reason, message);
  }

  /**
   * Whether two conditions are in the same state, as kmapi compares before it rewrites one: same
   * type, status, reason, message and observed generation (the transition time does not count).
   *
   * @param other another condition, or {@code null}
   * @return {@code true} if nothing but the transition time differs
   */
  public boolean sameStateAs(StatusCondition other) {
    return other != null
        && type.equals(other.type)
        && status.equals(other.status)
        && Objects.equals(reason, other.reason)
        && Objects.equals(message, other.message)
        && Objects.equals(observedGeneration, other.observedGeneration);
  }
}
