package io.pxops.events;

/**
 * The request ends Failed. There is no rollback: pods already updated stay updated. The database was
 * resumed first if it had been paused, unless {@code step} is {@link Step#RESUME_DATABASE} itself.
 *
 * @param step the step that failed
 * @param pod the pod of a per-pod step, or {@code null}
 * @param reason a CamelCase reason, e.g. {@code "StepTimedOut"} or a runner's reason
 * @param message a sentence for humans
 */
public record RequestFailed(Step step, String pod, String reason, String message) implements Event {

  /** Requires step, reason and message. */
  public RequestFailed {
    Require.present(step, "step");
    Require.text(reason, "reason");
    Require.text(message, "message");
  }
}
