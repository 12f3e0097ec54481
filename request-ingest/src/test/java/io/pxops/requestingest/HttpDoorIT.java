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
 * named and nothing created, and the valid requests sent after them are still taken.
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
