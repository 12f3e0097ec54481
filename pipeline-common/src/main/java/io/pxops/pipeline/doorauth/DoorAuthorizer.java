package io.pxops.pipeline.doorauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP doors' decision: who is calling (TokenReview of the bearer token) and whether Kubernetes RBAC lets that
 * caller do the verb on {@code perconaxtradbopsrequests.ops.kubedb.com} in the namespace (SubjectAccessReview), so
 * that a door acting with its own service account never does for a caller what the caller could not do with
 * {@code kubectl}. RBAC stays the one source of truth: nothing here holds a rule of its own.
 *
 * <p>Answers: 401 {@code Unauthenticated} for no token, a header that is not a bearer token, or a token the API
 * rejects (each said apart); 403 {@code Forbidden} naming the verbs, resource and namespace; 503
 * {@code AuthUnavailable} when the API cannot be asked — never a silent allow. Positive answers are cached
 * ({@link DoorAuthConfig} says for how long and why); refusals never are.
 *
 * <p>Thread-safe.
 */
public final class DoorAuthorizer {

  /** The API group of the resource the doors act on. */
  public static final String GROUP = "ops.kubedb.com";
  /** The resource the doors act on. */
  public static final String RESOURCE = "perconaxtradbopsrequests";
  /** The resource as RBAC messages name it. */
  public static final String QUALIFIED_RESOURCE = RESOURCE + "." + GROUP;
  /** What every door asks for (RFC 6750). */
  public static final String CHALLENGE = "Bearer realm=\"pxops\"";

  private static final Logger LOG = LoggerFactory.getLogger(DoorAuthorizer.class);
  private static final String ALL_NAMESPACES = "";
  /** Far above any service account or OIDC token; a longer header is not worth a review. */
  private static final int MAX_TOKEN_CHARS = 16 * 1024;

  private final AccessReviewClient reviews;
  private final Cache<String, Caller> tokens;
  private final Cache<Access, Boolean> allowed;

  private DoorAuthorizer(AccessReviewClient reviews, DoorAuthConfig config, Ticker ticker) {
    this.reviews = reviews;
    this.tokens = reviews == null ? null : cache(config, ticker);
    this.allowed = reviews == null ? null : cache(config, ticker);
  }

  /**
   * The doors' checks as configured: through {@code client}'s TokenReview and SubjectAccessReview, or none at all
   * when {@code config} turns them off, which is logged as a warning because every caller is then let through.
   *
   * @param door the door's name, for the log
   */
  public static DoorAuthorizer of(DoorAuthConfig config, KubernetesClient client, String door) {
    if (!config.enabled()) {
      return off(door, DoorAuthConfig.MODE + "=none");
    }
    LOG.info("{}: callers need a bearer token, checked by TokenReview and SubjectAccessReview (answers cached {})",
        door, config.cacheTtl());
    return new DoorAuthorizer(new KubernetesAccessReviewClient(client), config, Ticker.systemTicker());
  }

  /** Checks through {@code reviews}, cached per {@code config} on {@code ticker}'s time (tests). */
  public static DoorAuthorizer reviewing(AccessReviewClient reviews, DoorAuthConfig config, Ticker ticker) {
    return new DoorAuthorizer(reviews, config, ticker);
  }

  /**
   * No checks: every caller is let through and acts with the door's own service account. Only for a development
   * setup or a test that is not about access; logged loudly.
   */
  public static DoorAuthorizer off(String door, String why) {
    LOG.warn("!!! {}: caller authentication and authorization are OFF ({}): anyone who reaches this port can "
        + "submit, replay, cancel and read every namespace's requests", door, why);
    return new DoorAuthorizer(null, null, null);
  }

  /** Whether callers are checked at all. */
  public boolean enabled() {
    return reviews != null;
  }

  /** Who is calling, from the request's {@code Authorization} header (null when absent). */
  public sealed interface Authentication {

    record Authenticated(Caller caller) implements Authentication {
    }

    record Refused(DoorRefusal refusal) implements Authentication {
    }
  }

