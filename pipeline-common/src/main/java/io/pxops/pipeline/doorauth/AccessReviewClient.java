package io.pxops.pipeline.doorauth;

/**
 * The two questions a door asks the Kubernetes API about a caller. Each call either answers or throws
 * {@link AccessReviewUnavailableException}; it never guesses.
 */
public interface AccessReviewClient {

  /** What a TokenReview said of a bearer token. */
  sealed interface TokenVerdict {

    /** The token names {@code caller}. */
    record Valid(Caller caller) implements TokenVerdict {
    }

    /** The token was not accepted; {@code reason} is the API's own error text, or a sentence saying so. */
    record Invalid(String reason) implements TokenVerdict {
    }
  }

  /** TokenReview ({@code authentication.k8s.io/v1}) of {@code token}. */
  TokenVerdict reviewToken(String token);

  /**
   * SubjectAccessReview ({@code authorization.k8s.io/v1}): may {@code caller} do {@code verb} on
   * {@code resource} of {@code group} in {@code namespace} ({@code ""}: in every namespace)?
   */
  boolean allowed(Caller caller, String verb, String group, String resource, String namespace);
}
