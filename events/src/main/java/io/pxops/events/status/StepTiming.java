package io.pxops.events.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long one step (one condition type) took.
 *
 * @param type the condition type of the step, e.g. {@code "CheckPodRunning--orders-1"}
 * @param startedAt when the coordinator first started it in this attempt
 * @param endedAt when its result (success or failure) arrived, or {@code null} while it runs
 * @param duration {@code endedAt - startedAt}, or {@code null} while it runs
 * @param retries how many times it was retried after a retriable failure
 */
public record StepTiming(
    String type, Instant startedAt, Instant endedAt, Duration duration, int retries) {

  /** Requires type and start; a negative retry count is invalid. */
  public StepTiming {
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("step.type must be a non-blank string");
    }
    Objects.requireNonNull(startedAt, "step.startedAt is required");
    if (retries < 0) {
      throw new IllegalArgumentException("step.retries must be >= 0 but was " + retries);
    }
  }

  /**
   * A step that has just started.
   *
   * @param type the condition type
   * @param at when
   * @return the running step
   */
  static StepTiming started(String type, Instant at) {
    return new StepTiming(type, at, null, null, 0);
  }

  /**
   * This step, ended at {@code at} unless it had ended already (the first result counts).
   *
   * @param at when the result arrived
   * @return the ended step
   */
  StepTiming endedAt(Instant at) {
    if (endedAt != null) {
      return this;
    }
    Duration took = at.isBefore(startedAt) ? Duration.ZERO : Duration.between(startedAt, at);
    return new StepTiming(type, startedAt, at, took, retries);
  }
}
