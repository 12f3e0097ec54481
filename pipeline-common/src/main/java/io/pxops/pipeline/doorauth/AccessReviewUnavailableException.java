package io.pxops.pipeline.doorauth;

/**
 * The Kubernetes API could not answer a TokenReview or SubjectAccessReview (unreachable, timed out, or it refused
 * the service's own review): the door answers 503 and never lets the caller through unchecked.
 */
public final class AccessReviewUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public AccessReviewUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
