package io.pxops.events;

/**
 * A runner saw progress on a long step (a joining node, a state transfer under way); the coordinator
 * moves the step's deadline to now + timeout.
 *
 * @param step the step
 * @param pod the pod of a per-pod step, or {@code null}
 * @param detail what was seen, e.g. "orders-2: wsrep_local_state_comment=Joining"
 */
public record StepProgressed(Step step, String pod, String detail) implements Event {

  /** Requires step and detail. */
  public StepProgressed {
    Require.present(step, "step");
    Require.text(detail, "detail");
  }
}
