package io.pxops.events.plan;

import io.pxops.events.Step;

/**
 * Why a request failed, or is failing (resuming the database before it ends Failed).
 *
 * @param step the step that failed
 * @param pod the pod of a per-pod step, or {@code null}
 * @param reason a CamelCase reason
 * @param message a sentence for humans
 */
public record Failure(Step step, String pod, String reason, String message) {

  /** Requires step, reason and message. */
  public Failure {
    if (step == null || reason == null || message == null) {
      throw new IllegalArgumentException("a failure needs step, reason and message");
    }
  }

  /**
   * One line naming the condition, reason and message.
   *
   * @return e.g. "CheckPodRunning--orders-1 failed (ImagePullBackOff): …"
   */
  public String describe() {
    String where = step.perPod() && pod != null ? step.conditionType(pod) : step.name();
    return where + " failed (" + reason + "): " + message;
  }
}
