package io.pxops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.events.PodEvicted;
import io.pxops.events.PodVerified;
import io.pxops.events.RequestStarted;
import io.pxops.events.RequestSucceeded;
import io.pxops.events.RequestWaitingForWindow;
import io.pxops.events.Topics;
import io.pxops.events.campaign.CampaignRecord;
import io.pxops.kubedb.KubeDbConditions;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.pipeline.LifecycleLogReader;
import io.pxops.sandbox.galera.GaleraPodRuntime;
import io.pxops.sandbox.runtime.ServerImages;
import io.pxops.sandbox.world.LocalPipeline;
import io.pxops.sandbox.world.LocalWorld;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Campaigns and maintenance windows on real Galera clusters (wsrep on), every service its own process: the
 * must-shows of the fleet update that the unit tests prove with a test clock and ServiceRecoveryIT with simulated
 * pods, here with real node restarts. Run by {@link RollingUpdateIT} in its world and pipeline (a world and five
 * services of their own would cost half a minute more of the suite):
 * <ul>
 *   <li>{@link #campaignRunsInOrderAndStopsAtTheFirstFailure}: a campaign over five one-node clusters (a cluster of
 *       one is real Galera and restarts in seconds): its canary finishes before anything else starts, its approval
 *       stage starts only after {@code approve}, a member made to fail exhausts the budget and nothing further
 *       starts, and its status tells it;
 *   <li>{@link #windowWaitsStopsAfterThePodInHandAndGoesOn}: a three-node cluster's update with a window of two date
 *       ranges to the second (the processes' clocks cannot be moved, so the ranges are placed on the real clock): it
 *       waits for the first range to open, stops after the pod in hand when that range closes, and goes on in the
 *       second.
 * </ul>
 */
final class CampaignGaleraChecks {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The campaign's fleet: one-node clusters labelled for its selection. */
  static final List<String> FLEET = List.of("cg-a", "cg-b", "cg-c", "cg-d", "cg-e");
  /** The windowed update's database: three nodes, so that there is a pod after the pod in hand. */
  static final String WINDOWED = "win";

  private final LocalWorld world;
  private final LocalPipeline pipeline;
  private final String ns;

  CampaignGaleraChecks(LocalWorld world, LocalPipeline pipeline) {
    this.world = world;
    this.pipeline = pipeline;
    this.ns = world.namespace();
  }

  /** Creates the windowed update's three-node database (a bootstrap of ~10 s: best begun beside other work). */
  static void createWindowedDatabase(LocalWorld world) {
    world.createDatabase(WINDOWED, 3, world.olderVersion());
  }

  /** Creates the campaign's fleet (those not created yet), on the older build, labelled {@code fleet=cg}. */
  void createFleet() {
    for (String db : FLEET) {
      if (database(db) != null) {
        continue;
      }
      world.createDatabase(db, 1, world.olderVersion());
      world.client().resources(PerconaXtraDB.class).inNamespace(ns).withName(db).edit(d -> {
        d.getMetadata().setLabels(Map.of("fleet", "cg"));
        return d;
      });
    }
  }

  /**
   * Three stages over five databases: a canary of one, then one more with no gate, then the rest behind an approval,
   * one at a time, with a failure budget of 0. The order is read from the log and the nodes' own start records,
   * never from sleeps: the canary's update succeeded before the next stage's request was admitted and before its
   * node restarted; nothing of the approval stage existed or restarted before the approve call; the first member of
   * that stage, made to fail (its target's catalog image was made one no local build answers: ImagePullBackOff on
   * its real pod), exhausts the budget, and the two members after it are never started and their nodes never
   * restarted. The status over HTTP tells the story.
   */
  void campaignRunsInOrderAndStopsAtTheFirstFailure() throws Exception {
    createFleet();
    // a target of its own, on the newer build's image: breaking it later breaks no other test's version
    String target = world.newerVersion().replaceAll("\\.[0-9]+$", "") + ".98";
    world.putCatalogEntry(target, ServerImages.imageFor(world.newerVersion()));
    for (String db : FLEET) {
      await().atMost(Duration.ofMinutes(2)).until(world.allPodsReady(db, 1)::getAsBoolean);
      await().atMost(Duration.ofSeconds(30)).until(() -> "Ready".equals(phaseOf(database(db))));
    }
    Instant before = Instant.now(); // after every bootstrap: each start from now on is an update's restart
    String spec = "{\"name\":\"cg-fleet\",\"selection\":{\"namespaces\":[\"" + ns + "\"],\"matchLabels\":"
        + "{\"fleet\":\"cg\"}},\"target\":{\"version\":\"" + target + "\"},\"stages\":["
        + "{\"name\":\"canary\",\"count\":1,\"maxConcurrent\":1},"
        + "{\"name\":\"next\",\"count\":1,\"maxConcurrent\":1},"
        + "{\"name\":\"rest\",\"rest\":true,\"maxConcurrent\":1,\"approval\":true}],"
        + "\"failureBudget\":{\"count\":0}}";
    HttpResponse<String> created = post("/api/v1/campaigns", spec);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    JsonNode plan = JsonCodec.shared().mapper().readTree(created.body());
    String canary = planned(plan, 0).get(0);
    String next = planned(plan, 1).get(0);
    List<String> rest = planned(plan, 2);
    assertThat(rest).hasSize(3);

    await().atMost(Duration.ofMinutes(3)).until(() -> "AwaitingApproval".equals(
        campaign("cg-fleet").at("/progress/phase").asText()) || pipelineDead());
    assertThat(campaign("cg-fleet").at("/progress/phase").asText()).as(diagnostics()).isEqualTo("AwaitingApproval");
    Map<String, String> requests = memberRequests("cg-fleet");
    assertThat(requests).as("the canary and the next stage ran, nothing of the approval stage")
        .containsOnlyKeys(canary, next);

    // the canary finished before the next stage's member was admitted, and before its node restarted
    List<Envelope> canaryLog = lifecycle(requests.get(canary));
    List<Envelope> nextLog = lifecycle(requests.get(next));
    Instant canaryDone = occurred(canaryLog, RequestSucceeded.class);
    assertThat(nextLog).as("the next member's whole lifecycle").isNotEmpty()
        .allSatisfy(e -> assertThat(e.occurredAt()).isAfter(canaryDone));
    assertThat(occurred(nextLog, RequestSucceeded.class)).isNotNull();
    assertThat(startsSince(pods(canary), before)).as("the canary's node").hasSize(1);
    assertThat(startsSince(pods(next), before)).as("the next member's node restarted after the canary ended")
        .singleElement().satisfies(at -> assertThat(at).isAfter(canaryDone));
    Instant approving = Instant.now();
    for (String db : rest) {
      assertThat(startsSince(pods(db), before)).as(db + ": nothing of the approval stage before approve")
          .isEmpty();
    }

    // the approval stage's first member is made to fail: the target's image is now one no local build answers
    world.putCatalogEntry(target, ServerImages.imageFor(target));
    HttpResponse<String> approved = post("/api/v1/campaigns/cg-fleet/approve", "{\"stage\":\"rest\"}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(202);

    await().atMost(Duration.ofMinutes(3)).until(() -> "BudgetExhausted".equals(
        campaign("cg-fleet").at("/progress/phase").asText()) || pipelineDead());
    JsonNode end = campaign("cg-fleet");
    assertThat(end.at("/progress/phase").asText()).as(diagnostics()).isEqualTo("BudgetExhausted");
    assertThat(end.path("failed").asInt()).isEqualTo(1);
    assertThat(end.path("allowedFailures").asInt()).isZero();
    assertThat(stageCounts(end, 0)).as("canary: done, running, failed, waiting").containsExactly(1, 0, 0, 0);
    assertThat(stageCounts(end, 1)).as("next").containsExactly(1, 0, 0, 0);
    assertThat(stageCounts(end, 2)).as("rest").containsExactly(0, 0, 1, 2);

    // the failed member named with its reason (waited for: the projector folds it from a decision after the phase)
    await().atMost(Duration.ofSeconds(30)).until(() -> campaign("cg-fleet").path("failures").size() == 1);
    JsonNode failure = campaign("cg-fleet").at("/failures/0");

    Map<String, String> after = memberRequests("cg-fleet");
    assertThat(after).as("one member of the approval stage started, and failed").hasSize(3);
    String failed = rest.stream().filter(after::containsKey).findFirst().orElseThrow();
    assertThat(after.get(failed)).isNotNull();
    List<Envelope> failedLog = lifecycle(after.get(failed));
    assertThat(failedLog).as("the approval stage's member: its whole lifecycle after the approve call")
        .isNotEmpty().allSatisfy(e -> assertThat(e.occurredAt()).isAfter(approving));
    assertThat(Kubectl.phase(world, after.get(failed).substring(ns.length() + 1))).isEqualTo("Failed");
    assertThat(failure.path("database").asText()).as("the status names the failed member").isEqualTo(ns + "/" + failed);
    assertThat(failure.path("reason").asText()).as("and its reason").contains(failed + "-0", "ImagePullBackOff");
    assertThat(startsSince(pods(failed), before)).as("its node's restart, after the approve call")
        .allSatisfy(at -> assertThat(at).isAfter(approving));
    for (String db : rest) {
      if (!db.equals(failed)) {
        assertThat(startsSince(pods(db), before)).as(db + ": never started, its node never restarted")
            .isEmpty();
      }
    }

    // the story, in the campaign's own decisions
    Map<String, JsonNode> finished = new TreeMap<>();
    List<String> decided = new ArrayList<>();
    for (CampaignRecord.Decided d : decisions("cg-fleet")) {
      decided.add(d.event());
      if (d.event().equals("DatabaseUpdateFinished")) {
        finished.put(d.payload().path("database").asText(), d.payload());
      }
    }
    assertThat(decided).containsSubsequence("StageStarted", "DatabaseUpdateRequested", "DatabaseUpdateFinished",
        "StageCompleted", "StageStarted", "DatabaseUpdateFinished", "StageAwaitingApproval", "StageApproved",
        "DatabaseUpdateRequested", "DatabaseUpdateFinished", "BudgetExhausted");
    assertThat(finished).containsOnlyKeys(ns + "/" + canary, ns + "/" + next, ns + "/" + failed);
    assertThat(finished.get(ns + "/" + failed).path("succeeded").asBoolean()).isFalse();
    assertThat(finished.get(ns + "/" + failed).path("reason").asText()).as("the reason")
        .contains(failed + "-0", "ImagePullBackOff");
    // and the member's own request over HTTP, with the same reason
    JsonNode failedRequests = get("/api/v1/updaterequests?database=" + ns + "/" + failed + "&phase=Failed");
    assertThat(failedRequests.toString()).as("the failed member's request over HTTP")
        .contains("campaign/cg-fleet/", "ImagePullBackOff");
  }

  /**
   * One update of a three-node cluster with a maintenance window of two date ranges, to the second, placed on the
   * real clock (the processes' clocks cannot be moved): submitted before the first range opens, it waits
   * (WaitingForWindow, windowOpensAt, no pod restarted) and starts when it opens; the first range closes while its
   * first pod is verified, so it finishes that pod, evicts no other (exactly one node restarted, WaitingForWindow
   * naming the next pod, the database paused with one node on the new build), and goes on when the second range
   * opens, ending Successful with every node on the new build.
   *
   * <p>Only one end of the first range is a race with the pipeline, and it is held by the test rather than timed:
   * the first pod's VerifyPod cannot pass while another node is desynced ({@code wsrep_desync=ON}: Donor/Desynced,
   * which the verifier waits on as progress), so the test desyncs a node as soon as it sees the first pod evicted
   * (the node's restart and rejoin take seconds, the test's look a tenth of one) and syncs it again only once the
   * first range has closed. The margins, each about five times what it covers on a 2-core machine (each run prints
   * what was left of them: 9.4–9.6 s of 10 s in a clean-clone run, before they were cut to 5 s to keep the suite's
   * time):
   * <ul>
   *   <li>submission to the first opening, {@value #MARGIN_SECONDS} s: the test must see the request WaitingForWindow first (admission,
   *       the coordinator's decision and the projector's fold: about a second);
   *   <li>the first opening to its close, {@value #MARGIN_SECONDS} s: the update must reach its first eviction (the tick that sees the
   *       window open, preflight, verify cluster, pause, update the PetSet: one to two seconds);
   *   <li>the close to the second opening, {@value #MARGIN_SECONDS} s: the held verdict must pass once the node is synced again (a
   *       fraction of a second of looks) and the test must see the request WaitingForWindow again.
   * </ul>
   *
   * @param meanwhile work to run once the request is seen waiting for the second range (bootstraps started before
   *     would load the machine while the margins are being spent)
   */
  /** Each of the window test's three margins on the real clock (see the method's comment). */
  static final long MARGIN_SECONDS = 5;

  void windowWaitsStopsAfterThePodInHandAndGoesOn(Runnable meanwhile) throws Exception {
    await().atMost(Duration.ofMinutes(2)).until(world.allPodsReady(WINDOWED, 3)::getAsBoolean);
    await().atMost(Duration.ofSeconds(30)).until(() -> "Ready".equals(phaseOf(database(WINDOWED))));
    List<String> hosts = world.podsOf(WINDOWED).stream().map(p -> p.getStatus().getPodIP()).toList();
    Instant before = Instant.now();
    Instant opens = before.truncatedTo(ChronoUnit.SECONDS).plusSeconds(MARGIN_SECONDS);
    Instant closes = opens.plusSeconds(MARGIN_SECONDS);
    Instant reopens = closes.plusSeconds(MARGIN_SECONDS);
    String window = "{\"timeZone\":\"UTC\",\"dates\":[" + range(opens, closes) + ","
        + range(reopens, reopens.plus(Duration.ofHours(1))) + "]}";
    String name = submit(WINDOWED, window);

    // (a) submitted outside its window: it waits, visibly, and nothing is restarted
    await().atMost(Duration.ofSeconds(30)).until(() -> "WaitingForWindow".equals(status(name).path("phase").asText())
        || Instant.now().isAfter(opens));
    JsonNode waiting = status(name);
    assertThat(waiting.path("phase").asText()).as(diagnostics()).isEqualTo("WaitingForWindow");
    assertThat(Instant.parse(waiting.path("windowOpensAt").asText())).isEqualTo(opens);
    assertThat(waiting.path("currentPod").isMissingNode() || waiting.path("currentPod").isNull()).isTrue();
    Instant seenWaiting = Instant.now();
    assertThat(seenWaiting).as("seen before the window opened").isBefore(opens);
    assertThat(restartsSince(WINDOWED, before)).isEmpty();

    // it starts when the window opens; hold the first pod's verdict until the first range has closed
    String evicted = WINDOWED + "-2";
    String uid = world.podsOf(WINDOWED).get(2).getMetadata().getUid();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      var p = world.client().pods().inNamespace(ns).withName(evicted).get();
      return p == null || !uid.equals(p.getMetadata().getUid()) || p.getMetadata().getDeletionTimestamp() != null
          || Instant.now().isAfter(closes);
    });
    Instant seenEvicted = Instant.now();
    assertThat(seenEvicted).as("first eviction inside the first range").isBefore(closes);
    // Galera refuses a desync while the cluster's view changes (the evicted node is leaving it): again until done
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreException(SQLException.class)
        .until(() -> setDesync(hosts.get(0), world.rootPassword(WINDOWED), true));
    Instant desynced = Instant.now();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(closes));
    } finally {
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreException(SQLException.class)
          .until(() -> setDesync(hosts.get(0), world.rootPassword(WINDOWED), false));
    }

    // (b) the end of the window: the pod in hand finished, no further pod evicted, the wait visible
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      JsonNode now = status(name);
      return "WaitingForWindow".equals(now.path("phase").asText())
          && reopens.toString().equals(now.path("windowOpensAt").asText()) || Instant.now().isAfter(reopens);
    });
    JsonNode stopped = status(name);
    assertThat(stopped.path("phase").asText()).as(diagnostics()).isEqualTo("WaitingForWindow");
    Instant seenStopped = Instant.now();
    assertThat(seenStopped).as("seen before the window opened again").isBefore(reopens);
    // what each margin left over in this run
    System.out.println("WINDOW MARGINS: waiting seen " + Duration.between(seenWaiting, opens).toMillis()
        + " ms before the opening; first eviction seen " + Duration.between(seenEvicted, closes).toMillis()
        + " ms before the close (desynced " + Duration.between(seenEvicted, desynced).toMillis()
        + " ms after the eviction was seen); stop seen " + Duration.between(seenStopped, reopens).toMillis()
        + " ms before the second opening");
    assertThat(Instant.parse(stopped.path("windowOpensAt").asText())).isEqualTo(reopens);
    assertThat(stopped.path("currentPod").asText()).isEqualTo(WINDOWED + "-1");
    assertThat(restartsSince(WINDOWED, before)).as("exactly the pod in hand restarted")
        .containsExactly(Map.entry(evicted, 1));
    List<String> versions = world.serverVersions(WINDOWED);
    assertThat(versions.get(2)).startsWith(world.newerVersion());
    assertThat(versions.subList(0, 2)).allSatisfy(v -> assertThat(v).startsWith(world.olderVersion()));
    PerconaXtraDB db = database(WINDOWED);
    assertThat(KubeDbConditions.isPaused(db)).as("still paused, as the plan leaves it mid-update").isTrue();
    assertThat(db.getSpec().getVersion()).isEqualTo(world.olderVersion());
    assertThat(Kubectl.phase(world, name)).isEqualTo("WaitingForWindow");
    assertThat(Instant.now()).as("all of the stop seen before the window opened again").isBefore(reopens);
    // the margins are spent: other work may load the machine now
    meanwhile.run();

    await().atMost(Duration.ofMinutes(3)).until(() -> terminal(name));
    assertThat(Kubectl.phase(world, name)).as(diagnostics()).isEqualTo("Successful");
    assertThat(world.serverVersions(WINDOWED)).allSatisfy(v -> assertThat(v).startsWith(world.newerVersion()));
    assertThat(KubeDbConditions.isPaused(database(WINDOWED))).isFalse();
    assertThat(database(WINDOWED).getSpec().getVersion()).isEqualTo(world.newerVersion());
    assertThat(restartsSince(WINDOWED, before)).as("each pod once, in the plan's order")
        .containsExactly(Map.entry(WINDOWED + "-2", 1), Map.entry(WINDOWED + "-1", 1), Map.entry(WINDOWED + "-0", 1));

    // the log: waited to start, started at the opening, stopped after one pod, went on at the second opening
    List<Envelope> log = lifecycle(ns + "/" + name);
    List<RequestWaitingForWindow> waits = log.stream().filter(e -> e.payload() instanceof RequestWaitingForWindow)
        .map(e -> (RequestWaitingForWindow) e.payload()).toList();
    assertThat(waits).containsExactly(new RequestWaitingForWindow(opens, null, 0),
        new RequestWaitingForWindow(reopens, WINDOWED + "-1", 1));
    assertThat(occurred(log, RequestStarted.class)).isAfterOrEqualTo(opens).isBefore(closes);
    assertThat(log.stream().filter(e -> e.payload() instanceof PodEvicted).map(e -> (PodEvicted) e.payload()))
        .extracting(PodEvicted::pod).containsExactly(WINDOWED + "-2", WINDOWED + "-1", WINDOWED + "-0");
    Instant secondEviction = log.stream().filter(e -> e.payload() instanceof PodEvicted p
        && p.pod().equals(WINDOWED + "-1")).findFirst().orElseThrow().occurredAt();
    assertThat(secondEviction).as("the next pod only in the next range").isAfterOrEqualTo(reopens);
    Instant firstVerified = log.stream().filter(e -> e.payload() instanceof PodVerified).findFirst().orElseThrow()
        .occurredAt();
    assertThat(firstVerified).as("the pod in hand was finished after the close").isAfterOrEqualTo(closes);
  }

  // ---- helpers ----------------------------------------------------------------------------------------------

  private String range(Instant start, Instant end) {
    return "{\"start\":\"" + LocalDateTime.ofInstant(start, ZoneOffset.UTC) + "\",\"end\":\""
        + LocalDateTime.ofInstant(end, ZoneOffset.UTC) + "\"}";
  }

  /** Submits an update of {@code db} to the newer build over HTTP with {@code window}; returns its name. */
  private String submit(String db, String window) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.ingestUrl() + "/api/v1/namespaces/"
            + ns + "/updaterequests")).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + world.adminToken()).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString("{\"database\":\"" + db + "\",\"targetVersion\":\""
            + world.newerVersion() + "\",\"timeout\":\"3m\",\"clientRequestId\":\"cgalera-" + db
            + "\",\"window\":" + window + "}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return JsonCodec.shared().mapper().readTree(r.body()).path("name").asText();
  }

  /** Desyncs a node (Donor/Desynced: the verifier waits on it as progress), or syncs it again; true when done. */
  private boolean setDesync(String host, String password, boolean on) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:mysql://" + host + ":3306/?sslMode=DISABLED"
        + "&allowPublicKeyRetrieval=true&connectTimeout=2000", "root", password); Statement s = c.createStatement()) {
      s.execute("SET GLOBAL wsrep_desync = " + (on ? "ON" : "OFF"));
      return true;
    }
  }

  /** The databases (names) the plan puts in stage {@code index}, in order. */
  private List<String> planned(JsonNode plan, int index) {
    List<String> out = new ArrayList<>();
    // each entry reads "ns/name from -> to ..."
    plan.path("stages").get(index).path("databases").forEach(d -> out.add(d.asText().split(" ")[0]
        .substring(ns.length() + 1)));
    return out;
  }

  private List<Integer> stageCounts(JsonNode campaign, int stage) {
    JsonNode s = campaign.path("progress").path("stages").get(stage);
    return List.of(s.path("done").asInt(), s.path("running").asInt(), s.path("failed").asInt(),
        s.path("waiting").asInt());
  }

  /** Each member's ops request of the campaign (by its clientRequestId): database → ns/request. */
  private Map<String, String> memberRequests(String campaign) {
    Map<String, String> out = new TreeMap<>();
    for (PerconaXtraDBOpsRequest r : world.client().resources(PerconaXtraDBOpsRequest.class).inNamespace(ns).list()
        .getItems()) {
      Map<String, String> a = r.getMetadata().getAnnotations();
      String id = a == null ? null : a.get("pxops.io/client-request-id");
      if (id != null && id.startsWith("campaign/" + campaign + "/")) {
        out.put(r.getSpec().getDatabaseRef().getName(), ns + "/" + r.getMetadata().getName());
      }
    }
    return out;
  }

  private List<Envelope> lifecycle(String opsRequest) {
    return LifecycleLogReader.read(world.kafka().bootstrapServers(), opsRequest);
  }

  private Instant occurred(List<Envelope> log, Class<?> type) {
    return log.stream().filter(e -> type.isInstance(e.payload())).map(Envelope::occurredAt).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + log));
  }

  /** The campaign's decisions on pxops.campaigns, in order. */
  private List<CampaignRecord.Decided> decisions(String campaign) {
    List<CampaignRecord.Decided> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, world.kafka().bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = c.partitionsFor(Topics.CAMPAIGNS).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = c.endOffsets(partitions);
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (!campaign.equals(r.key())) {
            continue;
          }
          try {
            if (JsonCodec.shared().mapper().readValue(r.value(), CampaignRecord.class) instanceof
                CampaignRecord.Decided d) {
              out.add(d);
            }
          } catch (java.io.IOException e) {
            // another kind of record (a doors' input the coordinator dead-letters): not a decision
          }
        }
        return partitions.stream().allMatch(p -> c.position(p) >= ends.get(p));
      });
    }
    return out;
  }

  private JsonNode campaign(String name) throws Exception {
    return get("/api/v1/campaigns/" + name);
  }

  private JsonNode status(String name) throws Exception {
    return get("/api/v1/namespaces/" + ns + "/updaterequests/" + name);
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.statusUrl() + path))
        .header("Authorization", "Bearer " + world.adminToken()).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? JsonCodec.shared().mapper().readTree(r.body())
        : JsonCodec.shared().mapper().createObjectNode();
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.ingestUrl() + path))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + world.adminToken())
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<String> pods(String db) {
    return List.of(db + "-0");
  }

  /** When each of {@code pods}' node processes was asked to start after {@code since}, in order. */
  private List<Instant> startsSince(List<String> pods, Instant since) {
    GaleraPodRuntime runtime = (GaleraPodRuntime) world.podRuntime();
    List<Instant> out = new ArrayList<>();
    for (String pod : pods) {
      runtime.node(ns, pod).ifPresent(n -> n.starts().stream().filter(s -> s.requestedAt().isAfter(since))
          .forEach(s -> out.add(s.requestedAt())));
    }
    out.sort(null);
    return out;
  }

  /** How many times each of the database's three node processes was started after {@code since}, in order. */
  private Map<String, Integer> restartsSince(String db, Instant since) {
    GaleraPodRuntime runtime = (GaleraPodRuntime) world.podRuntime();
    List<Map.Entry<Instant, String>> starts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String pod = db + "-" + i;
      runtime.node(ns, pod).orElseThrow().starts().stream().filter(s -> s.requestedAt().isAfter(since))
          .forEach(s -> starts.add(Map.entry(s.requestedAt(), pod)));
    }
    starts.sort(Map.Entry.comparingByKey());
    Map<String, Integer> counts = new LinkedHashMap<>();
    starts.forEach(s -> counts.merge(s.getValue(), 1, Integer::sum));
    return counts;
  }

  private PerconaXtraDB database(String db) {
    return world.client().resources(PerconaXtraDB.class).inNamespace(ns).withName(db).get();
  }

  private String phaseOf(PerconaXtraDB db) {
    return db == null || db.getStatus() == null ? null : db.getStatus().getPhase();
  }

  private boolean terminal(String name) {
    String phase = Kubectl.objectPhase(world, name);
    return "Successful".equals(phase) || "Failed".equals(phase) || "Skipped".equals(phase) || pipelineDead();
  }

  private boolean pipelineDead() {
    // a runners process a test of RollingUpdateIT killed on purpose is not the pipeline dying
    return pipeline.services().values().stream().anyMatch(s -> !s.alive() && !s.name().startsWith("runners"));
  }

  private String diagnostics() {
    StringBuilder b = new StringBuilder();
    pipeline.services().forEach((name, s) -> {
      String log = s.logText();
      b.append("\n--- ").append(s).append(" (last 3000 chars)\n")
          .append(log.substring(Math.max(0, log.length() - 3000)));
    });
    return b.toString();
  }
}
