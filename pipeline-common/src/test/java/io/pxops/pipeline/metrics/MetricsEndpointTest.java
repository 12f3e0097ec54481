package io.pxops.pipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.InvalidMessageException;
import io.pxops.pipeline.DeadLetters;
import io.pxops.pipeline.health.HealthServer;
import io.pxops.pipeline.health.ServiceHealth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} on the health server, and what the binders and pxops' own meters put there. */
class MetricsEndpointTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> get(HealthServer server, String method) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void givenAHealthServer_thenMetricsAnswersThePrometheusTextWithTheJvmBinders() throws Exception {
    try (HealthServer server = HealthServer.start(0, ServiceHealth.detached("metrics-test"))) {
      HttpResponse<String> scrape = get(server, "GET");
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("Content-Type")).hasValue(ServiceMetrics.CONTENT_TYPE);
      assertThat(scrape.body()).contains("# TYPE jvm_memory_used_bytes gauge", "jvm_threads_live_threads",
          "jvm_classes_loaded_classes", "system_cpu_count", "process_uptime_seconds", "jvm_gc_");
      assertThat(get(server, "POST").statusCode()).isEqualTo(405);
    }
  }

  @Test
  void givenABoundConsumer_thenItsLagIsExposed() {
    // no broker is needed: a consumer registers its fetch metrics, records-lag-max among them, when it is built
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9", ConsumerConfig.GROUP_ID_CONFIG, "metrics-test",
        ConsumerConfig.CLIENT_ID_CONFIG, "metrics-test-consumer"),
        new StringDeserializer(), new StringDeserializer())) {
      ServiceMetrics.bind(consumer);
      assertThat(ServiceMetrics.scrape()).containsPattern(
          "kafka_consumer_fetch_manager_records_lag_max\\{[^}]*client_id=\"metrics-test-consumer\"");
    }
  }

  @Test
  void givenADeadLetter_thenItIsCountedByServiceAndProblemNeverByItsReason() {
    DeadLetters.initializeMeters("metrics-test", "PlanFailed");
    assertThat(ServiceMetrics.scrape()).as("exported at 0 before the first one")
        .contains("pxops_dead_letters_total{problem=\"PlanFailed\",service=\"metrics-test\"} 0.0",
            "pxops_dead_letters_total{problem=\"NotJson\",service=\"metrics-test\"} 0.0");
    DeadLetters.of("metrics-test", "pxops.events", 0, 7L, "ns/db", new byte[] {1},
        DeadLetters.problem(InvalidMessageException.Problem.NOT_JSON), "byte 0x01 at ns/db-1 is not JSON",
        Instant.now());
    String scrape = ServiceMetrics.scrape();
    assertThat(scrape).contains("pxops_dead_letters_total{problem=\"NotJson\",service=\"metrics-test\"} 1.0")
        .doesNotContain("ns/db");
  }

  @Test
  void givenATagValueThatIsNotAConstant_thenItIsBoundedAndNeverEmpty() {
    assertThat(PxopsMeters.tag(null)).isEqualTo("none");
    assertThat(PxopsMeters.tag(" ")).isEqualTo("none");
    assertThat(PxopsMeters.tag("x".repeat(500))).hasSize(64);
  }
}
