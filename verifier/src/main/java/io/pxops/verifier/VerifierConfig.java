package io.pxops.verifier;

import io.pxops.pipeline.ConfigOrExit;
import io.pxops.pipeline.kafka.KafkaClientSettings;
import io.pxops.pipeline.settings.PxopsSettings;
import java.time.Duration;
import java.util.Map;

/**
 * The verifier's configuration, read once at start from the environment through the declarations of
 * {@link PxopsSettings} (names, defaults and rules are there, and in the README's settings table); every setting has
 * a default. Kubernetes comes
 * from fabric8's usual sources (KUBECONFIG, ~/.kube/config, in-cluster).
 *
 * @param kafka {@code KAFKA_BOOTSTRAP_SERVERS} (default {@code localhost:9092}) and the Kafka client settings of
 *     {@code PXOPS_KAFKA_*} and {@code PXOPS_KAFKA_CONFIG_FILE} ({@link KafkaClientSettings}): TLS, SASL
 * @param holdPolls {@code PXOPS_VERIFY_HOLD_POLLS}, default 3: consecutive healthy looks in one unchanged cluster view
 *     before a check passes (taken back to back; see {@link GaleraVerifier})
 * @param holdFor {@code PXOPS_VERIFY_HOLD_FOR}, default {@code 0s}: how long the view must also have stayed unchanged;
 *     above zero, looks go on at {@code recheck} (or when a pod changes) until it has
 * @param recheck {@code PXOPS_RECHECK_INTERVAL}, default {@code 1s}: the time between looks
 * @param maxTables {@code PXOPS_VERIFY_MAX_TABLES}, default 16: user tables the data check compares
 * @param connectTimeout {@code PXOPS_VERIFY_CONNECT_TIMEOUT}, default {@code 2s}
 * @param queryTimeout {@code PXOPS_VERIFY_QUERY_TIMEOUT}, default {@code 30s}: one query of the data check
 * @param maxConnections {@code PXOPS_VERIFY_MAX_CONNECTIONS}, default 48: node connections kept across looks
 * @param connectionIdle {@code PXOPS_VERIFY_CONNECTION_IDLE}, default {@code 5m}: a kept connection unused this long is closed
 * @param stuckGrace {@code PXOPS_STUCK_GRACE}, default {@code 2m}: how long a pod may be unschedulable before it is stuck
 * @param instanceId {@code PXOPS_INSTANCE_ID}, default the host name: the consumer's {@code group.instance.id}
 *     (static membership: a restarted verifier takes its partitions back at once)
 * @param healthPort {@code PXOPS_HEALTH_PORT}, default 8080 (0: any free port): {@code /livez} and {@code /readyz}
 * @param chunkRows {@code PXOPS_VERIFY_CHUNK_ROWS}, default 2000: the most rows of one chunk of the data check
 *     ({@link BoundedDataCheck}), 1..10,000,000; small enough that the one chunk a check may overrun its time by
 *     costs a few milliseconds
 * @param rowsPerVerdict {@code PXOPS_VERIFY_ROWS_PER_VERDICT}, default 50000: the most rows a verdict compares on
 *     each node, checked once, at the look that completes the hold: the newest chunk of each table, and the next
 *     chunks of a rotation that covers every table over consecutive verdicts
 * @param timePerVerdict {@code PXOPS_VERIFY_TIME_PER_VERDICT}, default {@code 50ms}: the time a verdict's data check
 *     may take (each chunk read on every node at once); once it has passed no further chunk is started (the one under
 *     way ends, so a check may overrun by one chunk). This is what bounds the check's share of an update's wall time,
 *     whatever the size of the data: about what the verdict's status looks take, so a verdict on any amount of data
 *     costs at most about twice one on an empty database (measured: {@code scripts/bench.sh --suites overhead})
 * @param chunkPause {@code PXOPS_VERIFY_CHUNK_PAUSE}, default {@code 10ms} ({@code 0s}: none): the longest pause
 *     between two chunks; the pause is as long as the chunk before took, up to this, so that the check leaves the
 *     node to the application at least half of the time and a quick chunk is not followed by a long wait
 */
public record VerifierConfig(KafkaClientSettings kafka, int holdPolls, Duration holdFor, Duration recheck,
    int maxTables, Duration connectTimeout, Duration queryTimeout, int maxConnections, Duration connectionIdle,
    Duration stuckGrace, String instanceId, int healthPort, int chunkRows, long rowsPerVerdict,
    Duration timePerVerdict, Duration chunkPause) {

  public VerifierConfig {
    if (kafka == null) {
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
    if (chunkRows < 1 || chunkRows > 10_000_000) {
      throw new IllegalArgumentException("PXOPS_VERIFY_CHUNK_ROWS must be between 1 and 10000000, was " + chunkRows);
    }
    if (rowsPerVerdict < 1) {
      throw new IllegalArgumentException("PXOPS_VERIFY_ROWS_PER_VERDICT must be at least 1, was " + rowsPerVerdict);
    }
    if (chunkPause.isNegative() || chunkPause.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("PXOPS_VERIFY_CHUNK_PAUSE must be between 0s and 10s, was "
          + chunkPause);
    }
  }

  /** The defaults, with Kafka at {@code bootstrapServers}. */
  public static VerifierConfig defaults(String bootstrapServers) {
    return fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers));
  }

  /** Reads the settings through their declarations in {@link PxopsSettings}. */
  public static VerifierConfig fromEnv(Map<String, String> env) {
    return new VerifierConfig(KafkaClientSettings.fromEnv(env),
        Math.toIntExact(PxopsSettings.VERIFY_HOLD_POLLS.read(env)), PxopsSettings.VERIFY_HOLD_FOR.read(env),
        PxopsSettings.RECHECK_INTERVAL.read(env), Math.toIntExact(PxopsSettings.VERIFY_MAX_TABLES.read(env)),
        PxopsSettings.VERIFY_CONNECT_TIMEOUT.read(env), PxopsSettings.VERIFY_QUERY_TIMEOUT.read(env),
        Math.toIntExact(PxopsSettings.VERIFY_MAX_CONNECTIONS.read(env)), PxopsSettings.VERIFY_CONNECTION_IDLE.read(env),
        PxopsSettings.STUCK_GRACE.read(env), ConfigOrExit.instanceId(env),
        Math.toIntExact(PxopsSettings.HEALTH_PORT.read(env)),
        Math.toIntExact(PxopsSettings.VERIFY_CHUNK_ROWS.read(env)), PxopsSettings.VERIFY_ROWS_PER_VERDICT.read(env),
        PxopsSettings.VERIFY_TIME_PER_VERDICT.read(env), PxopsSettings.VERIFY_CHUNK_PAUSE.read(env));
  }

  /** The brokers. */
  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }
}
