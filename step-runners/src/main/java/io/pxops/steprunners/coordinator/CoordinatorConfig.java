package io.pxops.steprunners.coordinator;

import io.pxops.events.GroupIds;
import io.pxops.pipeline.BoundedRocksDb;
import io.pxops.pipeline.ConfigOrExit;
import io.pxops.pipeline.kafka.KafkaClientSettings;
import io.pxops.pipeline.settings.PxopsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The coordinator's configuration, read once at start from the environment through the declarations of
 * {@link PxopsSettings} (names, defaults and rules are there, and in the README's settings table); every setting has
 * a default.
 *
 * @param kafka {@code KAFKA_BOOTSTRAP_SERVERS} (default {@code localhost:9092}) and the Kafka client settings of
 *     {@code PXOPS_KAFKA_*} and {@code PXOPS_KAFKA_CONFIG_FILE} ({@link KafkaClientSettings}): TLS, SASL; laid under
 *     the Streams settings and the coordinator's admin client
 * @param stateDir {@code PXOPS_STATE_DIR}, where the Streams state stores live, default {@code state/coordinator}
 * @param tickInterval {@code PXOPS_TICK_INTERVAL} (default {@code 1s}), how often deadlines are checked
 * @param replicationFactor {@code PXOPS_REPLICATION_FACTOR} of the internal topics, -1 = the broker's default
 * @param applicationId {@code PXOPS_APPLICATION_ID}, default {@link GroupIds#COORDINATOR}
 * @param commitIntervalMs {@code PXOPS_COMMIT_INTERVAL} in milliseconds (default {@code 20ms}; the old
 *     {@code PXOPS_COMMIT_INTERVAL_MS}, whole milliseconds, is still accepted): how often the exactly-once transaction
 *     commits; a command becomes visible to the runners only then, so this bounds the step hand-over from below
 * @param pollMs {@code PXOPS_POLL_TIMEOUT} in milliseconds (default {@code 5ms}; the old {@code PXOPS_POLL_MS},
 *     whole milliseconds, is still accepted): how long the stream thread blocks waiting for input; it commits
 *     only between polls, so a long poll delays the commit of the command just decided (Streams' default 100 ms
 *     measured as ~150 ms per hand-over)
 * @param processingGuarantee {@code PXOPS_PROCESSING_GUARANTEE}, {@code exactly_once_v2} (default) or
 *     {@code at_least_once}. Exactly-once makes a decision, its state and its command one transaction, and a
 *     command visible only at the commit. At-least-once drops the commit from the hand-over: a decision fed the
 *     same input twice changes nothing (UpdatePlan's exhaustive test) and every runner is level-based, so a command
 *     sent twice after a crash is harmless; but the state and the command are separate writes, and a crash after
 *     the state reached its changelog and before the command reached its topic leaves the plan awaiting a command
 *     never sent, until the step times out. Not run under kills (ChaosIT runs exactly-once): not the default
 * @param eventsRetention {@code PXOPS_EVENTS_RETENTION} (default {@code 720h}, 30 days; at least {@code 1h}): how
 *     long the lifecycle log keeps a request's history; the coordinator sets it on the topic at each start
 * @param instanceId {@code PXOPS_INSTANCE_ID}, default the host name (in Kubernetes the pod name, which a
 *     StatefulSet keeps across restarts): the Streams {@code group.instance.id}, see {@link #streamsProperties()}
 * @param healthPort {@code PXOPS_HEALTH_PORT}, default 8080 (0: any free port): {@code /livez} and {@code /readyz}
 */
public record CoordinatorConfig(KafkaClientSettings kafka, Path stateDir, Duration tickInterval, int replicationFactor,
    String applicationId, int commitIntervalMs, int pollMs, String processingGuarantee, String instanceId,
    int healthPort, Duration eventsRetention) {

  /**
   * The session timeout of the Streams consumers: an instance that crashed and does NOT come back has its databases
   * moved to another instance after this long (Streams' default is 45 s). One that comes back under the same
   * instance id takes them back at once, without waiting for it.
   */
  public static final int SESSION_TIMEOUT_MS = 10_000;

  public CoordinatorConfig {
    if (kafka == null) {
      throw new IllegalArgumentException("KAFKA_BOOTSTRAP_SERVERS must name at least one host:port");
    }
    if (tickInterval.isNegative() || tickInterval.isZero() || tickInterval.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("PXOPS_TICK_INTERVAL must be between 1ms and 1m, was "
          + tickInterval);
    }
    if (commitIntervalMs < 0 || commitIntervalMs > 60_000) {
      throw new IllegalArgumentException("PXOPS_COMMIT_INTERVAL must be between 0s and 1m, was "
          + commitIntervalMs + "ms");
    }
    if (!StreamsConfig.EXACTLY_ONCE_V2.equals(processingGuarantee)
        && !StreamsConfig.AT_LEAST_ONCE.equals(processingGuarantee)) {
      throw new IllegalArgumentException("PXOPS_PROCESSING_GUARANTEE must be exactly_once_v2 or at_least_once, was "
          + processingGuarantee);
    }
    if (pollMs < 1 || pollMs > 10_000) {
      throw new IllegalArgumentException("PXOPS_POLL_TIMEOUT must be between 1ms and 10s, was " + pollMs + "ms");
    }
    if (eventsRetention.compareTo(Duration.ofHours(1)) < 0) {
      // shorter than the longest step: a request's own history would go while it runs
      throw new IllegalArgumentException("PXOPS_EVENTS_RETENTION must be at least 1h, was " + eventsRetention);
    }
    if (replicationFactor == 0 || replicationFactor < -1) {
      throw new IllegalArgumentException("PXOPS_REPLICATION_FACTOR must be -1 or at least 1, was "
          + replicationFactor);
    }
  }

  /**
   * Reads the configuration from environment variables (tests pass a plain map), through the declarations of
   * {@link PxopsSettings}.
   */
  public static CoordinatorConfig fromEnv(Map<String, String> env) {
    return new CoordinatorConfig(KafkaClientSettings.fromEnv(env),
        Path.of(PxopsSettings.COORDINATOR_STATE_DIR.read(env)), PxopsSettings.TICK_INTERVAL.read(env),
        Math.toIntExact(PxopsSettings.REPLICATION_FACTOR.read(env)), PxopsSettings.COORDINATOR_APPLICATION_ID.read(env),
        Math.toIntExact(PxopsSettings.COMMIT_INTERVAL.read(env).toMillis()),
        Math.toIntExact(PxopsSettings.POLL_TIMEOUT.read(env).toMillis()), PxopsSettings.PROCESSING_GUARANTEE.read(env),
        ConfigOrExit.instanceId(env), Math.toIntExact(PxopsSettings.HEALTH_PORT.read(env)),
        PxopsSettings.EVENTS_RETENTION.read(env));
  }

  /** The Kafka Streams properties. */
  public Properties streamsProperties() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
    // Streams' producer default is linger.ms=100; a command waiting to be batched is a step waiting
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
    // one decision per step: a short commit interval keeps the step-to-step latency low under EOS
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
    p.put(StreamsConfig.POLL_MS_CONFIG, pollMs);
    // commit markers of the previous transaction make the next TxnOffsetCommit answer CONCURRENT_TRANSACTIONS;
    // at the default 100 ms back-off every step would pay ~100 ms (measured: p99 115 ms vs 18 ms at 1 ms)
    p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 5);
    p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
    // static membership (KIP-345; Streams adds "-<thread>" per stream thread): killed and started again, the
    // instance rejoins under its old identity and gets its tasks back at once. Without it the group waited for the
    // dead member's session to expire: two running updates stood still ~40 s after a SIGKILL of the coordinator.
    if (instanceId != null) {
      p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), applicationId + "-" + instanceId);
    }
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
    return kafka.properties(p);
  }

  /** The brokers. */
  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }
}
