package io.pxops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.JsonCodec;
import io.pxops.events.Topics;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.pipeline.doorauth.DoorAuthConfig;
import io.pxops.pipeline.doorauth.DoorAuthorizer;
import io.pxops.requestingest.LifecycleLogPublisher;
import io.pxops.requestingest.kubernetes.OpsRequestWatcher;
import io.pxops.sandbox.kafka.UniqueNames;
import io.pxops.sandbox.kube.LocalAccessReviews;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.sandbox.world.LocalWorldExtension;
import io.pxops.statusprojector.ProjectorConfig;
import io.pxops.statusprojector.StatusProjector;
import io.pxops.steprunners.coordinator.CoordinatorConfig;
import io.pxops.steprunners.coordinator.CoordinatorTopology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The life of a request through the ingest, the coordinator and the status projector together, with no step
 * runner answering (step timeouts are seconds long, and long enough that each phase can be observed on a slow
 * machine): a request applied with kubectl is admitted and Progressing, its first step fails at its
 * timeout with a reason, and the HTTP API, the status topic and the ops request object all say so; three requests
 * for one database queue by KubeDB's rules while another database's request progresses at the same time.
 */
class RequestLifecycleIT {

  private static final String NS = "life";

  @RegisterExtension
  static final LocalWorldExtension WORLD = new LocalWorldExtension(LocalWorld.builder().namespace(NS)
      .pods(LocalWorld.Pods.SIMULATED));

