package io.pxops.steprunners.coordinator;

import io.pxops.pipeline.ConfigOrExit;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the coordinator as its own process; two instances share the databases through the consumer group. */
public final class CoordinatorMain {

  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorMain.class);

  private CoordinatorMain() {
  }

  public static void main(String[] args) throws Exception {
    CoordinatorConfig config = ConfigOrExit.read("coordinator", args,
        CoordinatorConfig::fromEnv);
    LOG.info("coordinator starting with {}", config);
    createMissingTopics(config.bootstrapServers(), config.replicationFactor(), config.eventsRetention());
    KafkaStreams streams = new KafkaStreams(CoordinatorTopology.build(config.tickInterval(), Clock.systemUTC()),
        config.streamsProperties());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      logHandOverMetrics(streams);
      // leave the group at once, so that another instance takes the databases over without waiting for the
      // session timeout (a crashed instance is noticed only after it)
      streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
          .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
      stopped.countDown();
    }, "coordinator-shutdown"));
    streams.start();
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
   * Creates every topic of the catalogue that does not exist yet and sets the declared retention on those that do
   * ({@link TopicCatalogue}).
   */
  static void createMissingTopics(String bootstrapServers, int replicationFactor, Duration eventsRetention)
      throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      TopicCatalogue.ensure(admin, replicationFactor, eventsRetention);
    }
  }
}
