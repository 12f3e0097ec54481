package io.pxops.pipeline.doorauth;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Asks the Kubernetes API through the service's own fabric8 client; the service account needs
 * {@code create} on {@code tokenreviews.authentication.k8s.io} and {@code subjectaccessreviews.authorization.k8s.io}
 * (the rules of {@code system:auth-delegator}).
 */
public final class KubernetesAccessReviewClient implements AccessReviewClient {

  private final KubernetesClient client;

  public KubernetesAccessReviewClient(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public TokenVerdict reviewToken(String token) {
    TokenReview review = new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build();
    TokenReview answered;
    try {
      answered = client.authentication().v1().tokenReviews().create(review);
    } catch (KubernetesClientException e) {
      throw new AccessReviewUnavailableException("the Kubernetes API did not review the token ("
          + describe(e) + ")", e);
    }
    TokenReviewStatus status = answered == null ? null : answered.getStatus();
    if (status == null) {
      throw new AccessReviewUnavailableException("the Kubernetes API answered a TokenReview without a status", null);
    }
    UserInfo user = status.getUser();
    if (!Boolean.TRUE.equals(status.getAuthenticated()) || user == null || user.getUsername() == null
        || user.getUsername().isBlank()) {
      String error = status.getError();
      return new TokenVerdict.Invalid(error == null || error.isBlank()
          ? "the Kubernetes API did not authenticate the token" : error);
    }
    return new TokenVerdict.Valid(new Caller(user.getUsername(), user.getUid(), user.getGroups(), user.getExtra()));
  }

  @Override
  public boolean allowed(Caller caller, String verb, String group, String resource, String namespace) {
    SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
        .withUser(caller.user()).withUid(caller.uid()).withGroups(caller.groups()).withExtra(caller.extra())
        .withNewResourceAttributes().withGroup(group).withResource(resource).withVerb(verb)
        .withNamespace(namespace).endResourceAttributes()
        .endSpec().build();
    SubjectAccessReview answered;
    try {
      answered = client.authorization().v1().subjectAccessReview().create(review);
    } catch (KubernetesClientException e) {
      throw new AccessReviewUnavailableException("the Kubernetes API did not review access (" + describe(e) + ")", e);
    }
    if (answered == null || answered.getStatus() == null) {
      throw new AccessReviewUnavailableException(
          "the Kubernetes API answered a SubjectAccessReview without a status", null);
    }
    return Boolean.TRUE.equals(answered.getStatus().getAllowed())
        && !Boolean.TRUE.equals(answered.getStatus().getDenied());
  }

  /** The status and message, or (fabric8 says only "An error has occurred." for I/O) the cause that says why. */
  private static String describe(KubernetesClientException e) {
    if (e.getCode() > 0) {
      return "HTTP " + e.getCode() + ": " + e.getMessage();
    }
    Throwable cause = e.getCause();
    while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause == null ? String.valueOf(e.getMessage()) : cause.toString();
  }
}
