package io.pxops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.Envelope;
import io.pxops.events.EvictPod;
import io.pxops.events.JsonCodec;
import io.pxops.events.Topics;
import io.pxops.benchmarks.SimulatedNodesVerifierMain;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pxops.sandbox.kube.ApiRequest;
import io.pxops.sandbox.world.LocalPipeline;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.sandbox.world.LocalWorldExtension;
import io.pxops.sandbox.world.ServiceProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The services as processes, killed and cut off: a coordinator killed with SIGKILL mid-update and started again
 * (static membership: the updates go on at once, with no wait for the dead member's session; one update submitted
 * over HTTP and its end read from the status API, the other's first eviction refused by a tightened
 * PodDisruptionBudget until it is loosened), a Streams service whose
 * stream thread dies exits non-zero instead of living on as a zombie, and every service tells the truth on /readyz
 * and stops promptly on SIGTERM with no broker. Pods are simulated: Galera is not the point here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceRecoveryIT {

  private static final String NS = "recovery";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Map<String, String> MAINS = new LinkedHashMap<>();

  static {
    MAINS.put("coordinator", LocalPipeline.COORDINATOR);
    MAINS.put("ingest", LocalPipeline.INGEST);
    MAINS.put("runners", LocalPipeline.RUNNERS);
    MAINS.put("verifier", LocalPipeline.VERIFIER);
    MAINS.put("projector", LocalPipeline.PROJECTOR);
  }

  @RegisterExtension
  static final LocalWorldExtension WORLD = new LocalWorldExtension(LocalWorld.builder().namespace(NS)
      .pods(LocalWorld.Pods.SIMULATED).simulatedReadyDelay(Duration.ofMillis(300)));

  private static Path dir;
  private static LocalPipeline pipeline;

  @BeforeAll
  static void startTheServices() throws Exception {
    dir = Files.createTempDirectory("recovery-it-");
    // the pods are simulated (no database processes): the verifier reads them through the benchmarks' simulated
    // NodeStatusSource, where a Ready pod counts as a Synced node
    pipeline = LocalPipeline.start(WORLD.world(), dir, Map.of("PXOPS_TICK_INTERVAL", "PT0.2S",
        "PXOPS_RECHECK_INTERVAL", "PT0.3S", "PXOPS_VERIFY_HOLD_POLLS", "1"), LocalPipeline.ALL,
        Map.of("verifier", SimulatedNodesVerifierMain.class.getName()));
  }

  @AfterAll
  static void stopTheServices() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  @Order(1)
  void givenTheCoordinatorKilledMidUpdate_whenStartedAgain_thenBothUpdatesGoOnAtOnceAndSucceed(LocalWorld world)
      throws Exception {
    world.createDatabase("alpha", 3, world.olderVersion());
    world.createDatabase("beta", 3, world.olderVersion());
    await().atMost(Duration.ofSeconds(60)).until(() -> world.allPodsReady("alpha", 3).getAsBoolean()
        && world.allPodsReady("beta", 3).getAsBoolean());
    // someone tightened alpha's budget (KubeDB's allows one pod down): alpha's first eviction is refused until
    // it is loosened again, which also runs the runners' refusal path (it reads the budgets to name the one)
    setBudget(world, "alpha", "{\"spec\":{\"maxUnavailable\":null,\"minAvailable\":3}}");
    try (KafkaConsumer<String, byte[]> commands = commandsFromNow(world)) {
      Set<String> seen = new HashSet<>();
      Kubectl.apply(world, Kubectl.updateVersionYaml(NS, "alpha-upd", "alpha", world.newerVersion(), "3m"));
      // beta through the HTTP door, as a user's script would; a repeat of the same clientRequestId is the same request
      String betaUpd = submitOverHttp(world, "beta", "recovery-it-beta", 202);
      assertThat(submitOverHttp(world, "beta", "recovery-it-beta", 200)).isEqualTo(betaUpd);
      // mid-update: both have had a pod evicted (alpha's refused, while its budget allows none)
      Set<String> evicting = new HashSet<>();
      Map<String, String> firstEvicted = new HashMap<>();
      await().atMost(Duration.ofSeconds(90)).until(() -> {
        for (Envelope e : read(commands)) {
          seen.add(e.eventId());
          if (e.payload() instanceof EvictPod evict) {
            evicting.add(e.database());
            firstEvicted.putIfAbsent(e.database(), evict.pod());
          }
        }
        return evicting.size() == 2;
      });
      String alphaPod = firstEvicted.get(NS + "/alpha");
      String alphaUid = world.client().pods().inNamespace(NS).withName(alphaPod).get().getMetadata().getUid();
      // the runners read the budgets only when an eviction was refused (to name the budget in the block)
      await().atMost(Duration.ofSeconds(30)).until(() -> world.kubernetes().requestLog().requests().contains(
          ApiRequest.resource(LocalPipeline.serviceAccountOf("runners"), "list", "policy", "poddisruptionbudgets",
              "", NS, "")));
      assertThat(world.client().pods().inNamespace(NS).withName(alphaPod).get().getMetadata().getUid())
          .as("a pod whose eviction the budget refuses stays").isEqualTo(alphaUid);
      setBudget(world, "alpha", "{\"spec\":{\"minAvailable\":null,\"maxUnavailable\":1}}");

      pipeline.service("coordinator").kill();
      long spawned = System.nanoTime();
      ServiceProcess coordinator = pipeline.restart("coordinator");
      long up = -1;
      long next = -1;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (next < 0 && System.nanoTime() < deadline) {
        if (up < 0 && answers(pipeline.healthUrl("coordinator") + "/livez")) {
          up = System.nanoTime();
        }
        for (Envelope e : read(commands)) {
          if (seen.add(e.eventId()) && next < 0) {
            next = System.nanoTime();
          }
        }
        assertThat(coordinator.alive()).as(coordinator.logText()).isTrue();
      }
      assertThat(next).as("a new step command after the restart\n" + coordinator.logText()).isPositive();
      if (up < 0) {
        up = next; // the process answered its first probe only after the command; count from the command
      }
      pipeline.awaitReady("coordinator");
      long ready = System.nanoTime();
      System.out.printf("coordinator SIGKILL recovery: next step command %d ms after the new process was up "
          + "(/livez), %d ms after it was spawned; /readyz 200 after %d ms%n",
          TimeUnit.NANOSECONDS.toMillis(Math.max(0, next - up)), TimeUnit.NANOSECONDS.toMillis(next - spawned),
          TimeUnit.NANOSECONDS.toMillis(ready - spawned));

      await().atMost(Duration.ofMinutes(2)).until(() -> terminal(world, "alpha-upd") && terminal(world, betaUpd));
      assertThat(Kubectl.objectPhase(world, "alpha-upd")).isEqualTo("Successful");
      assertThat(Kubectl.objectPhase(world, betaUpd)).isEqualTo("Successful");
      // and the status API, which checks its caller (TokenReview, SubjectAccessReview), says so too
      HttpResponse<String> status = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.statusUrl()
          + "/api/v1/namespaces/" + NS + "/updaterequests/" + betaUpd)).header("Authorization", "Bearer "
          + world.adminToken()).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
      assertThat(JsonCodec.shared().mapper().readTree(status.body()).path("phase").asText()).isEqualTo("Successful");
    }
  }

  @Test
  @Order(4) // last: it leaves the pipeline without its coordinator and projector
  void givenAStreamThreadDies_thenTheServiceExitsNonZeroInsteadOfLivingOn(LocalWorld world) throws Exception {
    // a real cause of death: a second process under the same instance id fences the first one's group membership
    // (FencedInstanceIdException on its stream threads); the first must end, not linger with no stream thread
    ServiceProcess coordinator = pipeline.service("coordinator");
    ServiceProcess projector = pipeline.service("projector");
    Map<String, String> env = new HashMap<>(baseEnv(world, world.kafka().bootstrapServers()));
    env.put("PXOPS_HEALTH_PORT", "0");
    env.put("PXOPS_HTTP_PORT", "0");
    env.put("PXOPS_WRITE_BACK", "false");
    try (ServiceProcess intruder1 = ServiceProcess.start("coordinator-intruder", LocalPipeline.COORDINATOR,
            with(env, "PXOPS_INSTANCE_ID", "coordinator", "PXOPS_STATE_DIR", dir.resolve("intruder-c").toString()),
            dir.resolve("logs"));
        ServiceProcess intruder2 = ServiceProcess.start("projector-intruder", LocalPipeline.PROJECTOR,
            with(env, "PXOPS_INSTANCE_ID", "projector", "PXOPS_STATE_DIR", dir.resolve("intruder-p").toString()),
            dir.resolve("logs"))) {
      await().atMost(Duration.ofSeconds(90)).until(() -> !coordinator.alive() && !projector.alive());
      assertThat(coordinator.exitCode()).as(coordinator.logText()).isEqualTo(70);
      assertThat(projector.exitCode()).as(projector.logText()).isEqualTo(70);
      assertThat(coordinator.logText()).contains("died");
      assertThat(projector.logText()).contains("died");
    }
    // last in the class: the pipeline is left with its coordinator and projector gone
  }

  @Test
  @Order(2)
  void givenNoBroker_thenEveryServiceIsLiveButNotReady_andStopsPromptlyOnSigterm(LocalWorld world) throws Exception {
    String deadKafka = "127.0.0.1:" + closedPort();
    Map<String, String> env = baseEnv(world, deadKafka);
    Map<String, ServiceProcess> started = new LinkedHashMap<>();
    Map<String, Integer> ports = new HashMap<>();
    try {
      for (Map.Entry<String, String> main : MAINS.entrySet()) {
        int port = closedPort();
        ports.put(main.getKey(), port);
        started.put(main.getKey(), ServiceProcess.start("nobroker-" + main.getKey(), main.getValue(),
            with(env, "PXOPS_HEALTH_PORT", String.valueOf(port), "PXOPS_HTTP_PORT", String.valueOf(port),
                "PXOPS_INSTANCE_ID", "nobroker-" + main.getKey(), "PXOPS_WRITE_BACK", "false",
                "PXOPS_STATE_DIR", dir.resolve("nobroker-" + main.getKey()).toString()), dir.resolve("logs")));
      }
      for (Map.Entry<String, ServiceProcess> s : started.entrySet()) {
        String url = "http://127.0.0.1:" + ports.get(s.getKey());
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          assertThat(s.getValue().alive()).as(s.getValue().logText()).isTrue();
          return answers(url + "/livez");
        });
        HttpResponse<String> ready = get(url + "/readyz");
        assertThat(ready.statusCode()).as(s.getKey() + " /readyz with no broker").isEqualTo(503);
        assertThat(ready.body()).contains("describeCluster");
      }
      started.values().forEach(p -> p.signalStop());
      for (Map.Entry<String, ServiceProcess> s : started.entrySet()) {
        long t0 = System.nanoTime();
        // a wide bound, not a timing assertion: without bounded closes these waited for Kubernetes' SIGKILL
        assertThat(s.getValue().awaitExit(Duration.ofSeconds(20))).as(s.getKey() + " exited after SIGTERM\n"
            + s.getValue().logText()).isTrue();
        System.out.printf("SIGTERM with no broker: %s exited with %d, %d ms after the signal%n", s.getKey(),
            s.getValue().exitCode(), TimeUnit.NANOSECONDS.toMillis(s.getValue().stoppedAfterSignal()));
      }
    } finally {
      for (ServiceProcess p : started.values()) {
        p.kill();
      }
    }
  }

  /**
   * A campaign over four databases through the ingest's campaign door, run by the coordinator, each member an
   * ordinary update request: the canary (cmp-a) is updated and nothing else starts while the next stage waits for
   * its approval; after approve, the first member of that stage (cmp-b, made to fail: its version was changed to the
   * target meanwhile, so admission refuses its request) exhausts the failure budget of 0, and cmp-c and cmp-d are
   * never started. The campaign's status over the projector's HTTP API tells the story.
   */
  @Test
  @Order(3)
  void givenACanaryThenAnApprovedRestWithABudgetOfZero_thenTheCampaignRunsInOrderAndStopsAtTheFailure(
      LocalWorld world) throws Exception {
    List<String> members = List.of("cmp-a", "cmp-b", "cmp-c", "cmp-d");
    for (String db : members) {
      // only the canary is updated: the others need no more than one pod to be planned, refused or left alone
      world.createDatabase(db, db.equals("cmp-a") ? 3 : 1, world.olderVersion());
      world.client().resources(io.pxops.kubedb.PerconaXtraDB.class).inNamespace(NS).withName(db)
          .edit(d -> {
            d.getMetadata().setLabels(Map.of("campaign-it", "yes"));
            return d;
          });
    }
    await().atMost(Duration.ofSeconds(60)).until(world.allPodsReady("cmp-a", 3)::getAsBoolean);
    String spec = "{\"name\":\"cmp-it\",\"selection\":{\"namespaces\":[\"" + NS + "\"],\"matchLabels\":"
        + "{\"campaign-it\":\"yes\"}},\"target\":{\"version\":\"" + world.newerVersion() + "\"},\"stages\":["
        + "{\"name\":\"canary\",\"count\":1,\"maxConcurrent\":1},"
        + "{\"name\":\"rest\",\"rest\":true,\"maxConcurrent\":1,\"approval\":true}],"
        + "\"failureBudget\":{\"count\":0}}";

    HttpResponse<String> bad = post(world, "/api/v1/campaigns", spec.replace("\"maxConcurrent\":1,\"approval\"",
        "\"maxConcurrent\":0,\"approval\""));
    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
    assertThat(JsonCodec.shared().mapper().readTree(bad.body()).path("field").asText())
        .isEqualTo("stages[1].maxConcurrent");
    HttpResponse<String> created = post(world, "/api/v1/campaigns", spec);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    assertThat(JsonCodec.shared().mapper().readTree(created.body()).at("/stages/0/databases/0").asText())
        .startsWith(NS + "/cmp-a ");

    await().atMost(Duration.ofSeconds(90)).until(() -> "AwaitingApproval".equals(campaign().at("/progress/phase")
        .asText()));
    assertThat(campaignRequests(world)).as("only the canary ran").containsOnlyKeys("cmp-a");
    assertThat(campaign().at("/progress/stages/0/done").asInt()).as("the canary succeeded").isEqualTo(1);

    // cmp-b is made to fail: it is at the target already when its turn comes, so admission refuses its request
    world.client().resources(io.pxops.kubedb.PerconaXtraDB.class).inNamespace(NS).withName("cmp-b").edit(d -> {
      d.getSpec().setVersion(world.newerVersion());
      return d;
    });
    HttpResponse<String> noStage = post(world, "/api/v1/campaigns/cmp-it/approve", "{}");
    assertThat(noStage.statusCode()).as(noStage.body()).isEqualTo(400);
    assertThat(post(world, "/api/v1/campaigns/cmp-it/approve", "{\"stage\":\"rest\"}").statusCode())
        .isEqualTo(202);

    await().atMost(Duration.ofSeconds(60)).until(() -> "BudgetExhausted".equals(campaign().at("/progress/phase")
        .asText()));
    JsonNode end = campaign();
    assertThat(end.at("/progress/stages/0/done").asInt()).isEqualTo(1);
    assertThat(end.at("/progress/stages/1/failed").asInt()).isEqualTo(1);
    assertThat(end.at("/progress/stages/1/waiting").asInt()).as("never started").isEqualTo(2);
    assertThat(end.path("failed").asInt()).isEqualTo(1);
    assertThat(end.at("/failures/0/database").asText()).as("which member failed, and why")
        .isEqualTo(NS + "/cmp-b");
    assertThat(end.at("/failures/0/reason").asText()).isNotBlank();
    assertThat(campaignRequests(world)).as("no member started after the budget ran out")
        .containsOnlyKeys("cmp-a");

    // the dashboard's campaigns panel, in headless Chromium: the campaign, its phase and each stage's counts
    try (DashboardBrowser browser = DashboardBrowser.start()) {
      String dashboard = pipeline.statusUrl() + "/dashboard/";
      browser.open(dashboard + "#token=" + world.adminToken());
      browser.open(dashboard + "#/");
      String row = "#campaigns tr[data-campaign='cmp-it']";
      await().atMost(Duration.ofSeconds(30)).until(() -> browser.count(row) == 1);
      assertThat(browser.attribute(row + " [data-phase]", "data-phase")).isEqualTo("BudgetExhausted");
      assertThat(browser.text(row + " [data-stage='canary']")).contains("1 / 0 / 0 / 0");
      assertThat(browser.text(row + " [data-stage='rest']")).contains("0 / 0 / 1 / 2");
    }

    // the Kubernetes door: kubectl apply of a Campaign object; one that selects nothing is refused, in its status
    Kubectl.apply(world, """
        apiVersion: pxops.io/v1alpha1
        kind: Campaign
        metadata: {name: cmp-none}
        spec:
          selection: {matchLabels: {campaign-it: "no-such-value"}}
          target: {version: "%s"}
          stages: [{name: all, rest: true, maxConcurrent: 2}]
          failureBudget: {count: 0}
        """.formatted(world.newerVersion()));
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      var o = world.client().genericKubernetesResources("pxops.io/v1alpha1", "Campaign").withName("cmp-none").get();
      return o != null && o.getAdditionalProperties().get("status") instanceof Map<?, ?> st
          && "Refused".equals(st.get("phase")) && "NoMembers".equals(st.get("reason"));
    });

    // an accepted Campaign object shows its progress in its own status (the projector's write-back): two members
    // left (cmp-a and cmp-b are at the target, refused), held at the approval gate, then cancelled through its spec
    Kubectl.apply(world, """
        apiVersion: pxops.io/v1alpha1
        kind: Campaign
        metadata: {name: cmp-obj}
        spec:
          selection: {namespaces: [%s], matchLabels: {campaign-it: "yes"}}
          target: {version: "%s"}
          stages: [{name: all, rest: true, maxConcurrent: 1, approval: true}]
          failureBudget: {count: 0}
        """.formatted(NS, world.newerVersion()));
    await().atMost(Duration.ofSeconds(60)).until(() -> "AwaitingApproval".equals(objectProgress(world)
        .path("phase").asText()));
    JsonNode held = objectProgress(world);
    assertThat(held.path("doneOfTotal").asText()).isEqualTo("0/2");
    assertThat(held.path("refused").asInt()).isEqualTo(2);
    world.client().genericKubernetesResources("pxops.io/v1alpha1", "Campaign").withName("cmp-obj").patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        "{\"spec\":{\"cancelled\":true}}");
    await().atMost(Duration.ofSeconds(60)).until(() -> "Cancelled".equals(objectProgress(world)
        .path("phase").asText()));
    assertThat(objectProgress(world).at("/stages/0/waiting").asInt()).isEqualTo(2);

    // the Kafka door: a create written to pxops.campaigns by any client is checked by the ingest; this one selects
    // nothing, and is dead-lettered with the rule and the field
    try (KafkaConsumer<String, byte[]> dlq = fromNow(world, Topics.DLQ);
        org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer =
            new org.apache.kafka.clients.producer.KafkaProducer<>(Map.of("bootstrap.servers",
                world.kafka().bootstrapServers()), new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.CAMPAIGNS, "cmp-kafka",
          ("{\"type\":\"Create\",\"campaign\":\"cmp-kafka\",\"by\":\"ci\",\"spec\":"
              + spec.replace("cmp-it", "cmp-kafka").replace("\"yes\"", "\"no-such-value\"") + "}").getBytes()))
          .get();
      List<String> letters = new java.util.ArrayList<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(100))) {
          letters.add(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return letters.stream().anyMatch(l -> l.contains("cmp-kafka") && l.contains("NoMembers"));
      });
      assertThat(letters).anySatisfy(l -> assertThat(l).contains("\"problem\":\"NoMembers\"")
          .contains("selection: "));
    }
  }

  private static KafkaConsumer<String, byte[]> fromNow(LocalWorld world, String topic) {
    KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, world.kafka().bootstrapServers()), new StringDeserializer(),
        new ByteArrayDeserializer());
    List<TopicPartition> partitions = c.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    c.assign(partitions);
    c.seekToEnd(partitions);
    partitions.forEach(c::position);
    return c;
  }

  /** Each campaign member's ops request (by its clientRequestId) in the namespace: database → object phase. */
  private static Map<String, String> campaignRequests(LocalWorld world) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (io.pxops.kubedb.PerconaXtraDBOpsRequest r : world.client()
        .resources(io.pxops.kubedb.PerconaXtraDBOpsRequest.class).inNamespace(NS).list().getItems()) {
      Map<String, String> a = r.getMetadata().getAnnotations();
      String id = a == null ? null : a.get("pxops.io/client-request-id");
      if (id != null && id.startsWith("campaign/cmp-it/")) {
        out.put(r.getSpec().getDatabaseRef().getName(), String.valueOf(Kubectl.objectPhase(world,
            r.getMetadata().getName())));
      }
    }
    return out;
  }

  /** The Campaign object cmp-obj's status.progress, as the status projector writes it (missing: empty). */
  private static JsonNode objectProgress(LocalWorld world) {
    var o = world.client().genericKubernetesResources("pxops.io/v1alpha1", "Campaign").withName("cmp-obj").get();
    return o == null ? JsonCodec.shared().mapper().createObjectNode()
        : JsonCodec.shared().mapper().valueToTree(o.getAdditionalProperties()).path("status").path("progress");
  }

  private static JsonNode campaign() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.statusUrl()
        + "/api/v1/campaigns/cmp-it")).header("Authorization", "Bearer " + WORLD.world().adminToken())
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? JsonCodec.shared().mapper().readTree(r.body())
        : JsonCodec.shared().mapper().createObjectNode();
  }

  private static HttpResponse<String> post(LocalWorld world, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.ingestUrl() + path))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + world.adminToken())
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, String> baseEnv(LocalWorld world, String kafka) throws IOException {
    Path kubeconfig = world.kubernetes().writeKubeconfig(Files.createTempDirectory(dir, "kube").resolve("config"),
        NS);
    return Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka, "KUBECONFIG", kubeconfig.toString(),
        "PXOPS_REPLICATION_FACTOR", "1", "PXOPS_HTTP_HOST", "127.0.0.1", "PXOPS_ADVERTISED_HOST", "127.0.0.1");
  }

  private static Map<String, String> with(Map<String, String> base, String... pairs) {
    Map<String, String> m = new HashMap<>(base);
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  /** A JSON merge patch of the database's PodDisruptionBudget (KubeDB names it after the database). */
  private static void setBudget(LocalWorld world, String database, String mergePatch) {
    world.client().resources(PodDisruptionBudget.class).inNamespace(NS).withName(database)
        .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
  }

  /** POSTs an UpdateVersion to the ingest's HTTP door; returns the request's name. */
  private static String submitOverHttp(LocalWorld world, String database, String clientRequestId, int expectedCode)
      throws Exception {
    String body = "{\"database\":\"" + database + "\",\"targetVersion\":\"" + world.newerVersion()
        + "\",\"timeout\":\"3m\",\"clientRequestId\":\"" + clientRequestId + "\"}";
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.ingestUrl() + "/api/v1/namespaces/"
        + NS + "/updaterequests")).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + world.adminToken()).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(expectedCode);
    return JsonCodec.shared().mapper().readTree(r.body()).path("name").asText();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static boolean terminal(LocalWorld world, String name) {
    String phase = Kubectl.objectPhase(world, name);
    return "Successful".equals(phase) || "Failed".equals(phase) || "Skipped".equals(phase);
  }

  private static KafkaConsumer<String, byte[]> commandsFromNow(LocalWorld world) {
    KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, world.kafka().bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
        new ByteArrayDeserializer());
    List<TopicPartition> partitions = c.partitionsFor(Topics.COMMANDS).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    c.assign(partitions);
    c.seekToEnd(partitions);
    partitions.forEach(c::position);
    return c;
  }

  private static List<Envelope> read(KafkaConsumer<String, byte[]> commands) {
    List<Envelope> out = new java.util.ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : commands.poll(Duration.ofMillis(20))) {
      out.add(JsonCodec.shared().decode(r.value()));
    }
    return out;
  }

  private static boolean answers(String url) {
    try {
      return get(url).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
