package io.pxops.pipeline.steps;

/** The step cannot succeed by waiting or retrying (the object is gone, the version path is illegal, a pod is stuck). */
public final class FatalStepException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String reason;

  /**
   * @param reason a CamelCase word for the condition's reason, e.g. {@code PodStuck}
   * @param message a sentence naming the object and the cause
   */
  public FatalStepException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
