package io.pxops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.pxops.events.Command;
import io.pxops.events.Envelope;
import io.pxops.events.PodEvicted;
import io.pxops.events.RequestStarted;
import io.pxops.events.RequestSucceeded;
import io.pxops.kubedb.Condition;
import io.pxops.kubedb.KubeDbConditions;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.pipeline.LifecycleLogReader;
import io.pxops.pipeline.logging.TraceIds;
import io.pxops.sandbox.galera.GaleraPodRuntime;
import io.pxops.sandbox.galera.StartRecord;
import io.pxops.sandbox.runtime.ServerImages;
import io.pxops.sandbox.world.LocalPipeline;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.sandbox.world.LocalWorldExtension;
import io.pxops.sandbox.world.MembershipMonitor;
import io.pxops.sandbox.world.RowWriter;
import io.pxops.sandbox.world.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The safe rolling update end to end, on real three-node Galera clusters, with every service in its own process:
 * an update under a live writer, a target that cannot start and its replay after the catalog is fixed, and a step
 * runner killed with SIGKILL between evicting a pod and reporting it. The dashboard is watched in headless Chromium
 * throughout the first two: the update's steps appear live and in order, the failure shows its reason, and its
 * Replay button runs the request again ({@link DashboardBrowser}). In the same world and pipeline, the fleet update's
 * must-shows on real clusters ({@link CampaignGaleraChecks}): a maintenance window and a campaign.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollingUpdateIT {

  private static final String NS = "rolling";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final LocalWorldExtension WORLD = new LocalWorldExtension(LocalWorld.builder().namespace(NS));

  /** One database per test, each on the older build. */
  private static final List<String> DATABASES = List.of("shop", "stock", "carts");

  private static LocalPipeline pipeline;
  private static DashboardBrowser browser;

  @BeforeAll
  static void startTheServices() throws Exception {
    // every test's database bootstraps while the services start, rather than one after the other inside the tests
    // (three bootstraps of ~10 s each)
    for (String db : DATABASES) {
      WORLD.world().createDatabase(db, 3, WORLD.world().olderVersion());
    }
    CampaignGaleraChecks.createWindowedDatabase(WORLD.world());
    // JSON logs: the first update's lines are followed across the services by its trace id
    pipeline = LocalPipeline.start(WORLD.world(), Files.createTempDirectory("rolling-it-"), Map.of(
        "PXOPS_TICK_INTERVAL", "PT0.2S", "PXOPS_RECHECK_INTERVAL", "PT0.5S", "PXOPS_LOG_FORMAT", "json"));
  }

  @AfterAll
  static void stopTheServices() {
    if (browser != null) {
      browser.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  @Order(1)
  void givenAWriterThroughout_whenUpdatedByKubeDbYaml_thenSuccessfulOnTheNewBuildWithNothingLostAndOneNodeOutAtATime(
      LocalWorld world) throws Exception {
    String db = "shop";
    List<String> hosts = cluster(world, db);
    Instant before = Instant.now();
    try (RowWriter writer = RowWriter.start(hosts, "root", world.rootPassword(db), Duration.ofMillis(10));
        MembershipMonitor monitor = MembershipMonitor.start(podNames(db), hosts, "root", world.rootPassword(db),
            Duration.ofMillis(100))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> writer.acknowledgedRows() > 20);
      openTheDashboardOn("shop-upd");
      List<List<String>> seen = new ArrayList<>();
      Kubectl.apply(world, Kubectl.updateVersionYaml(NS, "shop-upd", db, world.newerVersion(), "3m"));
      // during the update: the runners' step histogram fills as each step ends, before the request does
      await().atMost(Duration.ofMinutes(5)).until(() -> stepsShown(seen) && terminal(world, "shop-upd")
          || MetricsScrape.of("runners", pipeline.healthUrl("runners"))
              .sum("pxops_step_duration_seconds_count", "step", "PAUSE_DATABASE") > 0);
      assertPhase(world, "shop-upd", "Progressing", "a step done, the update still running");
      assertADryRunNamesTheRequestHolding(world, db, "shop-upd");
      await().atMost(Duration.ofMinutes(5)).until(() -> stepsShown(seen) && terminal(world, "shop-upd"));
      assertPhase(world, "shop-upd", "Successful", "the update ended");
      assertTheDashboardShowedTheStepsLiveInOrder("shop-upd", seen);
      writer.close();
      monitor.close();

      assertThat(conditionTypes(world, "shop-upd")).containsExactly("UpdateVersion", "Preflight", "VerifyCluster",
          "PauseDatabase", "UpdatePetSets",
          "GetPod--shop-2", "EvictPod--shop-2", "CheckPodRunning--shop-2", "VerifyPod--shop-2",
          "GetPod--shop-1", "EvictPod--shop-1", "CheckPodRunning--shop-1", "VerifyPod--shop-1",
          "GetPod--shop-0", "EvictPod--shop-0", "CheckPodRunning--shop-0", "VerifyPod--shop-0",
          "RestartPods", "UpdateDatabase", "ResumeDatabase", "Successful");
      assertThat(world.serverVersions(db)).as("SELECT VERSION() on every pod")
          .allSatisfy(v -> assertThat(v).startsWith(world.newerVersion()));
      PerconaXtraDB database = database(world, db);
      assertThat(database.getSpec().getVersion()).isEqualTo(world.newerVersion());
      assertThat(KubeDbConditions.isPaused(database)).as("paused after the update").isFalse();

      assertThat(writer.acknowledgedRows()).isGreaterThan(100);
      assertThat(writer.missingOn()).as("acknowledged rows missing per node").allSatisfy((host, missing) ->
          assertThat(missing).isEmpty());
      assertThat(monitor.maxOut()).as("most nodes out of the cluster at once").isEqualTo(1);
      assertThat(monitor.everOut()).containsExactlyInAnyOrder("shop-0", "shop-1", "shop-2");

      List<Envelope> log = LifecycleLogReader.read(world.kafka().bootstrapServers(), NS + "/shop-upd");
      assertThat(log.stream().filter(e -> e.payload() instanceof PodEvicted).map(e -> ((PodEvicted) e.payload()).pod()))
          .as("eviction order").containsExactly("shop-2", "shop-1", "shop-0");
      assertThat(restartsSince(world, db, before)).as("restarts per pod, in the order the nodes saw them")
          .containsExactly(Map.entry("shop-2", 1), Map.entry("shop-1", 1), Map.entry("shop-0", 1));
      report(world, db, log, before, writer, monitor);
      assertTheMetricsOfTheUpdate();
      assertOneTraceFollowsTheUpdate(world, db);
    }
  }

  /**
   * The request was applied with kubectl, so the Kubernetes door made its trace id from the object's uid. Every
   * record about it — the ingest's admission, the coordinator's facts and commands, the runners' and the verifier's
   * answers, the projector's statuses — carries that trace id in its {@code pxops-trace-id} header, and the services'
   * JSON log lines written while handling it carry it in their MDC with the request, database, step and event id.
   */
  private static void assertOneTraceFollowsTheUpdate(LocalWorld world, String db) {
    String trace = TraceIds.fromUid(opsRequest(world, "shop-upd").getMetadata().getUid());
    assertThat(trace).isNotNull();
    List<RequestTrace.Traced> records = RequestTrace.records(world.kafka().bootstrapServers(), NS + "/shop-upd");
    assertThat(records).extracting(RequestTrace.Traced::type).as("written by each of the five services")
        .contains("RequestAdmitted", "RequestStarted", "EvictPod", "PodEvicted", "PodVerified", "status");
    assertThat(records).allSatisfy(r -> assertThat(r.trace()).as(r.topic() + " " + r.type()).isEqualTo(trace));

    for (String service : List.of("ingest", "coordinator", "runners", "verifier")) {
      List<JsonNode> lines = RequestTrace.jsonLines(pipeline.service(service).log(), trace);
      assertThat(lines).as(service + ": its JSON lines of the request").isNotEmpty().allSatisfy(line -> {
        assertThat(line.path("mdc").path("opsRequest").asText()).isEqualTo(NS + "/shop-upd");
        assertThat(line.path("mdc").path("database").asText()).isEqualTo(NS + "/" + db);
      });
    }
    for (String service : List.of("runners", "verifier")) {
      assertThat(RequestTrace.jsonLines(pipeline.service(service).log(), trace))
          .filteredOn(line -> line.path("formattedMessage").asText().contains("answered with"))
          .as(service + ": a line per step it answered, naming the step and the command")
          .isNotEmpty().allSatisfy(line -> {
            assertThat(line.path("mdc").path("step").asText()).isNotEmpty();
            assertThat(line.path("mdc").path("eventId").asText()).isNotEmpty();
          });
    }
  }

  /**
   * Every service's {@code /metrics} after the update: the step histogram filled for the steps that ran, in the
   * service that ran them; the hand-over, admissions, phases and verdicts counted; Kafka's consumer lag exposed by
   * every service; and every metric name the Grafana dashboard queries among the names really scraped.
   */
  private static void assertTheMetricsOfTheUpdate() throws Exception {
    Map<String, MetricsScrape> scrapes = new LinkedHashMap<>();
    for (String service : LocalPipeline.ALL) {
      scrapes.put(service, MetricsScrape.of(service, pipeline.healthUrl(service)));
    }
    MetricsScrape runners = scrapes.get("runners");
    for (String step : List.of("PREFLIGHT", "PAUSE_DATABASE", "UPDATE_PETSET", "UPDATE_DATABASE",
        "RESUME_DATABASE")) {
      assertThat(runners.sum("pxops_step_duration_seconds_count", "step", step, "outcome", "done")).as(step)
          .isGreaterThanOrEqualTo(1);
    }
    for (String step : List.of("EVICT_POD", "CHECK_POD_RUNNING")) {
      assertThat(runners.sum("pxops_step_duration_seconds_count", "step", step, "outcome", "done"))
          .as(step + ", once per pod").isGreaterThanOrEqualTo(3);
      assertThat(runners.sum("pxops_step_duration_seconds_bucket", "step", step, "le", "+Inf"))
          .isEqualTo(runners.sum("pxops_step_duration_seconds_count", "step", step));
    }
    assertThat(runners.sum("pxops_step_duration_seconds_sum", "step", "CHECK_POD_RUNNING"))
        .as("a pod's restart takes time").isGreaterThan(0);
    MetricsScrape verifier = scrapes.get("verifier");
    assertThat(verifier.sum("pxops_step_duration_seconds_count", "step", "VERIFY_POD", "outcome", "done"))
        .isGreaterThanOrEqualTo(3);
    assertThat(verifier.sum("pxops_step_duration_seconds_count", "step", "VERIFY_CLUSTER", "outcome", "done"))
        .isGreaterThanOrEqualTo(1);
    assertThat(verifier.sum("pxops_verifier_verdicts_total", "check", "pod", "verdict", "healthy"))
        .isGreaterThanOrEqualTo(3);
    assertThat(scrapes.get("coordinator").sum("pxops_coordinator_handover_seconds_count", "step", "EVICT_POD"))
        .as("a hand-over before each eviction").isGreaterThanOrEqualTo(3);
    assertThat(scrapes.get("ingest").sum("pxops_requests_total", "door", "kubernetes", "outcome", "admitted"))
        .isGreaterThanOrEqualTo(1);
    assertThat(scrapes.get("projector").sum("pxops_updates_total", "phase", "Successful"))
        .isGreaterThanOrEqualTo(1);
    java.util.Set<String> exposed = new java.util.TreeSet<>();
    scrapes.forEach((service, scrape) -> {
      assertThat(scrape.names()).as(service + ": its consumer lag and the JVM's meters")
          .contains("kafka_consumer_fetch_manager_records_lag_max", "jvm_memory_used_bytes");
      exposed.addAll(scrape.names());
    });
    assertThat(DashboardQueries.metricNames(DashboardQueries.DASHBOARD))
        .as("every metric the dashboard queries is exposed by a service").isSubsetOf(exposed);
  }

  @Test
  @Order(2)
  void givenATargetWhoseBuildCannotStart_thenFailedNamingThePodOthersUntouchedResumed_andAReplayAfterTheFixCompletes(
      LocalWorld world) throws Exception {
    String db = "stock";
    List<String> hosts = cluster(world, db);
    Instant before = Instant.now();
    String broken = "10.11.99";
    world.putCatalogEntry(broken, ServerImages.imageFor(broken)); // no local build answers to this image
    Kubectl.apply(world, Kubectl.updateVersionYaml(NS, "stock-upd", db, broken, "2m"));
    Instant submitted = Instant.now();
    await().atMost(Duration.ofMinutes(3)).until(() -> terminal(world, "stock-upd"));
    assertPhase(world, "stock-upd", "Failed", "the update stopped at the pod whose image no build answers to");
    assertThat(Duration.between(submitted, Instant.now())).isLessThan(Duration.ofMinutes(2));
    Condition failed = opsRequest(world, "stock-upd").getStatus().getConditions().stream()
        .filter(c -> "False".equals(c.getStatus())).findFirst().orElseThrow();
    assertThat(failed.getType()).isEqualTo("CheckPodRunning--stock-2");
    assertThat(failed.getMessage()).contains("stock-2", "ImagePullBackOff");
    assertThat(restartsSince(world, db, before)).as("the other nodes were never touched")
        .doesNotContainKeys("stock-0", "stock-1");
    assertThat(wsrepStates(hosts.subList(0, 2), world.rootPassword(db))).containsOnly("Synced");
    assertThat(KubeDbConditions.isPaused(database(world, db))).as("paused after the failure").isFalse();

    // the dashboard: the failure among the failed requests with its reason, then on its own page
    String dashboard = pipeline.statusUrl() + "/dashboard/";
    browser.open(dashboard + "#/");
    String failedRow = "#failed tr[data-request='" + NS + "/stock-upd']";
    await().atMost(Duration.ofSeconds(30)).until(() -> browser.text(failedRow + " td.reason").contains("ImagePullBackOff"));
    assertThat(browser.attribute(failedRow + " button", "data-action")).isEqualTo("replay");
    browser.screenshot(Path.of("target", "dashboard-fleet.png"));
    browser.open(dashboard + "#/r/" + NS + "/stock-upd");
    await().atMost(Duration.ofSeconds(30)).until(() -> "Failed".equals(browser.requestPhase())
        && browser.text("#r-failure").contains("ImagePullBackOff"));

    world.putCatalogEntry(broken, ServerImages.imageFor(world.newerVersion()));
    // Replay from the page: through the projector to the ingest's door, with the page's token
    browser.click("#r-actions button[data-action='replay']");
    java.util.Set<String> phasesShown = new java.util.LinkedHashSet<>();
    await().atMost(Duration.ofMinutes(4)).until(() -> {
      // one read per look: reading the page twice let it turn Successful between the record and the check, and the
      // wait ended on a phase it never recorded
      String phase = String.valueOf(browser.requestPhase());
      phasesShown.add(phase);
      return "Successful".equals(phase) || pipelineDead();
    });
    assertThat(browser.text("#error")).as("no refusal shown").isEmpty();
    assertThat(phasesShown).as("the page showed the request run again").containsSubsequence("Progressing",
        "Successful");
    browser.screenshot(Path.of("target", "dashboard-request.png"));
    await().atMost(Duration.ofMinutes(1)).until(() -> "Successful".equals(Kubectl.objectPhase(world, "stock-upd"))
        || pipelineDead());
    assertPhase(world, "stock-upd", "Successful", "the replay ended");
    assertThat(world.serverVersions(db)).allSatisfy(v -> assertThat(v).startsWith(world.newerVersion()));
    assertThat(database(world, db).getSpec().getVersion()).isEqualTo(broken);
    assertThat(KubeDbConditions.isPaused(database(world, db))).isFalse();
  }

  @Test
  @Order(3)
  void givenTheRunnerIsKilledAfterEvictingAPodAndBeforeReporting_thenTheUpdateCompletesAndThatPodRestartedOnce(
      LocalWorld world) throws Exception {
    String db = "carts";
    cluster(world, db);
    Instant before = Instant.now();
    pipeline.service("runners").stop(Duration.ofSeconds(20));
    ServiceProcess slow = pipeline.startRunners(PausingRunnerMain.class.getName(),
        Map.of(PausingRunnerMain.PAUSE_AFTER_EVICTION, "PT10M"));
    String uid = world.podsOf(db).get(2).getMetadata().getUid();

    Kubectl.apply(world, Kubectl.updateVersionYaml(NS, "carts-upd", db, world.newerVersion(), "3m"));
    await().atMost(Duration.ofMinutes(2)).until(() -> {
      Pod p = world.client().pods().inNamespace(NS).withName("carts-2").get();
      return p == null || !uid.equals(p.getMetadata().getUid()) || p.getMetadata().getDeletionTimestamp() != null;
    });
    slow.kill();
    Instant killed = Instant.now();
    assertThat(LifecycleLogReader.read(world.kafka().bootstrapServers(), NS + "/carts-upd"))
        .as("nothing reported the eviction before the kill").noneMatch(e -> e.payload() instanceof PodEvicted);
    pipeline.startRunners(Map.of());

    await().atMost(Duration.ofMinutes(4)).until(() -> terminal(world, "carts-upd"));
    assertPhase(world, "carts-upd", "Successful", "the update ended");
    List<Envelope> log = LifecycleLogReader.read(world.kafka().bootstrapServers(), NS + "/carts-upd");
    assertThat(log).filteredOn(e -> e.payload() instanceof PodEvicted p && p.pod().equals("carts-2"))
        .singleElement().satisfies(e -> assertThat(e.occurredAt()).isAfter(killed));
    assertThat(restartsSince(world, db, before)).as("restarts per pod")
        .containsExactly(Map.entry("carts-2", 1), Map.entry("carts-1", 1), Map.entry("carts-0", 1));
    assertThat(world.serverVersions(db)).allSatisfy(v -> assertThat(v).startsWith(world.newerVersion()));
  }

  /** A window on a real three-node cluster: waits to start, stops after the pod in hand, goes on when it reopens. */
  @Test
  @Order(4)
  void givenAWindowOfTwoRanges_thenItWaitsToStart_stopsAfterThePodInHand_andGoesOnInTheNextRange(LocalWorld world)
      throws Exception {
    CampaignGaleraChecks checks = new CampaignGaleraChecks(world, pipeline);
    // the next test's one-node clusters bootstrap while this update waits for its window to reopen
    checks.windowWaitsStopsAfterThePodInHandAndGoesOn(checks::createFleet);
  }

  /** A campaign over real one-node clusters: canary first, approval, the failure budget, its status. */
  @Test
  @Order(5)
  void givenACampaignWithACanaryANextStageAndAnApprovalStage_thenInOrderAndTheFirstFailureStopsIt(LocalWorld world)
      throws Exception {
    new CampaignGaleraChecks(world, pipeline).campaignRunsInOrderAndStopsAtTheFirstFailure();
  }

  // ---- the dashboard ----------------------------------------------------------------------------------------

  /**
   * Opens the dashboard in headless Chromium: first without a token (it must show the door's 401 and nothing else),
   * then with the local world's token, on the page of a request that does not exist yet, and waits until its live
   * stream is open, so that everything the page shows afterwards came live.
   */
  private static void openTheDashboardOn(String request) {
    browser = DashboardBrowser.start();
    String dashboard = pipeline.statusUrl() + "/dashboard/";
    browser.open(dashboard);
    await().atMost(Duration.ofSeconds(30)).until(() -> browser.text("#error").contains("401"));
    browser.open(dashboard + "#token=" + WORLD.world().adminToken());
    browser.open(dashboard + "#/r/" + NS + "/" + request);
    await().atMost(Duration.ofSeconds(30)).until(() -> "live on".equals(browser.attribute("#live", "class")));
    assertThat(browser.steps()).as("nothing shown before the request exists").isEmpty();
  }

  /** Records the steps the page shows when they changed since the last look; always true (an await's guard). */
  private static boolean stepsShown(List<List<String>> seen) {
    List<String> now = browser.steps();
    if (!now.isEmpty() && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(now))) {
      seen.add(now);
    }
    return true;
  }

  /**
   * The page ends showing exactly the request's steps, in the status API's order, and showed them growing while the
   * update ran: each look a beginning of the final list (a step never shown out of order or taken back), and more
   * than a couple of different looks (a page that only loaded once at the end would show one).
   */
  private static void assertTheDashboardShowedTheStepsLiveInOrder(String request, List<List<String>> seen)
      throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> stepsShown(seen) && "Successful".equals(browser.requestPhase()));
    List<String> shown = browser.steps();
    HttpResponse<String> status = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.statusUrl()
        + "/api/v1/namespaces/" + NS + "/updaterequests/" + request))
        .header("Authorization", "Bearer " + WORLD.world().adminToken()).build(), HttpResponse.BodyHandlers.ofString());
    List<String> steps = new ArrayList<>();
    io.pxops.events.JsonCodec.shared().mapper().readTree(status.body()).path("steps")
        .forEach(step -> steps.add(step.path("type").asText()));
    assertThat(shown).as("the steps the page shows, in order").isEqualTo(steps)
        .startsWith("Preflight").contains("EvictPod--shop-2", "VerifyPod--shop-0");
    assertThat(shown.indexOf("EvictPod--shop-2")).isLessThan(shown.indexOf("EvictPod--shop-1"));
    assertThat(seen).as("what the page showed while the update ran").hasSizeGreaterThanOrEqualTo(4)
        .allSatisfy(look -> assertThat(shown.subList(0, Math.min(look.size(), shown.size()))).isEqualTo(look));
    // the verifier's verdicts (one before the update, one after each pod) and the history from the lifecycle topic
    await().atMost(Duration.ofSeconds(30)).until(() -> browser.count("#verdicts tr[data-verdict]") >= 4
        && browser.count("#history tr[data-type='RequestSucceeded']") == 1);
    assertThat(browser.count("#verdicts tr[data-verdict='PodVerified']")).as("a verdict after each pod")
        .isGreaterThanOrEqualTo(3);
    assertThat(browser.count("#pods tr[data-pod]")).as("a progress bar per pod").isEqualTo(3);
  }

  // ---- helpers ----------------------------------------------------------------------------------------------

  /** Waits until the test's database (created before the services) is Ready; returns its nodes' addresses. */
  private static List<String> cluster(LocalWorld world, String db) {
    assertThat(DATABASES).contains(db);
    await().atMost(Duration.ofMinutes(2)).until(world.allPodsReady(db, 3)::getAsBoolean);
    await().atMost(Duration.ofSeconds(30)).until(() -> database(world, db).getStatus() != null
        && "Ready".equals(database(world, db).getStatus().getPhase()));
    return world.podsOf(db).stream().map(p -> p.getStatus().getPodIP()).toList();
  }

  private static List<String> podNames(String db) {
    return List.of(db + "-0", db + "-1", db + "-2");
  }

  private static boolean terminal(LocalWorld world, String name) {
    String phase = Kubectl.objectPhase(world, name);
    return "Successful".equals(phase) || "Failed".equals(phase) || "Skipped".equals(phase) || pipelineDead();
  }

  private static boolean pipelineDead() {
    return pipeline.services().values().stream().anyMatch(s -> !s.alive() && !s.name().startsWith("runners"));
  }

  private static String diagnostics() {
    StringBuilder b = new StringBuilder();
    pipeline.services().forEach((name, s) -> {
      String log = s.logText();
      b.append("\n--- ").append(s).append(" (last 3000 chars)\n")
          .append(log.substring(Math.max(0, log.length() - 3000)));
    });
    return b.toString();
  }

  private static PerconaXtraDB database(LocalWorld world, String db) {
    return world.client().resources(PerconaXtraDB.class).inNamespace(NS).withName(db).get();
  }

  private static PerconaXtraDBOpsRequest opsRequest(LocalWorld world, String name) {
    return world.client().resources(PerconaXtraDBOpsRequest.class).inNamespace(NS).withName(name).get();
  }

  /**
   * A dry run of another update of a database being updated says that {@code holder} holds it and the new one would
   * run after it: the ingest asks the real status projector for the database's queue with the caller's token.
   */
  private static void assertADryRunNamesTheRequestHolding(LocalWorld world, String db, String holder)
      throws Exception {
    HttpResponse<String> plan = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.ingestUrl()
            + "/api/v1/namespaces/" + NS + "/updaterequests?dryRun=All"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + world.adminToken())
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString("{\"database\":\"" + db
            + "\",\"targetVersion\":\"" + world.newerVersion() + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(plan.statusCode()).as(plan.body()).isEqualTo(200);
    JsonNode answer = io.pxops.events.JsonCodec.shared().mapper().readTree(plan.body());
    assertThat(answer.at("/queue/active").asText()).as(plan.body()).isEqualTo(NS + "/" + holder);
    assertThat(answer.at("/queue/message").asText()).endsWith("this one would run after it");
  }

  /**
   * The request's phase, by kubectl. When it is not {@code expected}, the failure's message names the request's
   * conditions (short enough for the build's summary) and the services' log tails go to the test's output.
   */
  private static void assertPhase(LocalWorld world, String name, String expected, String what) throws Exception {
    String phase = Kubectl.phase(world, name);
    if (!expected.equals(phase)) {
      System.out.println(name + " is " + phase + diagnostics());
    }
    assertThat(phase).as(() -> what + "; its conditions: " + conditionsOf(world, name)).isEqualTo(expected);
  }

  /** Each condition's type, reason and message: why a request ended as it did. */
  private static String conditionsOf(LocalWorld world, String name) {
    PerconaXtraDBOpsRequest r = opsRequest(world, name);
    if (r == null || r.getStatus() == null || r.getStatus().getConditions() == null) {
      return "(none)";
    }
    // the False ones and Failed say why; each message cut, so that the build's summary keeps them whole
    return r.getStatus().getConditions().stream()
        .filter(c -> !"True".equals(c.getStatus()) || "Failed".equals(c.getType()))
        .map(c -> c.getType() + "/" + c.getStatus() + " " + c.getReason() + ": "
            + (c.getMessage() == null || c.getMessage().length() <= 400 ? c.getMessage()
                : c.getMessage().substring(0, 400) + "…"))
        .collect(java.util.stream.Collectors.joining("\n  ", "\n  ", "\n"));
  }

  private static List<String> conditionTypes(LocalWorld world, String name) {
    return opsRequest(world, name).getStatus().getConditions().stream().map(Condition::getType).toList();
  }

  private static List<String> wsrepStates(List<String> hosts, String password) throws Exception {
    List<String> states = new ArrayList<>();
    for (String host : hosts) {
      try (Connection c = DriverManager.getConnection("jdbc:mysql://" + host + ":3306/?sslMode=DISABLED"
          + "&allowPublicKeyRetrieval=true", "root", password); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'wsrep_local_state_comment'")) {
        rs.next();
        states.add(rs.getString(2));
      }
    }
    return states;
  }

  /** How many times each pod's node process was started after {@code since}, in the order of the first start. */
  private static Map<String, Integer> restartsSince(LocalWorld world, String db, Instant since) {
    GaleraPodRuntime runtime = (GaleraPodRuntime) world.podRuntime();
    List<Map.Entry<Instant, String>> starts = new ArrayList<>();
    for (String pod : podNames(db)) {
      runtime.node(NS, pod).orElseThrow().starts().stream().filter(s -> s.requestedAt().isAfter(since))
          .forEach(s -> starts.add(Map.entry(s.requestedAt(), pod)));
    }
    starts.sort(Map.Entry.comparingByKey());
    Map<String, Integer> counts = new LinkedHashMap<>();
    starts.forEach(s -> counts.merge(s.getValue(), 1, Integer::sum));
    return counts;
  }

  /**
   * The timing table of the README: each step's duration and the pipeline's own time before it (from the previous
   * step's result to this step's command), against each node's restart-to-Synced time read from the node itself.
   */
  private static void report(LocalWorld world, String db, List<Envelope> log, Instant since, RowWriter writer,
      MembershipMonitor monitor) throws Exception {
    GaleraPodRuntime runtime = (GaleraPodRuntime) world.podRuntime();
    Map<String, Envelope> byId = new LinkedHashMap<>();
    log.forEach(e -> byId.put(e.eventId(), e));
    StringBuilder t = new StringBuilder();
    t.append("| step | pod | step took (ms) | pipeline before it (ms) | node restart→Synced (ms) |\n");
    t.append("|---|---|---:|---:|---:|\n");
    Instant previousResult = null;
    long pipelineTotal = 0;
    long syncedTotal = 0;
    Instant started = null;
    Instant succeeded = null;
    for (Envelope e : log) {
      if (e.payload() instanceof RequestStarted) {
        started = e.occurredAt();
        previousResult = e.occurredAt();
      }
      if (e.payload() instanceof RequestSucceeded) {
        succeeded = e.occurredAt();
      }
      if (!(e.payload() instanceof Command c)) {
        continue;
      }
      Envelope result = log.stream().filter(r -> e.eventId().equals(r.causationId())
          && !(r.payload() instanceof Command) && !r.type().equals("StepProgressed")).findFirst().orElse(null);
      if (result == null) {
        continue;
      }
      long gap = previousResult == null ? 0 : Duration.between(previousResult, e.occurredAt()).toMillis();
      pipelineTotal += gap;
      String synced = "";
      if (c.step().name().equals("CHECK_POD_RUNNING")) {
        StartRecord r = runtime.node(NS, c.pod()).orElseThrow().starts().stream()
            .filter(s -> s.requestedAt().isAfter(since)).findFirst().orElseThrow();
        long ms = r.requestToSynced().orElseThrow().toMillis();
        syncedTotal += ms;
        synced = String.valueOf(ms);
      }
      t.append("| ").append(c.step().conditionType(c.pod()))
          .append(" | ").append(c.pod() == null ? "" : c.pod())
          .append(" | ").append(Duration.between(e.occurredAt(), result.occurredAt()).toMillis())
          .append(" | ").append(gap).append(" | ").append(synced).append(" |\n");
      previousResult = result.occurredAt();
    }
    long total = Duration.between(started, succeeded).toMillis();
    t.append("\nTotal ").append(total).append(" ms from RequestStarted to RequestSucceeded; pipeline's own time ")
        .append("between steps ").append(pipelineTotal).append(" ms; sum of node restart→Synced ").append(syncedTotal)
        .append(" ms; rows acknowledged ").append(writer.acknowledgedRows()).append(", failed writes ")
        .append(writer.failedWrites()).append(", rows on each node ").append(writer.rowsOn().values())
        .append("; most nodes out at once ").append(monitor.maxOut()).append(".\n");
    System.out.println("ROLLING UPDATE TIMING\n" + t);
    Path out = Path.of("target", "rolling-update-timing.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, t.toString());
  }
}
