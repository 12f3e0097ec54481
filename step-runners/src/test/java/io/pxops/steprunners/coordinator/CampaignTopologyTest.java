package io.pxops.steprunners.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pxops.events.ApplyPolicy;
import io.pxops.events.DeadLetter;
import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.events.Message;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.RequestFailed;
import io.pxops.events.RequestSpec;
import io.pxops.events.Step;
import io.pxops.events.Topics;
import io.pxops.events.campaign.CampaignEvent;
import io.pxops.events.campaign.CampaignRecord;
import io.pxops.events.campaign.CampaignRecord.Progress;
import io.pxops.pipeline.JsonSerde;
import io.pxops.sandbox.world.SuccessfulAnswers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Campaigns in the coordinator's topology on Kafka's test driver: each member's update is an
 * ordinary request on {@code pxops.requests}, run by the real update plan (the runners' answers
 * played back), and its end comes back to the campaign from the lifecycle log. The ingest is played
 * by {@link #admitRequests()}: it admits each request record as the doors do, keeping its {@code
 * clientRequestId}.
 */
class CampaignTopologyTest {

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String FLEET =
      """
      databases:
        - {namespace: shop, name: a, version: "8.0.40"}
        - {namespace: shop, name: b, version: "8.0.40"}
        - {namespace: shop, name: c, version: "8.0.40"}
        - {namespace: shop, name: d, version: "8.0.40"}
      catalog: {"8.0.40": ["8.4.3"]}
      """;

  @TempDir Path stateDir;

  private CoordinatorTopologyTest.MutableClock clock;
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> campaigns;
  private TestInputTopic<String, byte[]> events;
  private TestOutputTopic<String, byte[]> campaignsOut;
  private TestOutputTopic<String, byte[]> requestsOut;
  private TestOutputTopic<String, byte[]> commandsOut;
  private TestOutputTopic<String, DeadLetter> dlq;
  /** Every member request written so far, in order: database → its clientRequestId. */
  private final List<String[]> submitted = new ArrayList<>();
  private final List<CampaignRecord> log = new ArrayList<>();

