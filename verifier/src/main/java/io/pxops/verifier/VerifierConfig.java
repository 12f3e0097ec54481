package io.pxops.verifier;

import io.pxops.pipeline.ConfigOrExit;
import java.time.Duration;
import java.util.Map;

/**
 * The verifier's configuration, read once at start from the environment; every key has a default. Kubernetes comes
 * from fabric8's usual sources (KUBECONFIG, ~/.kube/config, in-cluster).
 *
 * @param bootstrapServers {@code KAFKA_BOOTSTRAP_SERVERS}, default {@code localhost:9092}
 * @param holdPolls {@code PXOPS_VERIFY_HOLD_POLLS}, default 3: consecutive healthy looks in one unchanged cluster view
 *     before a check passes (taken back to back; see {@link GaleraVerifier})
 * @param holdFor {@code PXOPS_VERIFY_HOLD_FOR}, default PT0S: how long the view must also have stayed unchanged;
 *     above zero, looks go on at {@code recheck} (or when a pod changes) until it has
 * @param recheck {@code PXOPS_RECHECK_INTERVAL}, default PT1S: the time between looks
 * @param maxTables {@code PXOPS_VERIFY_MAX_TABLES}, default 16: user tables the data check compares
 * @param connectTimeout {@code PXOPS_VERIFY_CONNECT_TIMEOUT}, default PT2S
 * @param queryTimeout {@code PXOPS_VERIFY_QUERY_TIMEOUT}, default PT30S: one query of the data check
 * @param maxConnections {@code PXOPS_VERIFY_MAX_CONNECTIONS}, default 48: node connections kept across looks
 * @param connectionIdle {@code PXOPS_VERIFY_CONNECTION_IDLE}, default PT5M: a kept connection unused this long is closed
 * @param stuckGrace {@code PXOPS_STUCK_GRACE}, default PT2M: how long a pod may be unschedulable before it is stuck
 * @param instanceId {@code PXOPS_INSTANCE_ID}, default the host name: the consumer's {@code group.instance.id}
 *     (static membership: a restarted verifier takes its partitions back at once)
 * @param healthPort {@code PXOPS_HEALTH_PORT}, default 8080 (0: any free port): {@code /livez} and {@code /readyz}
 */
public record VerifierConfig(String bootstrapServers, int holdPolls, Duration holdFor, Duration recheck,
    int maxTables, Duration connectTimeout, Duration queryTimeout, int maxConnections, Duration connectionIdle,
    Duration stuckGrace, String instanceId, int healthPort) {

  public VerifierConfig {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("KAFKA_BOOTSTRAP_SERVERS must name at least one host:port");
    }
    if (holdPolls < 1 || holdPolls > 100) {
      throw new IllegalArgumentException("PXOPS_VERIFY_HOLD_POLLS must be between 1 and 100, was " + holdPolls);
    }
    if (holdFor.isNegative() || holdFor.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("PXOPS_VERIFY_HOLD_FOR must be between 0 and 1 h, was " + holdFor);
    }
    if (maxConnections < 1 || maxConnections > 10_000) {
      throw new IllegalArgumentException("PXOPS_VERIFY_MAX_CONNECTIONS must be between 1 and 10000, was "
          + maxConnections);
    }
    if (maxTables < 0 || maxTables > 1000) {
      throw new IllegalArgumentException("PXOPS_VERIFY_MAX_TABLES must be between 0 and 1000, was " + maxTables);
    }
  }

  /** The defaults, with Kafka at {@code bootstrapServers}. */
  public static VerifierConfig defaults(String bootstrapServers) {
    return fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers));
  }

  public static VerifierConfig fromEnv(Map<String, String> env) {
    return new VerifierConfig(env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
        ConfigOrExit.wholeNumber(env, "PXOPS_VERIFY_HOLD_POLLS", "3"), ConfigOrExit.duration(env, "PXOPS_VERIFY_HOLD_FOR", "PT0S"),
        ConfigOrExit.positiveDuration(env, "PXOPS_RECHECK_INTERVAL", "PT1S"),
        ConfigOrExit.wholeNumber(env, "PXOPS_VERIFY_MAX_TABLES", "16"), ConfigOrExit.positiveDuration(env, "PXOPS_VERIFY_CONNECT_TIMEOUT", "PT2S"),
        ConfigOrExit.positiveDuration(env, "PXOPS_VERIFY_QUERY_TIMEOUT", "PT30S"),
        ConfigOrExit.wholeNumber(env, "PXOPS_VERIFY_MAX_CONNECTIONS", "48"), ConfigOrExit.positiveDuration(env, "PXOPS_VERIFY_CONNECTION_IDLE", "PT5M"),
        ConfigOrExit.positiveDuration(env, "PXOPS_STUCK_GRACE", "PT2M"),
        ConfigOrExit.instanceId(env), ConfigOrExit.port(env, "PXOPS_HEALTH_PORT", "8080"));
  }
}
