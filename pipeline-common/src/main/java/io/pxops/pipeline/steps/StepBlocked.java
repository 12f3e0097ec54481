package io.pxops.pipeline.steps;

/**
 * A safety check said "not now" (another pod is not Ready, the database is not Ready for an {@code IfReady}
 * request): nothing is wrong, the runner waits and checks again, until the step's deadline.
 */
public final class StepBlocked extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StepBlocked(String reason) {
    super(reason, null, false, false);
  }
}