  @BeforeEach
  void start() {
    clock = new CoordinatorTopologyTest.MutableClock(T0);
    CoordinatorConfig config = CoordinatorConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "unused:9092",
        "PXOPS_STATE_DIR", stateDir.toString()));
    driver = new TopologyTestDriver(CoordinatorTopology.build(Duration.ofSeconds(1), clock),
        config.streamsProperties(), T0);
    campaigns = driver.createInputTopic(Topics.CAMPAIGNS, Serdes.String().serializer(),
        Serdes.ByteArray().serializer(), T0, Duration.ZERO);
    events = driver.createInputTopic(Topics.EVENTS, Serdes.String().serializer(), Serdes.ByteArray().serializer(),
        T0, Duration.ZERO);
    campaignsOut = driver.createOutputTopic(Topics.CAMPAIGNS, Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer());
    requestsOut = driver.createOutputTopic(Topics.REQUESTS, Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer());
    commandsOut = driver.createOutputTopic(Topics.COMMANDS, Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer());
    dlq = driver.createOutputTopic(Topics.DLQ, Serdes.String().deserializer(),
        new JsonSerde<>(DeadLetter.class).deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void givenACanaryThenAnApprovedRest_thenTheCanaryEndsFirstAndTheRestStartsOnlyAfterApprove() throws IOException {
    create(spec("""
        name: px-8-4
        target: {version: "8.4.3"}
        stages:
          - {name: canary, count: 1, maxConcurrent: 1}
          - {name: rest, rest: true, maxConcurrent: 3, approval: true}
        failureBudget: {count: 0}
        """));

    assertThat(admitRequests()).as("only the canary is submitted").containsExactly("shop/a");
    String[] canary = submitted.get(0);
    assertThat(canary[1]).startsWith("campaign/px-8-4/").endsWith("/shop/a");
    runUpdatesToTheirEnd();

    assertThat(admitRequests()).as("the rest waits for its approval").isEmpty();
    assertThat(lastProgress().progress().phase()).isEqualTo("AwaitingApproval");
    assertThat(lastProgress().progress().stages().get(0).done()).isEqualTo(1);

    control(new CampaignRecord.Approve("px-8-4", "canary", "alice"));
    assertThat(admitRequests()).as("approving another stage than the waiting one changes nothing").isEmpty();
    control(new CampaignRecord.Approve("px-8-4", "rest", "alice"));
    assertThat(admitRequests()).containsExactly("shop/b", "shop/c", "shop/d");
    runUpdatesToTheirEnd();

    Progress end = lastProgress();
    assertThat(end.progress().phase()).isEqualTo("Completed");
    assertThat(end.progress().stages()).extracting(s -> s.done()).containsExactly(1, 3);
    assertThat(submitted).as("each member submitted once").hasSize(4);
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void givenMembersWithWindows_thenEachMembersRequestCarriesItsEffectiveWindowTheIntersection() throws IOException {
    String fleet = FLEET.replace("{namespace: shop, name: a, version: \"8.0.40\"}",
        "{namespace: shop, name: a, version: \"8.0.40\", window: {timeZone: UTC, days: [{day: Monday, start: \"09:00\","
            + " end: \"12:00\"}]}}");
    JsonNode spec = spec("""
        name: windowed
        target: {version: "8.4.3"}
        stages:
          - {name: all, rest: true, maxConcurrent: 4}
        failureBudget: {count: 0}
        window: {timeZone: Europe/Berlin, days: [{day: Monday, start: "10:00", end: "13:00"}]}
        """);
    control(new CampaignRecord.Create("windowed", "run1", "alice", spec, YAML.readTree(fleet)));

    Map<String, JsonNode> windows = new java.util.TreeMap<>();
    for (TestRecord<String, byte[]> r : requestsOut.readRecordsToList()) {
      windows.put(r.key(), JsonCodec.shared().mapper().readTree(r.value()).get("window"));
    }
    assertThat(windows).containsOnlyKeys("shop/a", "shop/b", "shop/c", "shop/d");
    JsonNode campaignWindow = spec.get("window");
    assertThat(windows.get("shop/b").get("timeZone").asText()).isEqualTo("Europe/Berlin");
    assertThat(windows.get("shop/b").at("/days/0/start").asText()).isEqualTo("10:00");
    assertThat(windows.get("shop/a").isArray()).as("its own window and the campaign's, both must be open").isTrue();
    List<String> zones = new ArrayList<>();
    windows.get("shop/a").forEach(w -> zones.add(w.get("timeZone").asText()));
    assertThat(zones).containsExactlyInAnyOrder("UTC", campaignWindow.get("timeZone").asText());
  }

  @Test
  void givenAStoredRun_whenReadBackAndPlannedAgain_thenItIsTheStateItWasStoredFrom() throws IOException {
    // what a restarted coordinator does (its in-memory states gone): the store's run, with the plan made again
    JsonNode spec = spec("""
        name: stored
        target: {version: "8.4.3"}
        stages:
          - {name: canary, count: 1, maxConcurrent: 1}
          - {name: rest, rest: true, maxConcurrent: 2, wait: 10m}
        failureBudget: {count: 0}
        """);
    create(spec);
    admitRequests();
    runUpdatesToTheirEnd();
    CampaignProcessor.Run stored = driver.<String, CampaignProcessor.Run>getKeyValueStore(
        CampaignTopology.RUNS_STORE).get("stored");
    byte[] bytes = new JsonSerde<>(CampaignProcessor.Run.class).serializer().serialize("t", stored);
    CampaignProcessor.Run read = new JsonSerde<>(CampaignProcessor.Run.class).deserializer().deserialize("t", bytes);

    var result = io.pxops.events.campaign.CampaignSpecJson.read(spec);
    var fleet = io.pxops.events.campaign.FleetListing.read(YAML.readTree(FLEET), new ArrayList<>());
    var plan = io.pxops.events.campaign.CampaignPlanner.plan(result.spec(), fleet.databases(),
        fleet.namespaceLabels(), fleet.namespaceWindows(), fleet.updateCatalog());
    var state = read.state().with(plan);
    assertThat(state.phase()).isEqualTo("WaitingForStage");
    assertThat(state.waitUntil()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    assertThat(state.members()).containsEntry("shop/a", io.pxops.events.campaign.CampaignState.MemberPhase.SUCCEEDED)
        .containsEntry("shop/b", io.pxops.events.campaign.CampaignState.MemberPhase.PENDING);
    assertThat(read.decisions()).isEqualTo(decided().size());
    assertThat(bytes.length).as("a store value holds the state, not every decision").isLessThan(4_000);
  }

  @Test
  void givenAFailureBudgetOfZero_whenTheCanaryFails_thenNoFurtherMemberStarts() throws IOException {
    create(spec("""
        name: px-8-4
        target: {version: "8.4.3"}
        stages:
          - {name: canary, count: 1, maxConcurrent: 1}
          - {name: rest, rest: true, maxConcurrent: 3}
        failureBudget: {count: 0}
        """));
    assertThat(admitRequests()).containsExactly("shop/a");

    Envelope started = firstCommand();
    events.pipeInput("shop/a", JsonCodec.shared().encode(Envelope.of(UUID.randomUUID().toString(),
        started.opsRequest(), "shop/a", clock.instant(), started.eventId(),
        new RequestFailed(Step.PREFLIGHT, null, "PreflightFailed", "the cluster is not Ready"))));

    assertThat(admitRequests()).as("nothing starts after the budget ran out").isEmpty();
    Progress end = lastProgress();
    assertThat(end.progress().phase()).isEqualTo("BudgetExhausted");
    assertThat(end.failed()).isEqualTo(1);
    assertThat(end.allowedFailures()).isZero();
    assertThat(decided()).filteredOn(e -> e instanceof CampaignEvent.DatabaseUpdateFinished).singleElement()
        .satisfies(e -> assertThat(((CampaignEvent.DatabaseUpdateFinished) e).reason()).contains("PreflightFailed"));
  }

  @Test
  void givenAWaitGate_thenTheNextStageStartsWhenTheWallClockReachesIt() throws IOException {
    create(spec("""
        name: waits
        target: {version: "8.4.3"}
        stages:
          - {name: canary, count: 1, maxConcurrent: 1}
          - {name: rest, rest: true, maxConcurrent: 1, wait: 30m}
        failureBudget: {count: 0}
        """));
    assertThat(admitRequests()).containsExactly("shop/a");
    runUpdatesToTheirEnd();
    assertThat(admitRequests()).isEmpty();
    assertThat(lastProgress().progress().phase()).isEqualTo("WaitingForStage");

    driver.advanceWallClockTime(Duration.ofMinutes(20));
    assertThat(admitRequests()).as("20 of the 30 minutes").isEmpty();
    driver.advanceWallClockTime(Duration.ofMinutes(11));
    assertThat(admitRequests()).as("one at a time: the stage's limit").containsExactly("shop/b");
  }

  @Test
  void givenInputsDeliveredTwice_thenEachMemberIsSubmittedOnceAndResultsAreCountedOnce() throws IOException {
    JsonNode spec = spec("""
        name: twice
        target: {version: "8.4.3"}
        stages:
          - {name: canary, count: 1, maxConcurrent: 1}
          - {name: rest, rest: true, maxConcurrent: 1}
        failureBudget: {count: 1}
        """);
    create(spec);
    create(spec);
    assertThat(admitRequests()).as("a create delivered twice starts one run").containsExactly("shop/a");
    runUpdatesToTheirEnd();
    assertThat(admitRequests()).containsExactly("shop/b");
    CampaignRecord.MemberFinished again = log.stream().filter(r -> r instanceof CampaignRecord.MemberFinished)
        .map(r -> (CampaignRecord.MemberFinished) r).findFirst().orElseThrow();
    campaigns.pipeInput(again.campaign(), CampaignProcessor.encode(again));
    assertThat(admitRequests()).as("a redelivered result of the canary starts nothing").isEmpty();
    assertThat(lastProgress().progress().stages().get(1).running()).isEqualTo(1);
  }

  @Test
  void givenBadRecords_thenEachIsDeadLetteredWithTheFieldAndNothingStarts() throws IOException {
    campaigns.pipeInput("x", "{\"type\":\"Launch\",\"campaign\":\"x\"}".getBytes());
    create(spec("""
        name: bad
        target: {version: "8.4.3"}
        stages:
          - {name: canary, count: 1, maxConcurrent: 0}
        """));
    control(new CampaignRecord.Pause("nobody", "alice"));
    // a Kafka client's create without a fleet is the ingest's to complete: not run, not dead-lettered here
    control(new CampaignRecord.Create("kafka", null, "ci", spec("""
        name: kafka
        target: {version: "8.4.3"}
        stages:
          - {name: all, rest: true, maxConcurrent: 1}
        failureBudget: {count: 0}
        """), null));

    List<DeadLetter> letters = dlq.readValuesToList();
    assertThat(letters).hasSize(2);
    assertThat(letters.get(0).problem()).isEqualTo(CampaignProcessor.INVALID);
    assertThat(letters.get(1).reason()).contains("stages[0].maxConcurrent");
    assertThat(requestsOut.isEmpty()).isTrue();
  }

  // ---- the ingest and the runners, played back ----------------------------------------------------

  private static JsonNode spec(String yaml) throws IOException {
    return YAML.readTree(yaml);
  }

  private void create(JsonNode spec) throws IOException {
    control(new CampaignRecord.Create(spec.get("name").asText(), "run1", "alice", spec, YAML.readTree(FLEET)));
  }

  private void control(CampaignRecord record) {
    campaigns.pipeInput(new TestRecord<>(record.campaign(), CampaignProcessor.encode(record), clock.instant()));
  }

  /** Admits each request written since the last call, as the doors do; returns their databases. */
  private List<String> admitRequests() throws IOException {
    List<String> databases = new ArrayList<>();
    for (TestRecord<String, byte[]> r : requestsOut.readRecordsToList()) {
      JsonNode body = JsonCodec.shared().mapper().readTree(r.value());
      String ns = body.get("namespace").asText();
      String db = body.get("database").asText();
      String id = body.get("clientRequestId").asText();
      assertThat(r.key()).isEqualTo(ns + "/" + db);
      submitted.add(new String[] {ns + "/" + db, id});
      databases.add(ns + "/" + db);
      String name = db + "-" + Integer.toHexString(id.hashCode());
      Message admitted = new RequestAdmitted(new RequestSpec(name, ns, db, body.get("targetVersion").asText(),
          Duration.ofMinutes(5), ApplyPolicy.IF_READY, 1, clock.instant(), RequestSpec.DOOR_KAFKA, id));
      events.pipeInput(ns + "/" + db, JsonCodec.shared().encode(Envelope.of(UUID.randomUUID().toString(),
          ns + "/" + name, ns + "/" + db, clock.instant(), null, admitted)));
    }
    readLog();
    return databases;
  }

  private Envelope firstCommand() {
    return JsonCodec.shared().decode(commandsOut.readRecord().value());
  }

  /** Answers every command as successful runners would, until the update plan asks nothing more. */
  private void runUpdatesToTheirEnd() {
    while (!commandsOut.isEmpty()) {
      Envelope command = JsonCodec.shared().decode(commandsOut.readRecord().value());
      Message answer = SuccessfulAnswers.to(command.database(), command.payload());
      events.pipeInput(command.database(), JsonCodec.shared().encode(Envelope.of(UUID.randomUUID().toString(),
          command.opsRequest(), command.database(), clock.instant(), command.eventId(), answer)));
    }
  }

  private void readLog() throws IOException {
    for (byte[] v : campaignsOut.readValuesToList()) {
      log.add(JsonCodec.shared().mapper().readValue(v, CampaignRecord.class));
    }
  }

  private Progress lastProgress() throws IOException {
    readLog();
    return log.stream().filter(r -> r instanceof Progress).map(r -> (Progress) r)
        .reduce((a, b) -> b).orElseThrow();
  }

  private List<CampaignEvent> decided() throws IOException {
    readLog();
    return log.stream().filter(r -> r instanceof CampaignRecord.Decided).map(r -> ((CampaignRecord.Decided) r)
        .decoded().orElseThrow()).toList();
  }
}
