package io.pxops.events;

/**
 * A runner could not do a step.
 *
 * @param step the step
 * @param pod the pod of a per-pod step, or {@code null}
 * @param reason a CamelCase reason, e.g. {@code "PodNotFound"}
 * @param message a sentence for humans
 * @param retriable whether trying again may help (409/429/5xx, timeouts, SQL communication errors);
 *     a fatal error (illegal path, object gone, auth failure) is not
 */
public record StepFailed(Step step, String pod, String reason, String message, boolean retriable)
    implements Event {

  /** Requires step, reason and message. */
  public StepFailed {
    Require.present(step, "step");
    Require.text(reason, "reason");
    Require.text(message, "message");
  }
}
