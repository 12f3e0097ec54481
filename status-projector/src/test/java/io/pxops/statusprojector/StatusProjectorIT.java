package io.pxops.statusprojector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.pxops.events.AwaitPodRunning;
import io.pxops.events.DeadLetter;
import io.pxops.events.Envelope;
import io.pxops.events.Headers;
import io.pxops.events.JsonCodec;
import io.pxops.events.Topics;
import io.pxops.events.UpdateDatabaseVersion;
import io.pxops.events.VerifyCluster;
import io.pxops.events.status.RequestStatus;
import io.pxops.events.status.StatusFold;
import io.pxops.kubedb.Condition;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.kubedb.PerconaXtraDBOpsRequestSpec;
import io.pxops.pipeline.doorauth.DoorAuthConfig;
import io.pxops.pipeline.doorauth.DoorAuthorizer;
import io.pxops.sandbox.kafka.TopicSpec;
import io.pxops.sandbox.kube.LocalAccessReviews;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.sandbox.world.LocalWorldExtension;
import io.pxops.statusprojector.k8s.OpsRequestStatusClient;
import io.pxops.statusprojector.projection.StatusTopology;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The projector against a real broker and the local Kubernetes API. The lifecycle logs are written
 * by the real update plan with simulated runners (no coordinator process is needed), and produced
 * to {@code pxops.events} as the coordinator and the runners would.
 */
class StatusProjectorIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper MAPPER = JsonCodec.shared().mapper();

  @RegisterExtension
  static final LocalWorldExtension WORLD = new LocalWorldExtension(
      LocalWorld.builder().namespace("projector-it").pods(LocalWorld.Pods.SIMULATED));

  private static KafkaProducer<String, byte[]> producer;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void topicsAndProducer() {
    LocalWorld world = WORLD.world();
    world.kafka().createTopics(TopicSpec.of(Topics.EVENTS, Topics.DEFAULT_PARTITIONS),
        TopicSpec.compacted(Topics.STATUS, Topics.DEFAULT_PARTITIONS),
        TopicSpec.of(Topics.DLQ, Topics.DEFAULT_PARTITIONS),
        TopicSpec.of(Topics.CAMPAIGNS, Topics.DEFAULT_PARTITIONS));
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, world.kafka().bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  @AfterAll
  static void closeProducer() {
    producer.close();
  }

  // ---- (a) one instance: HTTP, pxops.status and the ops request objects ---------------------

  @Test
  void givenARealisticLog_whenProjected_thenHttpTheStatusTopicAndTheOpsRequestObjectsShowIt()
      throws Exception {
    LocalWorld world = WORLD.world();
    String ns = world.namespace();
    world.createDatabase("orders", 3, world.olderVersion());
    createOpsRequest(world, "upd-1", "orders");
    createOpsRequest(world, "upd-b", "billing");
    LifecycleLog orders = new LifecycleLog(ns, "orders", 3)
        .reject("from-kafka", "spec.updateVersion.targetVersion", "UpdateConstraints",
            "upgrade from version 8.0.40 to 5.7.44 is not supported")
        .admit("upd-1").runToIdle();
    LifecycleLog billing = new LifecycleLog(ns, "billing", 3).admit("upd-b")
        .runUntil(AwaitPodRunning.class, "billing-1")
        .failStep("ImagePullBackOff", "pod billing-1 cannot pull its image", false).runToIdle();

    try (StatusProjector projector = StatusProjector.start(config("one", true), world.client(),
        doors(world))) {
      producer.send(new ProducerRecord<>(Topics.EVENTS, ns + "/orders",
          "{not an envelope".getBytes(StandardCharsets.UTF_8)));
      produce(orders.log());
      produce(billing.log());

      // HTTP
      String base = projector.url() + "/api/v1/namespaces/" + ns;
      await().atMost(WAIT).until(() -> phaseOf(get(base + "/updaterequests/upd-1")), "Successful"::equals);
      HttpResponse<String> success = get(base + "/updaterequests/upd-1");
      RequestStatus expected = fold(orders.log(), ns + "/upd-1");
      assertThat(tree(success.body())).isEqualTo(MAPPER.valueToTree(expected));
      assertThat(tree(success.body()).get("conditions").findValuesAsText("type")).containsExactly(
          "UpdateVersion", "Preflight", "VerifyCluster", "PauseDatabase", "UpdatePetSets",
          "GetPod--orders-2", "EvictPod--orders-2", "CheckPodRunning--orders-2",
          "VerifyPod--orders-2", "GetPod--orders-1", "EvictPod--orders-1",
          "CheckPodRunning--orders-1", "VerifyPod--orders-1", "GetPod--orders-0",
          "EvictPod--orders-0", "CheckPodRunning--orders-0", "VerifyPod--orders-0",
          "RestartPods", "UpdateDatabase", "ResumeDatabase", "Successful");
      await().atMost(WAIT).until(() -> phaseOf(get(base + "/updaterequests/upd-b")), "Failed"::equals);
      await().atMost(WAIT).until(() -> phaseOf(get(base + "/updaterequests/from-kafka")), "Failed"::equals);
      JsonNode rejected = tree(get(base + "/updaterequests/from-kafka").body());
      assertThat(rejected.get("rejection").get("rule").asText()).isEqualTo("UpdateConstraints");
      HttpResponse<String> unknown = get(base + "/updaterequests/never-made");
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(tree(unknown.body()).get("message").asText()).contains(ns + "/never-made");
      JsonNode database = tree(get(base + "/databases/orders").body());
      assertThat(database.get("lastSuccessfulVersion").asText()).isEqualTo("8.4.3");
      assertThat(database.has("activeRequest")).isFalse();
      JsonNode failed = tree(get(projector.url() + "/api/v1/updaterequests?phase=Failed").body());
      assertThat(failed.get("items").findValuesAsText("opsRequest"))
          .containsExactly(ns + "/from-kafka", ns + "/upd-b");
      JsonNode ofOrders = tree(get(projector.url()
          + "/api/v1/updaterequests?database=" + ns + "/orders").body());
      assertThat(ofOrders.get("items").findValuesAsText("opsRequest"))
          .containsExactly(ns + "/from-kafka", ns + "/upd-1");

      // a campaign's progress, as the coordinator writes it, is read over HTTP under the campaign's name
      String campaign = "px-" + ns;
      producer.send(new ProducerRecord<>(Topics.CAMPAIGNS, campaign, MAPPER
          .writerFor(io.pxops.events.campaign.CampaignRecord.class)
          .writeValueAsBytes(new io.pxops.events.campaign.CampaignRecord.Progress(campaign, "run1",
              java.time.Instant.parse("2026-07-02T09:00:00Z"), new io.pxops.events.campaign.CampaignProgress(campaign,
              "AwaitingApproval", List.of(new io.pxops.events.campaign.CampaignProgress.StageProgress("canary",
              "Completed", 1, 0, 0, 0, 0, 0))), 0, 0, 0))));
      await().atMost(WAIT).until(() -> get(projector.url() + "/api/v1/campaigns/" + campaign).statusCode() == 200);
      JsonNode progress = tree(get(projector.url() + "/api/v1/campaigns/" + campaign).body());
      assertThat(progress.at("/progress/phase").asText()).isEqualTo("AwaitingApproval");
      assertThat(progress.at("/progress/stages/0/done").asInt()).isEqualTo(1);
      assertThat(get(projector.url() + "/api/v1/campaigns/never-made").statusCode()).isEqualTo(404);
      // the dashboard's campaigns panel: every campaign, with its stages
      JsonNode campaigns = tree(get(projector.url() + "/api/v1/campaigns").body());
      List<String> listed = new java.util.ArrayList<>();
      campaigns.get("items").forEach(item -> listed.add(item.path("campaign").asText()));
      assertThat(listed).containsExactly(campaign);
      assertThat(campaigns.at("/items/0/progress/stages/0/name").asText()).isEqualTo("canary");

      // pxops.status: the latest record of each request is what HTTP shows
      Map<String, byte[]> latest = new HashMap<>();
      try (KafkaConsumer<String, byte[]> status = committedReader(Topics.STATUS)) {
        await().atMost(WAIT).until(() -> {
          status.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.key(), r.value()));
          return latest.containsKey(ns + "/upd-b") && latest.containsKey(ns + "/from-kafka")
              && "Successful".equals(phaseOf(latest.get(ns + "/upd-1")));
        });
      }
      assertThat(tree(latest.get(ns + "/upd-1"))).isEqualTo(tree(success.body()));
      assertThat(tree(latest.get(ns + "/upd-b")))
          .isEqualTo(tree(get(base + "/updaterequests/upd-b").body()));

      // the ops request objects' .status; the Kafka-door request has no object and is skipped
      await().atMost(WAIT).until(() -> phaseOfObject(world, "upd-1"), "Successful"::equals);
      await().atMost(WAIT).until(() -> phaseOfObject(world, "upd-b"), "Failed"::equals);
      await().atMost(WAIT).until(() -> projector.writeBack()
          .count(OpsRequestStatusClient.Result.NO_OBJECT) > 0);
      PerconaXtraDBOpsRequest done = opsRequest(world, "upd-1");
      assertThat(done.getStatus().getObservedGeneration())
          .isEqualTo(done.getMetadata().getGeneration());
      assertThat(done.getStatus().getConditions()).extracting(Condition::getType)
          .isEqualTo(expected.conditions().stream().map(c -> c.type()).toList());
      assertThat(done.getStatus().getConditions()).extracting(Condition::getObservedGeneration)
          .containsOnly(done.getMetadata().getGeneration());
      PerconaXtraDBOpsRequest broken = opsRequest(world, "upd-b");
      Condition failedStep = broken.getStatus().getConditions().stream()
          .filter(c -> c.getType().equals("CheckPodRunning--billing-1")).findFirst().orElseThrow();
      assertThat(failedStep.getStatus()).isEqualTo("False");
      assertThat(failedStep.getReason()).isEqualTo("ImagePullBackOff");
      assertThat(failedStep.getMessage()).isEqualTo("pod billing-1 cannot pull its image");
      assertThat(opsRequest(world, "from-kafka")).isNull();

      // the poison record went to the DLQ with its reason; everything after it was projected
      List<DeadLetter> letters = new ArrayList<>();
      try (KafkaConsumer<String, byte[]> dlq = committedReader(Topics.DLQ)) {
        await().atMost(WAIT).until(() -> {
          for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(200))) {
            letters.add(MAPPER.readValue(r.value(), DeadLetter.class));
          }
          return !letters.isEmpty();
        });
      }
      assertThat(letters).singleElement().satisfies(letter -> {
        assertThat(letter.problem()).isEqualTo("NotJson");
        assertThat(letter.value()).isEqualTo("{not an envelope");
        assertThat(letter.topic()).isEqualTo(Topics.EVENTS);
      });
    }
  }

  // ---- (b) two instances: every answer is the same from either --------------------------------

  @Test
  void givenTwoInstances_whenEveryRequestAndListIsAskedOfBoth_thenBothGiveTheSameRightAnswer()
      throws Exception {
    Map<String, RequestStatus> expected = new LinkedHashMap<>();
    List<Envelope> log = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      LifecycleLog db = new LifecycleLog("fleet", "db-" + i, 1).admit("upd-" + i);
      switch (i % 3) {
        case 0 -> db.runToIdle();
        case 1 -> db.runUntil(UpdateDatabaseVersion.class, null)
            .failStep("Forbidden", "cannot patch", false).runToIdle();
        default -> db.runUntil(VerifyCluster.class, null).admit("next-" + i).admit("last-" + i);
      }
      log.addAll(db.log());
    }
    for (Envelope e : log) {
      RequestStatus next = StatusFold.apply(expected.get(e.opsRequest()), e);
      if (next != null) {
        expected.put(e.opsRequest(), next);
      }
    }
    // a second tenant, whose requests only callers who may list there see
    List<Envelope> vault = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      vault.addAll(new LifecycleLog("vault", "safe-" + i, 1).admit("vault-upd-" + i).runToIdle().log());
    }
    LocalWorld world = WORLD.world();
    world.kubernetes().accessReviews()
        .token("fleet-reader-token", "fleet-reader").allow("fleet-reader", "list", DoorAuthorizer.RESOURCE, "fleet")
        .allow("fleet-reader", "get", DoorAuthorizer.RESOURCE, "fleet")
        .token("nobody-token", "nobody");
    ProjectorConfig base = config("two", false);
    try (StatusProjector a = StatusProjector.start(base, null, doors(world));
        StatusProjector b = StatusProjector.start(config("two", false), null, doors(world))) {
      await().atMost(WAIT).until(() -> bothServe(a, b));
      produce(log);
      produce(vault);

      for (String key : expected.keySet()) {
        await().atMost(WAIT).until(() -> sameAnswer(a, b,
            "/api/v1/namespaces/fleet/updaterequests/" + name(key),
            MAPPER.valueToTree(expected.get(key))));
      }
      for (int i = 0; i < 6; i++) {
        String database = "fleet/db-" + i;
        List<RequestStatus> ofDb = expected.values().stream()
            .filter(s -> s.database().equals(database))
            .sorted(java.util.Comparator.comparing(RequestStatus::opsRequest))
            .collect(Collectors.toList());
        await().atMost(WAIT).until(() -> sameAnswer(a, b,
            "/api/v1/updaterequests?database=" + database,
            MAPPER.valueToTree(Map.of("items", ofDb))));
        await().atMost(WAIT).until(() -> sameAnswer(a, b,
            "/api/v1/namespaces/fleet/databases/db-" + database.substring(9), null));
      }
      await().atMost(WAIT).until(() -> sameAnswer(a, b, "/api/v1/updaterequests?phase=Failed", null));
      JsonNode failed = tree(get(a.url() + "/api/v1/updaterequests?phase=Failed").body());
      assertThat(failed.get("items").findValuesAsText("opsRequest"))
          .contains("fleet/upd-1", "fleet/upd-4").doesNotContain("fleet/upd-0");
      // the instance asked did not own every answer: calls were forwarded both ways
      assertThat(expected.keySet()).anyMatch(key -> !owner(a, key).equals(hostOf(a)));
      assertThat(expected.keySet()).anyMatch(key -> !owner(b, key).equals(hostOf(b)));
      HttpResponse<String> missing = get(b.url() + "/api/v1/namespaces/fleet/updaterequests/x");
      assertThat(missing.statusCode()).isEqualTo(404);

      // lists show each caller only the namespaces where it may list, whichever instance owns the data
      Set<String> everything = new TreeSet<>(expected.keySet());
      everything.addAll(List.of("vault/vault-upd-0", "vault/vault-upd-1", "vault/vault-upd-2"));
      for (StatusProjector asked : List.of(a, b)) {
        // the admin sees both tenants (and the other test's namespace, on the same topic)
        await().atMost(WAIT).until(() -> new TreeSet<>(tree(get(asked.url() + "/api/v1/updaterequests").body())
            .get("items").findValuesAsText("opsRequest")).containsAll(everything));
        HttpResponse<String> fleetOnly = get(asked.url() + "/api/v1/updaterequests", "fleet-reader-token");
        assertThat(fleetOnly.statusCode()).isEqualTo(200);
        assertThat(tree(fleetOnly.body()).get("items").findValuesAsText("opsRequest"))
            .containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(tree(get(asked.url() + "/api/v1/updaterequests?database=vault/safe-1", "fleet-reader-token")
            .body()).get("items")).isEmpty();
        assertThat(tree(get(asked.url() + "/api/v1/updaterequests", "nobody-token").body()).get("items")).isEmpty();
        HttpResponse<String> otherTenant = get(asked.url() + "/api/v1/namespaces/vault/updaterequests/vault-upd-1",
            "fleet-reader-token");
        assertThat(otherTenant.statusCode()).isEqualTo(403);
        assertThat(tree(otherTenant.body()).get("message").asText()).isEqualTo("user \"fleet-reader\" may not get "
            + "perconaxtradbopsrequests.ops.kubedb.com in namespace \"vault\"");
        assertThat(get(asked.url() + "/api/v1/namespaces/fleet/updaterequests/upd-1", "fleet-reader-token")
            .statusCode()).isEqualTo(200);
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(asked.url()
            + "/api/v1/updaterequests")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(tree(anonymous.body()).get("error").asText()).isEqualTo("Unauthenticated");
        HttpResponse<String> internal = http.send(HttpRequest.newBuilder(URI.create(asked.url()
            + "/internal/v1/request-status")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(internal.statusCode()).as("the peers' endpoints are no way around the check").isEqualTo(401);

        // the dashboard's pages are cut from a snapshot merged from both instances: built here for the fleet reader
        // (the peer answered with its namespaces only), it must not be reused for the admin, nor show the reader
        // another tenant (would catch a snapshot shared across callers whose peer parts differ)
        JsonNode readerFleet = tree(get(asked.url() + "/api/v1/dashboard/fleet?size=200", "fleet-reader-token")
            .body());
        assertThat(readerFleet.get("items").findValuesAsText("database"))
            .containsExactlyInAnyOrder("fleet/db-0", "fleet/db-1", "fleet/db-2", "fleet/db-3", "fleet/db-4",
                "fleet/db-5");
        JsonNode adminFleet = tree(get(asked.url() + "/api/v1/dashboard/fleet?size=200").body());
        assertThat(adminFleet.get("items").findValuesAsText("database"))
            .contains("fleet/db-0", "vault/safe-0", "vault/safe-1", "vault/safe-2");
        JsonNode adminRequests = tree(get(asked.url() + "/api/v1/dashboard/requests?size=200").body());
        assertThat(new TreeSet<>(adminRequests.get("items").findValuesAsText("opsRequest"))).containsAll(everything);
      }
      // the status API's list in pages of 2, from either instance: every request once, in order, whichever
      // instance's partitions hold it (would catch a page that skips or repeats a request at a page's edge or
      // between the instances' parts, or a token that does not resume where the page ended)
      for (StatusProjector asked : List.of(a, b)) {
        List<String> walked = new ArrayList<>();
        String token = null;
        for (int pages = 0; pages < 100; pages++) {
          JsonNode page = tree(get(asked.url() + "/api/v1/updaterequests?limit=2"
              + (token == null ? "" : "&continue=" + token)).body());
          assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
          walked.addAll(page.get("items").findValuesAsText("opsRequest"));
          token = page.path("metadata").path("continue").asText(null);
          if (token == null) {
            break;
          }
        }
        assertThat(token).as("the walk ended").isNull();
        List<String> whole = tree(get(asked.url() + "/api/v1/updaterequests?limit=1000").body()).get("items")
            .findValuesAsText("opsRequest");
        assertThat(walked).isEqualTo(whole).doesNotHaveDuplicates().containsAll(everything);
      }
      HttpResponse<String> badLimit = get(a.url() + "/api/v1/updaterequests?limit=0");
      assertThat(badLimit.statusCode()).isEqualTo(400);
      assertThat(tree(badLimit.body()).path("field").asText()).isEqualTo("limit");
      HttpResponse<String> badToken = get(a.url() + "/api/v1/updaterequests?continue=made-up");
      assertThat(badToken.statusCode()).isEqualTo(400);
      assertThat(tree(badToken.body()).path("field").asText()).isEqualTo("continue");
      assertThat(sameAnswer(a, b, "/api/v1/dashboard/fleet?size=200", null)).isTrue();
      assertThat(sameAnswer(a, b, "/api/v1/dashboard/requests?size=200&phase=Failed", null)).isTrue();
    }
  }

  /** The doors' checks against the local API, whose admin token {@link #get(String)} sends. */
  // ---- (c) the dashboard: SSE, pages, history, Replay forwarded ------------------------------

  /**
   * A status the projector writes on {@code pxops.status} reaches a dashboard's SSE client (would catch a feed that
   * reads from the wrong place, never starts, or filters everything out); the stream refuses a caller without a
   * token with the door's 401; the paged endpoints and the history show the request; and a Replay the ingest cannot
   * take answers 503 naming the setting that points at it.
   */
  @Test
  void givenADashboardStream_whenARequestIsProjected_thenItsStatusReachesTheSseClient() throws Exception {
    LocalWorld world = WORLD.world();
    String ns = world.namespace();
    try {
      world.kafka().createTopics(TopicSpec.of(Topics.COMMANDS, Topics.DEFAULT_PARTITIONS));
    } catch (RuntimeException alreadyThere) {
      // another test of this class made it
    }
    try (StatusProjector projector = StatusProjector.start(config("sse", false), world.client(), doors(world),
        null, new DashboardConfig(URI.create("http://127.0.0.1:1")))) {
      String stream = projector.url() + "/api/v1/dashboard/stream";
      HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(stream))
          .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
      assertThat(tree(refused.body()).path("error").asText()).isEqualTo("Unauthenticated");

      HttpResponse<java.util.stream.Stream<String>> live = http.send(HttpRequest.newBuilder(URI.create(stream))
          .header("Accept", "text/event-stream").header("Authorization", "Bearer " + LocalAccessReviews.ADMIN_TOKEN)
          .build(), HttpResponse.BodyHandlers.ofLines());
      assertThat(live.statusCode()).isEqualTo(200);
      List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread reader = new Thread(() -> {
        try {
          live.body().forEach(lines::add);
        } catch (RuntimeException closed) {
          // the projector closed the stream at the end of the test
        }
      }, "sse-reader");
      reader.setDaemon(true);
      reader.start();
      await().atMost(WAIT).until(() -> lines.contains("event: ready"));

      // a page asked before the request exists leaves a snapshot without it behind
      String everyRequest = projector.url() + "/api/v1/dashboard/requests?size=200&namespace=" + ns;
      await().atMost(WAIT).until(() -> get(everyRequest).statusCode() == 200);
      assertThat(get(everyRequest).body()).doesNotContain(ns + "/streamed-upd");
      LifecycleLog log = new LifecycleLog(ns, "streamed", 3).admit("streamed-upd")
          .runUntil(VerifyCluster.class, null);
      produce(log.log());
      String key = ns + "/streamed-upd";
      await().atMost(WAIT).until(() -> {
        for (int i = 1; i < lines.size(); i++) {
          if (lines.get(i - 1).equals("event: status") && lines.get(i).startsWith("data: ")
              && tree(lines.get(i).substring(6)).path("opsRequest").asText().equals(key)) {
            return true;
          }
        }
        return false;
      });

      // asked as soon as the stream shows it, with no wait: the change that reached the stream invalidated the
      // snapshot first (would catch pages served from a list older than the event a browser reloads them for)
      assertThat(get(everyRequest).body()).contains("\"" + ns + "/streamed-upd\"");
      HttpResponse<String> page = get(projector.url() + "/api/v1/dashboard/requests?namespace=" + ns + "&size=1");
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      assertThat(tree(page.body()).path("items").size()).isEqualTo(1);
      assertThat(tree(page.body()).path("total").asInt()).isGreaterThanOrEqualTo(1);
      HttpResponse<String> fleet = get(projector.url() + "/api/v1/dashboard/fleet?namespace=" + ns);
      assertThat(fleet.body()).contains("\"" + ns + "/streamed\"");
      HttpResponse<String> tooBig = get(projector.url() + "/api/v1/dashboard/fleet?size=100000");
      assertThat(tooBig.statusCode()).isEqualTo(400);
      assertThat(tree(tooBig.body()).path("field").asText()).isEqualTo("size");
      HttpResponse<String> history = get(projector.url() + "/api/v1/dashboard/namespaces/" + ns
          + "/updaterequests/streamed-upd/history");
      assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
      assertThat(history.body()).contains("\"RequestAdmitted\"", "\"RequestStarted\"");

      HttpResponse<String> replay = http.send(HttpRequest.newBuilder(URI.create(projector.url()
          + "/api/v1/namespaces/" + ns + "/updaterequests/streamed-upd/replay"))
          .header("Authorization", "Bearer " + LocalAccessReviews.ADMIN_TOKEN)
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(replay.statusCode()).isEqualTo(503);
      assertThat(replay.body()).contains(DashboardConfig.INGEST_URL);
    }
  }

  private static DoorAuthorizer doors(LocalWorld world) {
    return DoorAuthorizer.of(DoorAuthConfig.defaults(), world.client(), "the status door under test");
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static ProjectorConfig config(String name, boolean writeBack) {
    LocalWorld world = WORLD.world();
    Path stateDir = Path.of("target", "it-state", name + "-" + UUID.randomUUID());
    return new ProjectorConfig(world.kafka().bootstrapServers(), stateDir, "127.0.0.1", 0,
        "127.0.0.1", writeBack, "status-projector-it-" + name, "status-writeback-it-" + name, 1,
        Map.of());
  }

  private static void produce(List<Envelope> log) {
    for (Envelope e : log) {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(Topics.EVENTS, e.database(), JsonCodec.shared().encode(e));
      Headers.of(e).forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
      producer.send(record);
    }
    producer.flush();
  }

  private static RequestStatus fold(List<Envelope> log, String request) {
    RequestStatus status = null;
    for (Envelope e : log) {
      status = e.opsRequest().equals(request) ? StatusFold.apply(status, e) : status;
    }
    return status;
  }

  private static void createOpsRequest(LocalWorld world, String name, String database) {
    PerconaXtraDBOpsRequest request = new PerconaXtraDBOpsRequest();
    request.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(world.namespace())
        .build());
    PerconaXtraDBOpsRequestSpec spec = new PerconaXtraDBOpsRequestSpec();
    spec.setType(PerconaXtraDBOpsRequestSpec.TYPE_UPDATE_VERSION);
    spec.setDatabaseRef(new LocalObjectReference(database));
    spec.setUpdateVersion(new PerconaXtraDBOpsRequestSpec.UpdateVersionSpec("8.4.3"));
    spec.setTimeout("5m");
    request.setSpec(spec);
    world.client().resources(PerconaXtraDBOpsRequest.class).inNamespace(world.namespace())
        .resource(request).create();
  }

  private static PerconaXtraDBOpsRequest opsRequest(LocalWorld world, String name) {
    return world.client().resources(PerconaXtraDBOpsRequest.class)
        .inNamespace(world.namespace()).withName(name).get();
  }

  private static String phaseOfObject(LocalWorld world, String name) {
    PerconaXtraDBOpsRequest object = opsRequest(world, name);
    return object == null || object.getStatus() == null ? null : object.getStatus().getPhase();
  }

  private static KafkaConsumer<String, byte[]> committedReader(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, WORLD.world().kafka().bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(info -> new TopicPartition(topic, info.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return get(url, LocalAccessReviews.ADMIN_TOKEN);
  }

  private HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode tree(String json) throws IOException {
    return MAPPER.readTree(json);
  }

  private static JsonNode tree(byte[] json) throws IOException {
    return MAPPER.readTree(json);
  }

  private static String phaseOf(HttpResponse<String> response) throws IOException {
    return response.statusCode() == 200 ? tree(response.body()).path("phase").asText() : null;
  }

  private static String phaseOf(byte[] status) throws IOException {
    return status == null ? null : tree(status).path("phase").asText();
  }

  private static String name(String ref) {
    return ref.substring(ref.indexOf('/') + 1);
  }

  /** Both instances answer 200 with the same body (and, if given, the expected one). */
  private boolean sameAnswer(StatusProjector a, StatusProjector b, String path, JsonNode expected)
      throws IOException, InterruptedException {
    HttpResponse<String> fromA = get(a.url() + path);
    HttpResponse<String> fromB = get(b.url() + path);
    if (fromA.statusCode() != 200 || fromB.statusCode() != 200) {
      return false;
    }
    JsonNode treeA = tree(fromA.body());
    return treeA.equals(tree(fromB.body())) && (expected == null || treeA.equals(expected));
  }

  /** Both are RUNNING, and each serves some of the request statuses. */
  private static boolean bothServe(StatusProjector a, StatusProjector b) {
    if (a.streams().state() != KafkaStreams.State.RUNNING
        || b.streams().state() != KafkaStreams.State.RUNNING) {
      return false;
    }
    List<HostInfo> serving = a.streams().streamsMetadataForStore(StatusTopology.REQUEST_STORE)
        .stream().filter(m -> !m.topicPartitions().isEmpty()).map(StreamsMetadata::hostInfo)
        .toList();
    return serving.contains(hostOf(a)) && serving.contains(hostOf(b));
  }

  private static HostInfo hostOf(StatusProjector projector) {
    return new HostInfo(projector.config().advertisedHost(), projector.config().httpPort());
  }

  private static HostInfo owner(StatusProjector projector, String key) {
    return projector.streams().queryMetadataForKey(StatusTopology.REQUEST_STORE, key,
        Serdes.String().serializer()).activeHost();
  }
}
