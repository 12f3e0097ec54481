package io.pxops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.GroupIds;
import io.pxops.events.Step;
import io.pxops.pipeline.DeadLetters;
import io.pxops.pipeline.health.HealthServer;
import io.pxops.pipeline.health.ServiceHealth;
import io.pxops.pipeline.metrics.PxopsMeters;
import io.pxops.pipeline.metrics.ServiceMetrics;
import io.pxops.requestingest.IngestMeters;
import io.pxops.verifier.VerdictMeters;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Every metric name the dashboard queries is one a scrape of {@code /metrics} shows once the meters are registered
 * the way the services register them at start-up and on their first step — cheaply, in one JVM, without a broker.
 * The same check against the five real services during a real update is in {@link RollingUpdateIT}.
 */
class DashboardMetricsTest {

  @Test
  void givenTheMetersOfEveryService_thenEveryNameTheDashboardQueriesIsScraped() throws Exception {
    // what the services' start-up registers: the ingest's doors, the verifier's verdicts, the projector's phases,
    // the dead letters and retries of the command loop
    IngestMeters.initialize();
    VerdictMeters.initialize();
    PxopsMeters.initializeUpdates();
    PxopsMeters.initializeRetries();
    DeadLetters.initializeMeters(GroupIds.COORDINATOR, "PlanFailed");
    // the two histograms, as CommandService and the coordinator register them on their first observation
    PxopsMeters.stepTimer(Step.EVICT_POD.name(), "done");
    PxopsMeters.handover(Step.EVICT_POD.name());
    // Kafka clients bound as the services bind theirs (no broker needed to build them)
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9", ConsumerConfig.GROUP_ID_CONFIG, "dashboard"),
            new StringDeserializer(), new StringDeserializer());
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9"), new StringSerializer(), new StringSerializer());
        HealthServer server = HealthServer.start(0, ServiceHealth.detached("dashboard-test"))) {
      ServiceMetrics.bind(consumer);
      ServiceMetrics.bind(producer);
      MetricsScrape scrape = MetricsScrape.of("dashboard-test", "http://127.0.0.1:" + server.port());

      assertThat(DashboardQueries.metricNames(DashboardQueries.DASHBOARD))
          .as("every metric the dashboard queries").isSubsetOf(scrape.names());
    }
  }
}