  /** Authenticates the caller by its {@code Authorization} header. */
  public Authentication authenticate(String authorizationHeader) {
    if (reviews == null) {
      return new Authentication.Authenticated(Caller.UNCHECKED);
    }
    if (authorizationHeader == null || authorizationHeader.isBlank()) {
      return refused("no bearer token: send the header 'Authorization: Bearer <token>' with a Kubernetes token");
    }
    String header = authorizationHeader.trim();
    if (header.equalsIgnoreCase("bearer")) {
      return refused("the bearer token is empty");
    }
    int space = header.indexOf(' ');
    if (space < 0 || !header.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
      return refused("the Authorization header is not a bearer token: send 'Authorization: Bearer <token>'");
    }
    String token = header.substring(space + 1).trim();
    if (token.isEmpty()) {
      return refused("the bearer token is empty");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      return refused("the bearer token is longer than " + MAX_TOKEN_CHARS + " characters");
    }
    // keyed by a digest, so the cache never holds a usable token
    String key = sha256(token);
    Caller cached = tokens.getIfPresent(key);
    if (cached != null) {
      return new Authentication.Authenticated(cached);
    }
    AccessReviewClient.TokenVerdict verdict;
    try {
      verdict = reviews.reviewToken(token);
    } catch (AccessReviewUnavailableException e) {
      LOG.warn("cannot authenticate a caller: {}", e.getMessage());
      return new Authentication.Refused(DoorRefusal.unavailable("cannot check the bearer token now: "
          + e.getMessage() + "; try again"));
    }
    if (verdict instanceof AccessReviewClient.TokenVerdict.Valid valid) {
      tokens.put(key, valid.caller());
      return new Authentication.Authenticated(valid.caller());
    }
    return refused("the bearer token is not valid: " + ((AccessReviewClient.TokenVerdict.Invalid) verdict).reason());
  }

  /**
   * Whether {@code caller} holds at least one of {@code verbs} on {@link #QUALIFIED_RESOURCE} in {@code namespace}:
   * empty when it does, else the 403 (or 503) to answer.
   */
  public Optional<DoorRefusal> authorize(Caller caller, String namespace, String... verbs) {
    if (reviews == null) {
      return Optional.empty();
    }
    try {
      for (String verb : verbs) {
        if (allows(caller, verb, namespace)) {
          return Optional.empty();
        }
      }
    } catch (AccessReviewUnavailableException e) {
      LOG.warn("cannot authorize {}: {}", caller.user(), e.getMessage());
      return Optional.of(DoorRefusal.unavailable("cannot check the caller's permissions now: " + e.getMessage()
          + "; try again"));
    }
    String verbList = String.join(" or ", verbs);
    return Optional.of(new DoorRefusal(403, "Forbidden", "user \"" + caller.user() + "\" may not " + verbList
        + " " + QUALIFIED_RESOURCE + " in namespace \"" + namespace + "\"", List.of(verbs), QUALIFIED_RESOURCE,
        namespace));
  }

  /** Authenticates, then authorizes: empty when the call may go on, else the refusal to answer. */
  public Optional<DoorRefusal> check(String authorizationHeader, String namespace, String... verbs) {
    Authentication a = authenticate(authorizationHeader);
    if (a instanceof Authentication.Refused r) {
      return Optional.of(r.refusal());
    }
    return authorize(((Authentication.Authenticated) a).caller(), namespace, verbs);
  }

  /**
   * What a list may show {@code caller}: one filter per request, so that each namespace in the result costs at most
   * one SubjectAccessReview ({@code list}) per request, and none when the caller may list in every namespace (asked
   * once first) or the answer is cached.
   */
  public NamespaceFilter listFilter(Caller caller) {
    if (reviews == null) {
      return namespace -> true;
    }
    if (allows(caller, "list", ALL_NAMESPACES)) {
      return namespace -> true;
    }
    Map<String, Boolean> seen = new HashMap<>();
    return namespace -> seen.computeIfAbsent(namespace, ns -> allows(caller, "list", ns));
  }

  /** Which namespaces a list may show; {@link #test} throws {@link AccessReviewUnavailableException}. */
  @FunctionalInterface
  public interface NamespaceFilter {
    boolean test(String namespace);
  }

  private boolean allows(Caller caller, String verb, String namespace) {
    Access access = new Access(caller, verb, namespace);
    if (allowed.getIfPresent(access) != null) {
      return true;
    }
    boolean yes = reviews.allowed(caller, verb, GROUP, RESOURCE, namespace);
    if (yes) {
      allowed.put(access, Boolean.TRUE);
    }
    return yes;
  }

  private static Authentication refused(String message) {
    return new Authentication.Refused(DoorRefusal.unauthenticated(message));
  }

  private static <K, V> Cache<K, V> cache(DoorAuthConfig config, Ticker ticker) {
    return Caffeine.newBuilder().maximumSize(config.cacheSize()).expireAfterWrite(config.cacheTtl())
        .ticker(ticker).build();
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** One cached answer: the whole caller (user, groups, extra), as RBAC may decide on any of them. */
  private record Access(Caller caller, String verb, String namespace) {
  }
}
