package io.pxops.steprunners.coordinator;

import io.pxops.pipeline.ConfigOrExit;
import io.pxops.pipeline.UntilStopped;
import io.pxops.pipeline.health.HealthServer;
import io.pxops.pipeline.health.KafkaReachability;
import io.pxops.pipeline.health.ServiceHealth;
import io.pxops.pipeline.health.StreamsHealth;
import io.pxops.pipeline.kafka.KafkaClientSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the coordinator as its own process; two instances share the databases through the consumer group. */
public final class CoordinatorMain {

  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorMain.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private CoordinatorMain() {
  }

  public static void main(String[] args) throws Exception {
    CoordinatorConfig config = ConfigOrExit.read("coordinator", args,
        CoordinatorConfig::fromEnv);
    LOG.info("coordinator starting with {}", config);
    KafkaReachability kafka = new KafkaReachability(config.kafka());
    ServiceHealth health = ServiceHealth.forProcess("coordinator", kafka);
    HealthServer probes = HealthServer.start(config.healthPort(), health);
    AtomicReference<KafkaStreams> running = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(UntilStopped.onStop(health, () -> {
      KafkaStreams streams = running.get();
      if (streams != null) {
        logHandOverMetrics(streams);
        // leave the group at once, so that another instance takes the databases over without waiting for the
        // session timeout; bounded, so that a stop with the broker gone still ends in time
        streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
      }
      probes.close();
      kafka.close();
      stopped.countDown();
    }));
    createMissingTopics(config.kafka(), config.replicationFactor(), config.eventsRetention());
    dropStateWithoutCheckpoint(config);
    KafkaStreams streams = new KafkaStreams(CoordinatorTopology.build(config.tickInterval(), Clock.systemUTC()),
        config.streamsProperties());
    StreamsHealth.watch(streams, "streams", health);
    running.set(streams);
    streams.start();
    LOG.info("coordinator started: instance {}, health probes on port {}", config.instanceId(), probes.port());
    stopped.await();
  }

  /**
   * The figures behind a step's hand-over time, logged once at stop: how long the stream thread spends committing
   * (under exactly-once a command is visible only after its transaction commits), polling and processing.
   */
  static void logHandOverMetrics(KafkaStreams streams) {
    Map<String, String> figures = new java.util.TreeMap<>();
    streams.metrics().forEach((name, metric) -> {
      boolean wanted = switch (name.group()) {
        case "stream-thread-metrics" -> name.name().matches("(commit|poll|process)-latency-(avg|max)|commit-total");
        case "producer-metrics" -> name.name().matches("txn-(commit|send-offsets|begin)-time-ns-total|"
            + "record-retry-total|request-latency-(avg|max)");
        default -> false;
      };
      if (wanted && metric.metricValue() instanceof Number n) {
        figures.merge(name.group().replace("-metrics", "") + "." + name.name(), String.format("%.2f",
            n.doubleValue()), (a, b) -> a + "|" + b);
      }
    });
    LOG.info("coordinator stopping; hand-over figures {}", figures);
  }

  /**
   * After a crash under exactly-once, a task's local stores have no checkpoint and Streams throws them away
   * ("tasks are corrupted") and restores them from the changelog anyway — but only after opening them, and with one
   * more rebalance: seconds of a restart after SIGKILL while the updates wait (measured ~3 s on a loaded 2-core
   * machine). Deleting those task directories first lets the restore start at once. Stores with a checkpoint (a
   * clean stop) are kept; the process metadata is kept, so the transactional id stays the same and the dead
   * instance's open transaction is fenced at once rather than holding read_committed readers until it times out.
   */
  static void dropStateWithoutCheckpoint(CoordinatorConfig config) throws java.io.IOException {
    if (!org.apache.kafka.streams.StreamsConfig.EXACTLY_ONCE_V2.equals(config.processingGuarantee())) {
      return; // at-least-once keeps and reuses stores without a checkpoint
    }
    java.nio.file.Path appDir = config.stateDir().resolve(config.applicationId());
    if (!java.nio.file.Files.isDirectory(appDir)) {
      return;
    }
    try (var tasks = java.nio.file.Files.list(appDir)) {
      for (java.nio.file.Path task : tasks.filter(java.nio.file.Files::isDirectory)
          .filter(d -> d.getFileName().toString().matches("\\d+_\\d+"))
          .filter(d -> !java.nio.file.Files.exists(d.resolve(".checkpoint"))).toList()) {
        LOG.info("dropping {}: no checkpoint (the last stop was not clean); it is restored from its changelog", task);
        try (var files = java.nio.file.Files.walk(task)) {
          for (java.nio.file.Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
            java.nio.file.Files.delete(f);
          }
        }
      }
    }
  }

  /**
   * Creates every topic of the catalogue that does not exist yet and sets the declared retention on those that do
   * ({@link TopicCatalogue}).
   */
  static void createMissingTopics(String bootstrapServers, int replicationFactor, Duration eventsRetention)
      throws Exception {
    createMissingTopics(KafkaClientSettings.plaintext(bootstrapServers), replicationFactor, eventsRetention);
  }

  /** As above, with the brokers and client settings (TLS, SASL) of {@code kafka}. */
  static void createMissingTopics(KafkaClientSettings kafka, int replicationFactor, Duration eventsRetention)
      throws Exception {
    try (Admin admin = Admin.create(kafka.map(Map.of()))) {
      TopicCatalogue.ensure(admin, replicationFactor, eventsRetention);
    }
  }
}
