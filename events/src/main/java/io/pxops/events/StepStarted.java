package io.pxops.events;

import java.time.Instant;

/**
 * The coordinator issued the command of a step (written just before the command itself).
 *
 * @param step the step
 * @param pod the pod of a per-pod step, or {@code null}
 * @param commandId the {@code eventId} of the command; results must carry it as {@code causationId}
 * @param deadline when the step times out unless progress is reported
 * @param retry 0 for the first try, 1 and more for retries after a retriable failure
 */
public record StepStarted(Step step, String pod, String commandId, Instant deadline, int retry)
    implements Event {

  /** Requires step, command id and deadline; a per-pod step needs its pod. */
  public StepStarted {
    Require.present(step, "step");
    if (step.perPod()) {
      Require.text(pod, "pod");
    }
    Require.text(commandId, "commandId");
    Require.present(deadline, "deadline");
    Require.atLeast(retry, 0, "retry");
  }
}
