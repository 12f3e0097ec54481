package io.pxops.requestingest;

import io.pxops.pipeline.logging.TraceIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.Topics;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.kubedb.PerconaXtraDBOpsRequestSpec;
import io.pxops.kubedb.PerconaXtraDBVersion;
import io.pxops.pipeline.doorauth.DoorAuthConfig;
import io.pxops.pipeline.doorauth.DoorAuthorizer;
import io.pxops.requestingest.kubernetes.OpsRequestWatcher;
import io.pxops.sandbox.controllers.LocalCatalog;
import io.pxops.sandbox.kafka.TopicSpec;
import io.pxops.sandbox.kafka.UniqueNames;
import io.pxops.sandbox.kube.LocalAccessReviews;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.sandbox.world.LocalWorldExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP door on the local world: a valid request is created as an ops request object and admitted onto the
 * log; the same client request id twice is admitted once; bad requests (hostile ones too: wrong JSON types, a
 * timeout past any duration, a target that cannot be an object name, deep nesting) are refused with their rule
 * named and nothing created, and the valid requests sent after them are still taken. Dry runs ({@code ?dryRun=All})
 * of an update and of a campaign answer the decision and the plan and only read: a door whose API calls are recorded
 * under its own user makes no write, creates no object and writes no record.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpDoorIT {

  private static final String NS = "http-it";

  @RegisterExtension
  static final LocalWorldExtension WORLD = new LocalWorldExtension(LocalWorld.builder().namespace(NS)
      .pods(LocalWorld.Pods.SIMULATED));

  private static LifecycleLogPublisher publisher;
  private static OpsRequestWatcher watcher;
  private static IngestHttpServer http;
  private static KafkaConsumer<String, byte[]> events;
  private static final List<Envelope> SEEN = new ArrayList<>();
  /** The trace id header of each record seen, by event id. */
  private static final java.util.Map<String, String> TRACES = new java.util.HashMap<>();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final String ADMIN = LocalAccessReviews.ADMIN_TOKEN;
  /** May create in NS, nothing else. */
  private static final String SUBMITTER_TOKEN = "submitter-token";
  /** May get in NS, nothing else. */
  private static final String READER_TOKEN = "reader-token";
  /** May patch (not update) in NS, nothing else. */
  private static final String PATCHER_TOKEN = "patcher-token";

  @BeforeAll
  static void startTheDoors() {
    LocalWorld world = WORLD.world();
    world.kafka().createTopics(TopicSpec.of(Topics.EVENTS, 3));
    world.createDatabase("orders", 3, world.olderVersion());
    // a deprecated entry and an older one (a downgrade) next to the local builds
    PerconaXtraDBVersion deprecated = LocalCatalog.entryFor("10.11.50");
    deprecated.getSpec().setDeprecated(true);
    world.client().resources(PerconaXtraDBVersion.class).resource(deprecated).create();
    world.client().resources(PerconaXtraDBVersion.class).resource(LocalCatalog.entryFor("10.11.1")).create();
    publisher = new LifecycleLogPublisher(world.kafka().bootstrapServers());
    // the default, labelled claim: what the HTTP door creates is pxops' in either mode
    watcher = new OpsRequestWatcher(world.client(), publisher, Duration.ofMinutes(10), Clock.systemUTC(),
        io.pxops.pipeline.claim.OpsRequestClaim.LABELLED).start();
    http = IngestHttpServer.start("127.0.0.1", 0, world.client(),
        new OpsRequestSubmitter(world.client(), Duration.ofMinutes(10)), publisher, "http://status.example",
        Clock.systemUTC(), DoorAuthorizer.of(DoorAuthConfig.defaults(), world.client(), "the HTTP door under test"));
    world.kubernetes().accessReviews()
        .token(SUBMITTER_TOKEN, "submitter").allow("submitter", "create", DoorAuthorizer.RESOURCE, NS)
        .token(READER_TOKEN, "reader").allow("reader", "get", DoorAuthorizer.RESOURCE, NS)
        .token(PATCHER_TOKEN, "patcher").allow("patcher", "patch", DoorAuthorizer.RESOURCE, NS);
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, world.kafka().bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, UniqueNames.unique("http-it"));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    events = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    events.subscribe(List.of(Topics.EVENTS));
  }

  @AfterAll
  static void stopTheDoors() {
    if (dryRunDoor != null) {
      dryRunDoor.close();
      measuredUpdates.stop(0);
      dryRunClient.close();
    }
    events.close();
    http.close();
    watcher.close();
    publisher.close();
  }

  static Stream<Arguments> badRequests() {
    String newer = "10.11.19";
    return Stream.of(
        bad("malformed JSON", "{\"database\": \"orders\",", 400, "MalformedBody", "body"),
        bad("not an object", "[1, 2]", 400, "MalformedBody", "body"),
        bad("oversized body", "{\"database\":\"orders\",\"targetVersion\":\"" + "9".repeat(70_000) + "\"}", 413,
            "BodyTooLarge", "body"),
        bad("unknown field", "{\"database\":\"orders\",\"targetVersion\":\"" + newer + "\",\"halt\":true}", 400,
            "UnknownField", "halt"),
        bad("name not a Kubernetes name", body("Bad_Name", "orders", newer, "5m", "IfReady", 1), 400,
            "InvalidName", "metadata.name"),
        bad("database not a Kubernetes name", body(null, "Orders!", newer, "5m", "IfReady", 1), 400,
            "InvalidName", "spec.databaseRef.name"),
        bad("missing database", body(null, null, newer, "5m", "IfReady", 1), 400, "Required",
            "spec.databaseRef.name"),
        bad("missing target", body(null, "orders", null, "5m", "IfReady", 1), 400, "Required",
            "spec.updateVersion.targetVersion"),
        bad("bad timeout", body(null, "orders", newer, "five", "IfReady", 1), 400, "InvalidTimeout",
            "spec.timeout"),
        bad("bad apply", body(null, "orders", newer, "5m", "Sometimes", 1), 400, "InvalidApply", "spec.apply"),
        bad("negative maxRetries", body(null, "orders", newer, "5m", "IfReady", -1), 400, "InvalidMaxRetries",
            "spec.maxRetries"),
        bad("unknown database", body(null, "nosuch", newer, "5m", "IfReady", 1), 404, "DatabaseNotFound",
            "spec.databaseRef.name"),
        bad("unknown target", body(null, "orders", "10.11.77", "5m", "IfReady", 1), 422, "TargetVersionNotFound",
            "spec.updateVersion.targetVersion"),
        bad("deprecated target", body(null, "orders", "10.11.50", "5m", "IfReady", 1), 422,
            "TargetVersionDeprecated", "spec.updateVersion.targetVersion"),
        bad("downgrade (denylist)", body(null, "orders", "10.11.1", "5m", "IfReady", 1), 422,
            "VersionNotUpgradable", "spec.updateVersion.targetVersion"),
        bad("the current version", body(null, "orders", "10.11.18", "5m", "IfReady", 1), 422,
            "AlreadyAtTargetVersion", "spec.updateVersion.targetVersion"),
        // bodies that once answered 500, or were coerced where the Kafka door refused them
        bad("a timeout past any duration", body(null, "orders", newer, "9999999999999999999s", "IfReady", 1), 400,
            "InvalidTimeout", "spec.timeout"),
        bad("a target that cannot be an object name", body(null, "orders", "../x", "5m", "IfReady", 1), 422,
            "TargetVersionNotFound", "spec.updateVersion.targetVersion"),
        bad("a number for targetVersion", "{\"database\":\"orders\",\"targetVersion\":10.11}", 400, "WrongType",
            "spec.updateVersion.targetVersion"),
        bad("a fraction for maxRetries", "{\"database\":\"orders\",\"targetVersion\":\"" + newer
            + "\",\"maxRetries\":1.5}", 400, "WrongType", "spec.maxRetries"),
        bad("a huge maxRetries", "{\"database\":\"orders\",\"targetVersion\":\"" + newer
            + "\",\"maxRetries\":99999999999999999999}", 400, "InvalidMaxRetries", "spec.maxRetries"),
        bad("a duplicated key", "{\"database\":\"orders\",\"database\":\"x\",\"targetVersion\":\"" + newer
            + "\"}", 400, "DuplicateField", "spec.databaseRef.name"),
        bad("a NUL in the database", "{\"database\":\"orders\\u0000\",\"targetVersion\":\"" + newer + "\"}", 400,
            "InvalidName", "spec.databaseRef.name"),
        bad("deep nesting", "{\"database\":" + "[".repeat(3000) + "]".repeat(3000) + "}", 400, "MalformedBody",
            "body"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  @Order(1)
  void givenABadRequest_thenItIsRefusedNamingTheRuleAndNothingIsCreated(String title, String json, int status,
      String rule, String field) throws Exception {
    Set<String> before = requestNames();
    HttpResponse<String> response = post("/api/v1/namespaces/" + NS + "/updaterequests", json);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = JsonCodec.shared().mapper().readTree(response.body());
    assertThat(body.path("error").asText()).isEqualTo(rule);
    assertThat(body.path("field").asText()).isEqualTo(field);
    assertThat(body.path("message").asText()).isNotBlank();
    assertThat(requestNames()).as("nothing created").isEqualTo(before);
  }

  @Test
  @Order(2)
  void givenAValidRequest_thenItIsCreatedAndAdmitted_andTheSameClientRequestIdTwiceIsAdmittedOnce()
      throws Exception {
    String json = "{\"database\":\"orders\",\"targetVersion\":\"10.11.19\",\"timeout\":\"5m\","
        + "\"clientRequestId\":\"fleet-42\"}";
    HttpResponse<String> first = post("/api/v1/namespaces/" + NS + "/updaterequests", json);
    HttpResponse<String> second = post("/api/v1/namespaces/" + NS + "/updaterequests", json);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    String name = JsonCodec.shared().mapper().readTree(first.body()).path("name").asText();
    assertThat(JsonCodec.shared().mapper().readTree(second.body()).path("name").asText()).isEqualTo(name);
    assertThat(JsonCodec.shared().mapper().readTree(first.body()).path("statusUrl").asText())
        .endsWith("/api/v1/namespaces/" + NS + "/updaterequests/" + name);
    assertThat(requestNames()).containsExactly(name);

    await().atMost(Duration.ofSeconds(30)).until(() -> admissionsOf(NS + "/" + name) >= 1);
    assertThat(admissionsOf(NS + "/" + name)).as("admitted once").isEqualTo(1);
    RequestAdmitted admitted = (RequestAdmitted) SEEN.stream()
        .filter(e -> e.payload() instanceof RequestAdmitted && e.opsRequest().equals(NS + "/" + name))
        .findFirst().orElseThrow().payload();
    assertThat(admitted.spec().door()).isEqualTo("http");
    assertThat(admitted.spec().clientRequestId()).isEqualTo("fleet-42");

    HttpResponse<String> taken = post("/api/v1/namespaces/" + NS + "/updaterequests",
        "{\"name\":\"" + name + "\",\"database\":\"orders\",\"targetVersion\":\"10.11.19\"}");
    assertThat(taken.statusCode()).isEqualTo(409);
    assertThat(JsonCodec.shared().mapper().readTree(taken.body()).path("error").asText()).isEqualTo("NameTaken");
  }

  @Test
  @Order(3)
  void givenAnExistingRequest_thenReplayAndCancelAreWrittenToTheLog_andUnknownOnesAre404() throws Exception {
    // the caller's W3C trace: the door takes its trace id, names it in the answer, and the whole request keeps it
    String trace = TraceIds.newId();
    HttpResponse<String> created = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port()
            + "/api/v1/namespaces/" + NS + "/updaterequests"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + ADMIN)
        .header(TraceIds.TRACEPARENT, "00-" + trace + "-00f067aa0ba902b7-01")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"name\":\"to-cancel\",\"database\":\"orders\",\"targetVersion\":\"10.11.19\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    assertThat(created.headers().firstValue(TraceIds.HEADER)).hasValue(trace);
    assertThat(TraceIds.fromTraceparent(created.headers().firstValue(TraceIds.TRACEPARENT).orElseThrow()))
        .as("a W3C traceparent of the same trace").isEqualTo(trace);

    assertThat(post("/api/v1/namespaces/" + NS + "/updaterequests/to-cancel/cancel", "").statusCode())
        .isEqualTo(202);
    assertThat(post("/api/v1/namespaces/" + NS + "/updaterequests/to-cancel/replay", "").statusCode())
        .isEqualTo(202);
    HttpResponse<String> unknown = post("/api/v1/namespaces/" + NS + "/updaterequests/nosuch/cancel", "");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JsonCodec.shared().mapper().readTree(unknown.body()).path("error").asText()).isEqualTo("NotFound");

    // KubeDB's own requests, not pxops': another type, and an UpdateVersion not labelled for pxops
    for (String[] other : new String[][] {{"kubedb-restart", "Restart"}, {"kubedb-update", "UpdateVersion"}}) {
      PerconaXtraDBOpsRequest o = new PerconaXtraDBOpsRequest();
      o.getMetadata().setName(other[0]);
      o.getMetadata().setNamespace(NS);
      PerconaXtraDBOpsRequestSpec spec = new PerconaXtraDBOpsRequestSpec();
      spec.setType(other[1]);
      spec.setDatabaseRef(new io.fabric8.kubernetes.api.model.LocalObjectReference("orders"));
      o.setSpec(spec);
      WORLD.world().client().resources(PerconaXtraDBOpsRequest.class).inNamespace(NS).resource(o).create();
      for (String action : List.of("/replay", "/cancel")) {
        HttpResponse<String> refused = post("/api/v1/namespaces/" + NS + "/updaterequests/" + other[0] + action, "");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        JsonNode body = JsonCodec.shared().mapper().readTree(refused.body());
        assertThat(body.path("error").asText()).isEqualTo("NotClaimed");
        assertThat(body.path("message").asText()).contains("type " + other[1], "ops.pxops.io/managed-by");
      }
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> {
      admissionsOf("-");
      return SEEN.stream().filter(e -> e.opsRequest().equals(NS + "/to-cancel")).map(Envelope::type).toList()
          .containsAll(List.of("CancelRequested", "ReplayRequested"));
    });
    assertThat(SEEN).filteredOn(e -> e.type().equals("CancelRequested")).extracting(Envelope::database)
        .containsOnly(NS + "/orders");
    await().atMost(Duration.ofSeconds(30)).until(() -> admissionsOf(NS + "/to-cancel") == 1);
    assertThat(SEEN).filteredOn(e -> e.opsRequest().equals(NS + "/to-cancel"))
        .as("its admission (by the watcher, from the object), cancel and replay: one trace")
        .extracting(Envelope::type, e -> TRACES.get(e.eventId()))
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("RequestAdmitted", trace),
            org.assertj.core.groups.Tuple.tuple("CancelRequested", trace),
            org.assertj.core.groups.Tuple.tuple("ReplayRequested", trace));
  }

  @Test
  @Order(4)
  void givenNoTokenOrABadOne_thenEachCallIs401SayingWhichAndNothingIsCreated() throws Exception {
    Set<String> before = requestNames();
    String json = "{\"name\":\"sneaky\",\"database\":\"orders\",\"targetVersion\":\"10.11.19\"}";
    String path = "/api/v1/namespaces/" + NS + "/updaterequests";

    HttpResponse<String> none = post(path, json, null);
    assertThat(none.statusCode()).as(none.body()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith(
        "Bearer"));
    JsonNode noneBody = JsonCodec.shared().mapper().readTree(none.body());
    assertThat(noneBody.path("error").asText()).isEqualTo("Unauthenticated");
    assertThat(noneBody.path("field").asText()).isEqualTo("Authorization");
    assertThat(noneBody.path("message").asText()).contains("no bearer token");

    HttpResponse<String> bad = post(path, json, "not-a-known-token");
    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(401);
    assertThat(JsonCodec.shared().mapper().readTree(bad.body()).path("message").asText()).contains("not valid");
    assertThat(post(path + "/to-cancel/cancel", "", null).statusCode()).isEqualTo(401);
    assertThat(requestNames()).isEqualTo(before);
  }

  @Test
  @Order(5)
  void givenATokenWithoutTheVerb_thenItIs403NamingVerbResourceAndNamespace_andWithIt202() throws Exception {
    String path = "/api/v1/namespaces/" + NS + "/updaterequests";
    HttpResponse<String> reader = post(path, "{\"name\":\"by-reader\",\"database\":\"orders\","
        + "\"targetVersion\":\"10.11.19\"}", READER_TOKEN);
    assertThat(reader.statusCode()).as(reader.body()).isEqualTo(403);
    JsonNode body = JsonCodec.shared().mapper().readTree(reader.body());
    assertThat(body.path("error").asText()).isEqualTo("Forbidden");
    assertThat(body.path("message").asText()).isEqualTo("user \"reader\" may not create "
        + "perconaxtradbopsrequests.ops.kubedb.com in namespace \"" + NS + "\"");
    assertThat(body.path("verbs").toString()).isEqualTo("[\"create\"]");
    assertThat(body.path("namespace").asText()).isEqualTo(NS);
    assertThat(requestNames()).doesNotContain("by-reader");

    HttpResponse<String> otherNamespace = post("/api/v1/namespaces/elsewhere/updaterequests",
        "{\"database\":\"orders\",\"targetVersion\":\"10.11.19\"}", SUBMITTER_TOKEN);
    assertThat(otherNamespace.statusCode()).as("a grant in one namespace only").isEqualTo(403);

    HttpResponse<String> submitted = post(path, "{\"name\":\"by-submitter\",\"database\":\"orders\","
        + "\"targetVersion\":\"10.11.19\"}", SUBMITTER_TOKEN);
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    assertThat(requestNames()).contains("by-submitter");

    assertThat(get(path + "/by-submitter", SUBMITTER_TOKEN).statusCode()).as("create is not get").isEqualTo(403);
    assertThat(get(path + "/by-submitter", READER_TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(6)
  void givenReplayOrCancel_thenTheyNeedUpdateOrPatch() throws Exception {
    String path = "/api/v1/namespaces/" + NS + "/updaterequests/by-submitter";
    for (String action : List.of("/replay", "/cancel")) {
      HttpResponse<String> submitter = post(path + action, "", SUBMITTER_TOKEN);
      assertThat(submitter.statusCode()).as(submitter.body()).isEqualTo(403);
      assertThat(JsonCodec.shared().mapper().readTree(submitter.body()).path("message").asText())
          .contains("may not update or patch perconaxtradbopsrequests.ops.kubedb.com");
      assertThat(post(path + action, "", PATCHER_TOKEN).statusCode()).as("patch will do").isEqualTo(202);
    }
  }

  @Test
  @Order(7)
  void givenAnApiThatCannotBeReached_thenTheDoorAnswers503AndActsOnNothing() throws Exception {
    KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
        .withMasterUrl("http://127.0.0.1:9").withRequestRetryBackoffLimit(0).withConnectionTimeout(1000)
        .withRequestTimeout(1000).build()).build();
    LocalWorld world = WORLD.world();
    try (unreachable;
        IngestHttpServer door = IngestHttpServer.start("127.0.0.1", 0, world.client(),
            new OpsRequestSubmitter(world.client(), Duration.ofMinutes(10)), publisher, null, Clock.systemUTC(),
            DoorAuthorizer.of(DoorAuthConfig.defaults(), unreachable, "a door whose API is gone"))) {
      HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + door.port()
          + "/api/v1/namespaces/" + NS + "/updaterequests")).header("Authorization", "Bearer " + ADMIN)
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"while-down\",\"database\":\"orders\","
              + "\"targetVersion\":\"10.11.19\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
      assertThat(JsonCodec.shared().mapper().readTree(r.body()).path("error").asText()).isEqualTo("AuthUnavailable");
      assertThat(requestNames()).doesNotContain("while-down");
    }
  }

  // ---- dry runs: a second door whose every Kubernetes call is recorded under its own user ----

  private static final String DRY_RUN_USER = "system:serviceaccount:pxops:ingest-dry-run";
  private static IngestHttpServer dryRunDoor;
  private static KubernetesClient dryRunClient;
  /** A stand-in for the status projector's list API, serving what it serves: full request statuses. */
  private static com.sun.net.httpserver.HttpServer measuredUpdates;
  private static final List<String> MEASUREMENT_AUTHORIZATIONS = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static final List<io.pxops.events.campaign.CampaignRecord> CAMPAIGN_RECORDS =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * The dry-run door: its Kubernetes client's token is one of the API request log's, so every call it makes is on
   * the log under {@link #DRY_RUN_USER} (the door's own reviews go through the admin client, off the log); its
   * measured updates come from {@link #measuredUpdates}, which serves one successful update of {@code orders}.
   */
  private static synchronized int dryRunPort() throws Exception {
    if (dryRunDoor != null) {
      return dryRunDoor.port();
    }
    LocalWorld world = WORLD.world();
    dryRunClient = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(null,
        world.kubernetes().kubeconfig(NS, world.kubernetes().requestLog().issueToken(DRY_RUN_USER)), null)).build();
    Instant t = Instant.parse("2026-11-30T10:00:00Z");
    List<io.pxops.events.status.StepTiming> steps = new ArrayList<>();
    long at = 0;
    for (Object[] step : new Object[][] {{"Preflight", 2}, {"VerifyCluster", 1}, {"PauseDatabase", 1},
        {"UpdatePetSets", 1}, {"EvictPod--orders-2", 3}, {"CheckPodRunning--orders-2", 10},
        {"VerifyPod--orders-2", 1}, {"UpdateDatabase", 1}, {"ResumeDatabase", 1}}) {
      int seconds = (Integer) step[1];
      steps.add(new io.pxops.events.status.StepTiming((String) step[0], t.plusSeconds(at),
          t.plusSeconds(at + seconds), Duration.ofSeconds(seconds), 0));
      at += seconds;
    }
    com.fasterxml.jackson.databind.node.ObjectNode status = JsonCodec.shared().mapper().valueToTree(
        io.pxops.events.status.RequestStatus.initial(NS + "/orders-earlier", NS + "/orders"));
    status.put("phase", "Successful").put("startedAt", t.toString()).put("finishedAt", t.plusSeconds(50).toString());
    status.set("steps", JsonCodec.shared().mapper().valueToTree(steps));
    String list = "{\"items\":[" + status + "],\"metadata\":{}}";
    measuredUpdates = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    measuredUpdates.createContext("/api/v1/updaterequests", exchange -> {
      MEASUREMENT_AUTHORIZATIONS.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      byte[] body = list.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    // and the database API: a request holds orders and another waits for it
    String queue = "{\"database\":\"" + NS + "/orders\",\"activeRequest\":\"" + NS + "/orders-running\","
        + "\"pendingRequests\":[\"" + NS + "/orders-next\"]}";
    measuredUpdates.createContext("/api/v1/namespaces/" + NS + "/databases/orders", exchange -> {
      byte[] body = queue.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    measuredUpdates.start();
    io.pxops.requestingest.campaign.CampaignDoor campaigns = new io.pxops.requestingest.campaign.CampaignDoor(
        new io.pxops.requestingest.campaign.CampaignFleetReader(dryRunClient)::read, CAMPAIGN_RECORDS::add);
    dryRunDoor = IngestHttpServer.start("127.0.0.1", 0, dryRunClient,
        new OpsRequestSubmitter(dryRunClient, Duration.ofMinutes(10)), e -> {
          throw new AssertionError("a dry run published " + e);
        }, null, Clock.systemUTC(), DoorAuthorizer.of(DoorAuthConfig.defaults(), world.client(), "the dry runs"),
        io.pxops.pipeline.claim.OpsRequestClaim.LABELLED, null, campaigns,
        new io.pxops.requestingest.dryrun.DryRunConfig(java.util.Optional.of(
            URI.create("http://127.0.0.1:" + measuredUpdates.getAddress().getPort()))));
    return dryRunDoor.port();
  }

  /** What the dry-run door asked the API for that is not a read. */
  private static List<io.pxops.sandbox.kube.ApiRequest> dryRunWrites() {
    return WORLD.world().kubernetes().requestLog().requests().stream().filter(r -> r.user().equals(DRY_RUN_USER))
        .filter(r -> !Set.of("get", "list", "watch").contains(r.verb())).toList();
  }

  private static long eventsEndOffset() {
    List<org.apache.kafka.common.TopicPartition> partitions = events.partitionsFor(Topics.EVENTS).stream()
        .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
    return events.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
  }

  private static HttpResponse<String> dryRunPost(String path, String json, String token) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dryRunPort() + path))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(8)
  void givenADryRunOfAnUpdate_thenItAnswersTheStepsPodOrderWindowAndEstimate_andWritesNothing() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> WORLD.world().client().pods().inNamespace(NS)
        .withLabels(io.pxops.kubedb.KubeDbNames.selectorLabels("orders")).list().getItems().size() == 3);
    Set<String> objectsBefore = requestNames();
    long offsetBefore = eventsEndOffset();

    HttpResponse<String> r = dryRunPost("/api/v1/namespaces/" + NS + "/updaterequests?dryRun=All",
        "{\"database\":\"orders\",\"targetVersion\":\"10.11.19\",\"timeout\":\"5m\"}", ADMIN);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = JsonCodec.shared().mapper().readTree(r.body());
    assertThat(body.path("decision").asText()).isEqualTo("Accepted");
    assertThat(body.at("/request/timeout").asText()).isEqualTo("PT5M");
    assertThat(body.at("/request/fromVersion").asText()).isEqualTo(WORLD.world().olderVersion());
    List<String> steps = new ArrayList<>();
    body.path("steps").forEach(s -> steps.add(s.path("step").asText() + (s.has("pod") ? " " + s.path("pod").asText()
        : "")));
    assertThat(steps).containsExactly("Preflight", "VerifyCluster", "PauseDatabase", "UpdatePetSets",
        "EvictPod orders-2", "CheckPodRunning orders-2", "VerifyPod orders-2",
        "EvictPod orders-1", "CheckPodRunning orders-1", "VerifyPod orders-1",
        "EvictPod orders-0", "CheckPodRunning orders-0", "VerifyPod orders-0", "UpdateDatabase", "ResumeDatabase");
    assertThat(body.path("podOrder")).extracting(p -> p.path("name").asText())
        .containsExactly("orders-2", "orders-1", "orders-0");
    assertThat(body.at("/window/has").asBoolean()).isFalse();
    // each step at its measured duration, the per-pod ones once per pod: 2+1+1+1 + 3 x (3+10+1) + 1+1 = 49
    assertThat(body.at("/estimate/totalSeconds").asLong()).isEqualTo(49);
    assertThat(body.at("/estimate/source").asText()).contains("1 successful update(s) of " + NS + "/orders")
        .contains("status projector http://127.0.0.1:");
    assertThat(MEASUREMENT_AUTHORIZATIONS).as("read with the caller's own token").contains("Bearer " + ADMIN);
    assertThat(body.at("/queue/ahead").asInt()).as("the request holding orders and the one waiting").isEqualTo(2);
    assertThat(body.at("/queue/message").asText()).contains(NS + "/orders-running holds " + NS + "/orders")
        .contains(NS + "/orders-next").endsWith("this one would run after them");

    assertThat(requestNames()).as("no ops request object").isEqualTo(objectsBefore);
    assertThat(dryRunWrites()).as("the dry run only read the API").isEmpty();
    assertThat(WORLD.world().kubernetes().requestLog().requests()).as("it read the pods and the catalog entry")
        .anyMatch(q -> q.user().equals(DRY_RUN_USER) && q.verb().equals("list") && q.resource().equals("pods"));
    assertThat(eventsEndOffset()).as("no record on " + Topics.EVENTS).isEqualTo(offsetBefore);

    // the door without a status projector to read says so, and still plans
    HttpResponse<String> none = post("/api/v1/namespaces/" + NS + "/updaterequests?dryRun=true",
        "{\"database\":\"orders\",\"targetVersion\":\"10.11.19\"}");
    assertThat(none.statusCode()).as(none.body()).isEqualTo(200);
    JsonNode noEstimate = JsonCodec.shared().mapper().readTree(none.body());
    assertThat(noEstimate.at("/estimate/total").isNull()).isTrue();
    assertThat(noEstimate.at("/estimate/source").asText()).startsWith("no measurements").contains("no estimate");
    assertThat(noEstimate.at("/queue/known").asBoolean()).isFalse();
    assertThat(noEstimate.at("/queue/message").asText()).contains("PXOPS_STATUS_URL");
    assertThat(requestNames()).isEqualTo(objectsBefore);
  }

  @Test
  @Order(9)
  void givenADryRunAdmissionRefuses_thenItNamesTheRuleAndFieldAsTheSubmitWould_andWritesNothing() throws Exception {
    Set<String> objectsBefore = requestNames();
    long offsetBefore = eventsEndOffset();

    HttpResponse<String> deprecated = dryRunPost("/api/v1/namespaces/" + NS + "/updaterequests?dryRun=All",
        "{\"database\":\"orders\",\"targetVersion\":\"10.11.50\"}", ADMIN);
    HttpResponse<String> missing = dryRunPost("/api/v1/namespaces/" + NS + "/updaterequests?dryRun=All",
        "{\"database\":\"nobody\",\"targetVersion\":\"10.11.19\"}", ADMIN);
    HttpResponse<String> badValue = dryRunPost("/api/v1/namespaces/" + NS + "/updaterequests?dryRun=yes",
        "{\"database\":\"orders\",\"targetVersion\":\"10.11.19\"}", ADMIN);
    HttpResponse<String> readerOnly = dryRunPost("/api/v1/namespaces/" + NS + "/updaterequests?dryRun=All",
        "{\"database\":\"orders\",\"targetVersion\":\"10.11.19\"}", READER_TOKEN);

    assertThat(deprecated.statusCode()).as(deprecated.body()).isEqualTo(422);
    JsonNode d = JsonCodec.shared().mapper().readTree(deprecated.body());
    assertThat(d.path("decision").asText()).isEqualTo("Refused");
    assertThat(d.path("error").asText()).isEqualTo("TargetVersionDeprecated");
    assertThat(d.path("field").asText()).isEqualTo("spec.updateVersion.targetVersion");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JsonCodec.shared().mapper().readTree(missing.body()).path("error").asText())
        .isEqualTo("DatabaseNotFound");
    assertThat(badValue.statusCode()).isEqualTo(400);
    assertThat(JsonCodec.shared().mapper().readTree(badValue.body()).path("field").asText()).isEqualTo("dryRun");
    assertThat(readerOnly.statusCode()).as("a dry run needs what the submit needs: create").isEqualTo(403);

    assertThat(requestNames()).isEqualTo(objectsBefore);
    assertThat(dryRunWrites()).isEmpty();
    assertThat(eventsEndOffset()).isEqualTo(offsetBefore);
  }

  @Test
  @Order(10)
  void givenADryRunOfACampaign_thenItAnswersThePlanEachDatabasesStepsAndAnEstimate_andWritesNothing()
      throws Exception {
    String spec = "{\"name\":\"dry\",\"selection\":{\"namespaces\":[\"" + NS + "\"]},"
        + "\"target\":{\"version\":\"10.11.19\"},"
        + "\"stages\":[{\"name\":\"all\",\"rest\":true,\"maxConcurrent\":1}],\"failureBudget\":{\"count\":0}}";

    HttpResponse<String> r = dryRunPost("/api/v1/campaigns?dryRun=All&detail=true", spec, ADMIN);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = JsonCodec.shared().mapper().readTree(r.body());
    JsonNode orders = body.at("/stages/0/databases/0");
    assertThat(orders.path("database").asText()).isEqualTo(NS + "/orders");
    assertThat(orders.path("to").asText()).isEqualTo("10.11.19");
    assertThat(orders.path("podOrder")).extracting(p -> p.path("name").asText())
        .containsExactly("orders-2", "orders-1", "orders-0");
    assertThat(orders.path("steps")).hasSize(15);
    assertThat(body.at("/estimate/total").asText()).as("its own last measured update").isEqualTo("PT50S");
    assertThat(body.at("/estimate/source").asText()).contains("1 successful update(s) measured by pxops");
    assertThat(CAMPAIGN_RECORDS).as("no record on pxops.campaigns").isEmpty();
    assertThat(dryRunWrites()).isEmpty();
  }

  private static long admissionsOf(String opsRequest) {
    for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(200))) {
      Envelope e = JsonCodec.shared().decode(r.value());
      String trace = TraceIds.of(r.headers());
      if (trace != null) {
        TRACES.put(e.eventId(), trace);
      }
      SEEN.add(e);
    }
    return SEEN.stream().filter(e -> e.payload() instanceof RequestAdmitted && e.opsRequest().equals(opsRequest))
        .count();
  }

  private static Set<String> requestNames() {
    return WORLD.world().client().resources(PerconaXtraDBOpsRequest.class).inNamespace(NS).list().getItems()
        .stream().map(o -> o.getMetadata().getName()).collect(Collectors.toSet());
  }

  private static HttpResponse<String> post(String path, String json) throws Exception {
    return post(path, json, ADMIN);
  }

  private static HttpResponse<String> post(String path, String json, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String body(String name, String database, String target, String timeout, String apply,
      Integer maxRetries) {
    StringBuilder b = new StringBuilder("{");
    append(b, "name", name);
    append(b, "database", database);
    append(b, "targetVersion", target);
    append(b, "timeout", timeout);
    append(b, "apply", apply);
    b.append("\"maxRetries\":").append(maxRetries).append('}');
    return b.toString();
  }

  private static void append(StringBuilder b, String field, String value) {
    if (value != null) {
      b.append('"').append(field).append("\":\"").append(value).append("\",");
    }
  }

  private static Arguments bad(String title, String json, int status, String rule, String field) {
    return Arguments.of(title, json, status, rule, field);
  }
}
