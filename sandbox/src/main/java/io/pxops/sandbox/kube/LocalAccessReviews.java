package io.pxops.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local API's authenticator and authorizer: answers {@code POST} of a TokenReview
 * ({@code authentication.k8s.io/v1}) and a SubjectAccessReview ({@code authorization.k8s.io/v1}) from a table that
 * tests set, as a real API server answers them from its token authenticators and RBAC. Nothing is stored: a review
 * is a question, not an object.
 *
 * <p>Out of the box it knows one token, {@link #ADMIN_TOKEN} (the token of the local world's kubeconfig), naming
 * {@link #ADMIN_USER} in the group {@code system:masters}, which may do everything, as on a real cluster: the local
 * world's own helpers, the demo and the CLI reach the doors with it. A grant in namespace {@code ""} holds in every
 * namespace, as a ClusterRoleBinding does.
 */
public final class LocalAccessReviews {

  /** The local world's kubeconfig token: full rights. */
  public static final String ADMIN_TOKEN = "local-token";
  /** The user {@link #ADMIN_TOKEN} names. */
  public static final String ADMIN_USER = "local-admin";
  /** RBAC's group that may do everything. */
  public static final String MASTERS = "system:masters";

  private static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
  private static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

  private final Map<String, Identity> tokens = new ConcurrentHashMap<>();
  private final Set<Grant> grants = ConcurrentHashMap.newKeySet();

  private record Identity(String user, List<String> groups) {
  }

  private record Grant(String user, String verb, String resource, String namespace) {
  }

  LocalAccessReviews() {
    token(ADMIN_TOKEN, ADMIN_USER, MASTERS);
  }

  /** {@code token} names {@code user} in {@code groups} from now on. */
  public LocalAccessReviews token(String token, String user, String... groups) {
    tokens.put(token, new Identity(user, List.of(groups)));
    return this;
  }

  /** {@code token} is no longer accepted. */
  public LocalAccessReviews forget(String token) {
    tokens.remove(token);
    return this;
  }

  /**
   * {@code user} may {@code verb} {@code resource} (the plural, e.g. {@code perconaxtradbopsrequests}) in
   * {@code namespace}; {@code ""} for every namespace.
   */
  public LocalAccessReviews allow(String user, String verb, String resource, String namespace) {
    grants.add(new Grant(user, verb, resource, namespace));
    return this;
  }

  /** Takes back what {@link #allow} gave. */
  public LocalAccessReviews deny(String user, String verb, String resource, String namespace) {
    grants.remove(new Grant(user, verb, resource, namespace));
    return this;
  }

  /** The answer to a review, or null when {@code request} is not one (the dispatcher goes on). */
  MockResponse answer(RecordedRequest request) {
    if (!"POST".equals(request.getMethod())) {
      return null;
    }
    String path = request.getPath();
    int query = path.indexOf('?');
    path = query < 0 ? path : path.substring(0, query);
    try {
      if (TOKEN_REVIEWS.equals(path)) {
        return json(201, Serialization.asJson(tokenReview(request)));
      }
      if (ACCESS_REVIEWS.equals(path)) {
        return json(201, Serialization.asJson(accessReview(request)));
      }
    } catch (IOException | RuntimeException bad) {
      return json(400, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
          + "\"reason\":\"BadRequest\",\"code\":400,\"message\":" + Serialization.asJson(String.valueOf(
              bad.getMessage())) + "}");
    }
    return null;
  }

  @SuppressWarnings("deprecation") // the mapper the mock itself parses bodies with
  private TokenReview tokenReview(RecordedRequest request) throws IOException {
    JsonNode body = Serialization.jsonMapper().readTree(request.getBody().getBytes());
    String token = body.path("spec").path("token").asText("");
    Identity who = tokens.get(token);
    TokenReviewBuilder answer = new TokenReviewBuilder().withApiVersion("authentication.k8s.io/v1")
        .withKind("TokenReview").withNewSpec().withToken(token).endSpec();
    if (who == null) {
      return answer.withNewStatus().withAuthenticated(false).withError("invalid bearer token").endStatus().build();
    }
    return answer.withNewStatus().withAuthenticated(true).withNewUser().withUsername(who.user())
        .withUid("uid-" + who.user()).withGroups(who.groups()).endUser().endStatus().build();
  }

  @SuppressWarnings("deprecation") // the mapper the mock itself parses bodies with
  private SubjectAccessReview accessReview(RecordedRequest request) throws IOException {
    SubjectAccessReview review = Serialization.jsonMapper().readValue(request.getBody().getBytes(),
        SubjectAccessReview.class);
    var spec = review.getSpec();
    var attributes = spec.getResourceAttributes();
    String namespace = attributes.getNamespace() == null ? "" : attributes.getNamespace();
    boolean allowed = spec.getGroups() != null && spec.getGroups().contains(MASTERS)
        || grants.contains(new Grant(spec.getUser(), attributes.getVerb(), attributes.getResource(), namespace))
        || grants.contains(new Grant(spec.getUser(), attributes.getVerb(), attributes.getResource(), ""));
    review.setStatus(new SubjectAccessReviewStatusBuilder().withAllowed(allowed)
        .withReason(allowed ? "allowed by the local table" : "").build());
    return review;
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
  }
}
