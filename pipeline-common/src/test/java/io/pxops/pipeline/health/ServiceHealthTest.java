package io.pxops.pipeline.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ServiceHealthTest {

  private final List<String> exits = new CopyOnWriteArrayList<>();
  private final AtomicReference<String> kafka = new AtomicReference<>();
  private final ServiceHealth health = new ServiceHealth("ingest", (s, reason, cause) -> exits.add(reason),
      kafka::get);

  @Test
  void givenALoopThatThrows_thenTheProcessExitsAndIsNoLongerLive() {
    health.guard("kafka-door", () -> {
      throw new IllegalStateException("could not write a dead letter");
    }).run();

    assertThat(exits).singleElement().asString().startsWith("kafka-door died")
        .contains("could not write a dead letter");
    assertThat(health.live().ok()).isFalse();
    assertThat(health.live().body()).contains("kafka-door");
    assertThat(health.readiness().ok()).isFalse();
  }

  @Test
  void givenALoopThatReturnsWhileRunning_thenThatIsADeathToo() {
    health.guard("watcher", () -> { }).run();

    assertThat(exits).singleElement().asString().contains("returned");
  }

  @Test
  void givenTheServiceIsStopping_thenALoopEndingIsNoDeathAndItIsNotReady() {
    health.ready("kafka-door");
    health.stopping();
    health.guard("kafka-door", () -> { }).run();

    assertThat(exits).isEmpty();
    assertThat(health.readiness().ok()).isFalse();
    assertThat(health.readiness().body()).contains("stopping");
  }

  @Test
  void readyOnlyWhenEveryPartIsReadyAndKafkaAnswers() {
    health.starting("http");
    health.starting("kafka-door");
    assertThat(health.readiness().ok()).isFalse();
    health.ready("http");
    health.ready("kafka-door");
    assertThat(health.readiness().ok()).isTrue();
    kafka.set("Kafka did not answer");
    assertThat(health.readiness().ok()).isFalse();
    assertThat(health.readiness().body()).contains("Kafka did not answer");
    assertThat(health.live().ok()).as("an unreachable broker is not a reason to restart").isTrue();
    kafka.set(null);
    health.notReady("kafka-door", "rebalancing");
    assertThat(health.readiness().ok()).isFalse();
  }

  @Test
  void theHealthServerAnswersTheProbesWithTheirStatusCodes() throws Exception {
    health.ready("command-loop");
    try (HealthServer server = HealthServer.start(0, health)) {
      assertThat(get(server, "/livez").statusCode()).isEqualTo(200);
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);
      kafka.set("unreachable");
      HttpResponse<String> notReady = get(server, "/readyz");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).contains("unreachable");
      health.died("command-loop", "gone", null);
      assertThat(get(server, "/livez").statusCode()).isEqualTo(503);
    }
  }

  @Test
  void givenNoBrokerListens_thenKafkaIsReportedUnreachable() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (KafkaReachability reachability = new KafkaReachability("127.0.0.1:" + closedPort)) {
      String problem = reachability.problem();
      assertThat(problem).contains("describeCluster");
      assertThat(reachability.problem()).as("cached").isSameAs(problem);
    }
  }

  private static HttpResponse<String> get(HealthServer server, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
