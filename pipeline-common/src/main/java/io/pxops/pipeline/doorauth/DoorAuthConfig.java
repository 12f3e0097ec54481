package io.pxops.pipeline.doorauth;

import io.pxops.pipeline.settings.PxopsSettings;
import java.time.Duration;
import java.util.Map;

/**
 * How the HTTP doors (the ingest's and the projector's) check their callers, read once at start.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #MODE}</td><td>{@code kubernetes}</td>
 *       <td>{@code kubernetes}: every API call needs {@code Authorization: Bearer <token>}, checked by TokenReview
 *       and SubjectAccessReview; {@code none}: no check at all (a development setup only; logged as a warning
 *       at start)</td></tr>
 *   <tr><td>{@value #CACHE_TTL}</td><td>{@code 10s}</td>
 *       <td>how long a positive answer (a valid token, an allowed verb) is reused, at most {@code 5m}</td></tr>
 *   <tr><td>{@value #CACHE_SIZE}</td><td>10000</td>
 *       <td>how many answers of each kind are kept, 1..1000000</td></tr>
 * </table>
 *
 * <p>Why a short TTL: the cache spares the API server a TokenReview and a SubjectAccessReview on every call of a
 * burst (a CLI polling status, a script submitting a fleet); but a cached answer outlives a revoked token or a
 * deleted RoleBinding by up to the TTL, so it is kept far below the API server's own webhook caches (2 min for
 * tokens, 5 min for allowed verbs). Refusals are never cached: a grant works on the next call. The size bounds the
 * memory that callers with many distinct tokens can take.
 *
 * @param enabled whether the doors check callers
 * @param cacheTtl how long positive answers are reused
 * @param cacheSize how many answers of each kind are kept
 */
public record DoorAuthConfig(boolean enabled, Duration cacheTtl, int cacheSize) {

  public static final String MODE = "PXOPS_DOOR_AUTH";
  public static final String CACHE_TTL = "PXOPS_DOOR_AUTH_CACHE_TTL";
  public static final String CACHE_SIZE = "PXOPS_DOOR_AUTH_CACHE_SIZE";
  static final Duration MAX_TTL = Duration.ofMinutes(5);
  static final int MAX_SIZE = 1_000_000;

  public DoorAuthConfig {
    if (cacheTtl == null || cacheTtl.isNegative() || cacheTtl.isZero() || cacheTtl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException(CACHE_TTL + " must be positive and at most 5m, was " + cacheTtl);
    }
    if (cacheSize < 1 || cacheSize > MAX_SIZE) {
      throw new IllegalArgumentException(CACHE_SIZE + " must be in 1.." + MAX_SIZE + ", was " + cacheSize);
    }
  }

  /** The defaults: checks on, 10 s, 10,000 answers. */
  public static DoorAuthConfig defaults() {
    return fromEnv(Map.of());
  }

  /** Reads the settings through their declarations in {@link PxopsSettings}. */
  public static DoorAuthConfig fromEnv(Map<String, String> env) {
    return new DoorAuthConfig(PxopsSettings.DOOR_AUTH.read(env).equals("kubernetes"),
        PxopsSettings.DOOR_AUTH_CACHE_TTL.read(env), Math.toIntExact(PxopsSettings.DOOR_AUTH_CACHE_SIZE.read(env)));
  }
}
