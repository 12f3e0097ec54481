package io.pxops.events;

import java.time.Duration;

/**
 * The coordinator saw a step run past its deadline without progress; the request then fails.
 *
 * @param step the step
 * @param pod the pod of a per-pod step, or {@code null}
 * @param timeout the per-step timeout that ran out
 */
public record StepTimedOut(Step step, String pod, Duration timeout) implements Event {

  /** Requires step and timeout. */
  public StepTimedOut {
    Require.present(step, "step");
    Require.positive(timeout, "timeout");
  }
}