  private static LifecycleLogPublisher publisher;
  private static OpsRequestWatcher ingest;
  private static KafkaStreams coordinator;
  private static StatusProjector projector;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void startTheServices() throws Exception {
    LocalWorld world = WORLD.world();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        world.kafka().bootstrapServers()))) {
      admin.createTopics(Topics.all().stream().map(t -> new NewTopic(t.name(), t.partitions(), (short) 1)
          .configs(t.compacted() ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
              : Map.of())).toList()).all().get();
    }
    world.createDatabase("orders", 3, world.olderVersion());
    world.createDatabase("carts", 3, world.olderVersion());
    publisher = new LifecycleLogPublisher(world.kafka().bootstrapServers());
    ingest = new OpsRequestWatcher(world.client(), publisher, Duration.ofMinutes(10), Clock.systemUTC()).start();
    CoordinatorConfig cc = CoordinatorConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS",
        world.kafka().bootstrapServers(), "PXOPS_STATE_DIR", Files.createTempDirectory("coordinator-").toString(),
        "PXOPS_APPLICATION_ID", UniqueNames.unique("coordinator"), "PXOPS_TICK_INTERVAL", "PT0.2S",
        "PXOPS_REPLICATION_FACTOR", "1"));
    coordinator = new KafkaStreams(CoordinatorTopology.build(cc.tickInterval(), Clock.systemUTC()),
        cc.streamsProperties());
    coordinator.start();
    projector = StatusProjector.start(new ProjectorConfig(world.kafka().bootstrapServers(),
        Files.createTempDirectory("projector-"), "127.0.0.1", 0, "127.0.0.1", true,
        UniqueNames.unique("projector"), UniqueNames.unique("writeback"), 1, Map.of()), world.client(),
        DoorAuthorizer.of(DoorAuthConfig.defaults(), world.client(), "the status door"));
  }

  @AfterAll
  static void stopTheServices() {
    projector.close();
    coordinator.close(Duration.ofSeconds(10));
    ingest.close();
    publisher.close();
  }

  @Test
  void givenNoRunnerAnswers_thenTheFirstStepFailsAtItsTimeoutAndEveryViewSaysSo(LocalWorld world) throws Exception {
    Kubectl.apply(world, Kubectl.updateVersionYaml(NS, "orders-upd", "orders", world.newerVersion(), "8s"));

    await().atMost(Duration.ofSeconds(30)).until(() -> "Progressing".equals(Kubectl.objectPhase(world, "orders-upd")));
    assertThat(Kubectl.phase(world, "orders-upd")).isIn("Progressing", "Failed");

    await().atMost(Duration.ofSeconds(60)).until(() -> "Failed".equals(Kubectl.objectPhase(world, "orders-upd")));
    JsonNode status = httpStatus("orders-upd");
    assertThat(status.path("phase").asText()).isEqualTo("Failed");
    assertThat(status.toString()).contains("StepTimedOut");
    JsonNode failed = condition(status, "Preflight");
    assertThat(failed.path("status").asText()).isEqualTo("False");

    PerconaXtraDBOpsRequest object = world.client().resources(PerconaXtraDBOpsRequest.class).inNamespace(NS)
        .withName("orders-upd").get();
    assertThat(object.getStatus().getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Preflight");
      assertThat(c.getStatus()).isEqualTo("False");
    });
    assertThat(Kubectl.phase(world, "orders-upd")).isEqualTo("Failed");
    assertThat(statusTopicPhase(world, NS + "/orders-upd")).isEqualTo("Failed");
  }

  @Test
  void givenThreeRequestsForOneDatabase_thenTheOlderPendingIsSkippedAndTheNewestRunsAfterTheFirst(LocalWorld world)
      throws Exception {
    Kubectl.apply(world, Kubectl.updateVersionYaml(NS, "carts-1", "carts", world.newerVersion(), "15s"));
    await().atMost(Duration.ofSeconds(30)).until(() -> "Progressing".equals(Kubectl.objectPhase(world, "carts-1")));
    Kubectl.apply(world, Kubectl.updateVersionYaml(NS, "carts-2", "carts", world.newerVersion(), "15s"));
    await().atMost(Duration.ofSeconds(30)).until(() -> "Pending".equals(Kubectl.objectPhase(world, "carts-2")));
    Kubectl.apply(world, Kubectl.updateVersionYaml(NS, "carts-3", "carts", world.newerVersion(), "15s"));
    Kubectl.apply(world, Kubectl.updateVersionYaml(NS, "other-1", "orders", world.newerVersion(), "15s"));

    await().atMost(Duration.ofSeconds(30)).until(() -> "Skipped".equals(Kubectl.objectPhase(world, "carts-2")));
    await().atMost(Duration.ofSeconds(30)).until(() -> "Progressing".equals(Kubectl.objectPhase(world, "other-1"))
        && "Progressing".equals(Kubectl.objectPhase(world, "carts-1")));
    assertThat(Kubectl.objectPhase(world, "carts-3")).isEqualTo("Pending");

    await().atMost(Duration.ofSeconds(60)).until(() -> "Failed".equals(Kubectl.objectPhase(world, "carts-1")));
    await().atMost(Duration.ofSeconds(30)).until(() -> List.of("Progressing", "Failed")
        .contains(Kubectl.objectPhase(world, "carts-3")));
    assertThat(Kubectl.objectPhase(world, "carts-2")).as("a skipped request stays skipped").isEqualTo("Skipped");
    assertThat(httpStatus("carts-2").path("phase").asText()).isEqualTo("Skipped");
  }

  private static JsonNode condition(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    throw new AssertionError("no condition " + type + " in " + status);
  }

  private static JsonNode httpStatus(String name) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(projector.url()
        + "/api/v1/namespaces/" + NS + "/updaterequests/" + name))
        .header("Authorization", "Bearer " + LocalAccessReviews.ADMIN_TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JsonCodec.shared().mapper().readTree(r.body());
  }

  private static String statusTopicPhase(LocalWorld world, String key) throws Exception {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, world.kafka().bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, UniqueNames.unique("status-reader"));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, String> last = new HashMap<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      c.subscribe(List.of(Topics.STATUS));
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          last.put(r.key(), JsonCodec.shared().mapper().readTree(r.value()).path("phase").asText());
        }
        return "Failed".equals(last.get(key));
      });
    }
    return last.get(key);
  }
}
