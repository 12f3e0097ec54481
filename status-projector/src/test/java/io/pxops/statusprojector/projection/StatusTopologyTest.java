package io.pxops.statusprojector.projection;

import io.pxops.pipeline.JsonSerde;
import io.pxops.pipeline.DeadLetters;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.AwaitPodRunning;
import io.pxops.events.DeadLetter;
import io.pxops.events.Envelope;
import io.pxops.events.GroupIds;
import io.pxops.events.JsonCodec;
import io.pxops.events.OpsPhase;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.Step;
import io.pxops.events.Topics;
import io.pxops.events.status.DatabaseStatus;
import io.pxops.events.status.RequestStatus;
import io.pxops.events.status.StatusCondition;
import io.pxops.statusprojector.LifecycleLog;
import io.pxops.statusprojector.ProjectorConfig;
import io.pxops.pipeline.metrics.PxopsMeters;
import io.pxops.pipeline.metrics.ServiceMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology without a broker: logs written by the real plan go in, statuses come out. */
class StatusTopologyTest {

  private static final Instant NOW = Instant.parse("2026-07-02T09:00:00Z");

  @TempDir
  Path stateDir;

  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> events;
  private TestOutputTopic<String, RequestStatus> status;
  private TestOutputTopic<String, DeadLetter> dlq;

  @BeforeEach
  void start() {
    ProjectorConfig config = ProjectorConfig.fromEnv(Map.of(
        ProjectorConfig.STATE_DIR, stateDir.toString(),
        ProjectorConfig.BOOTSTRAP_SERVERS, "unused:9092"));
    Properties properties = StatusTopology.streamsConfig(config);
    driver = new TopologyTestDriver(
        StatusTopology.build(Clock.fixed(NOW, ZoneOffset.UTC)), properties);
    events = driver.createInputTopic(Topics.EVENTS, new StringSerializer(),
        new ByteArraySerializer());
    status = driver.createOutputTopic(Topics.STATUS, new StringDeserializer(),
        new JsonSerde<>(RequestStatus.class).deserializer());
    dlq = driver.createOutputTopic(Topics.DLQ, new StringDeserializer(),
        new JsonSerde<>(DeadLetter.class).deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private void pipe(List<Envelope> log) {
    for (Envelope e : log) {
      events.pipeInput(e.database(), JsonCodec.shared().encode(e));
    }
  }

  private Map<String, RequestStatus> latestStatuses() {
    return status.readKeyValuesToMap();
  }

  private KeyValueStore<String, RequestStatus> requestStore() {
    return driver.getKeyValueStore(StatusTopology.REQUEST_STORE);
  }

  @Test
  void givenAHappyRun_whenItsLogIsProjected_thenTheLastStatusIsSuccessfulWithConditionsInKubeDbOrder() {
    LifecycleLog run = new LifecycleLog("orders", 3).admit("upd-1").runToIdle();
    double successfulBefore = updates("Successful");
    double progressingBefore = updates("Progressing");

    pipe(run.log());
    assertThat(updates("Successful") - successfulBefore).as("entered once, however many events").isEqualTo(1.0);
    assertThat(updates("Progressing") - progressingBefore).isEqualTo(1.0);

    List<KeyValue<String, RequestStatus>> published = status.readKeyValuesToList();
    RequestStatus last = published.get(published.size() - 1).value;
    assertThat(published).extracting(kv -> kv.key).containsOnly("shop/upd-1");
    assertThat(published).extracting(kv -> kv.value.phase())
        .startsWith(OpsPhase.PENDING, OpsPhase.PROGRESSING).endsWith(OpsPhase.SUCCESSFUL);
    assertThat(last.phase()).isEqualTo(OpsPhase.SUCCESSFUL);
    assertThat(last.conditions()).extracting(StatusCondition::type).containsExactly(
        "UpdateVersion", "Preflight", "VerifyCluster", "PauseDatabase", "UpdatePetSets",
        "GetPod--orders-2", "EvictPod--orders-2", "CheckPodRunning--orders-2",
        "VerifyPod--orders-2", "GetPod--orders-1", "EvictPod--orders-1",
        "CheckPodRunning--orders-1", "VerifyPod--orders-1", "GetPod--orders-0",
        "EvictPod--orders-0", "CheckPodRunning--orders-0", "VerifyPod--orders-0", "RestartPods",
        "UpdateDatabase", "ResumeDatabase", "Successful");
    assertThat(last.conditions()).extracting(StatusCondition::status).containsOnly("True");
    assertThat(requestStore().get("shop/upd-1")).isEqualTo(last);
    // the lists' store holds the same request without its per-step detail, written with it
    RequestStatus summary = driver.<String, RequestStatus>getKeyValueStore(StatusTopology.SUMMARY_STORE)
        .get("shop/upd-1");
    assertThat(summary).isEqualTo(last.summary());
    assertThat(summary.phase()).isEqualTo(OpsPhase.SUCCESSFUL);
    assertThat(summary.conditions()).isEmpty();
    assertThat(summary.steps()).isEmpty();
    // one status per event that changed it: every event of this run changes it
    assertThat(published).hasSize(run.log().size());
    DatabaseStatus database = driver.<String, DatabaseStatus>getKeyValueStore(
        StatusTopology.DATABASE_STORE).get("shop/orders");
    assertThat(database.lastSuccessfulVersion()).isEqualTo("8.4.3");
    assertThat(database.activeRequest()).isNull();
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void givenAFailedRun_whenProjected_thenTheStatusIsFailedNamingTheStep() {
    LifecycleLog run = new LifecycleLog("orders", 3).admit("upd-1")
        .runUntil(AwaitPodRunning.class, "orders-1")
        .failStep("CrashLoopBackOff", "orders-1 restarts over and over", false).runToIdle();

    pipe(run.log());

    RequestStatus last = latestStatuses().get("shop/upd-1");
    assertThat(last.phase()).isEqualTo(OpsPhase.FAILED);
    assertThat(last.failure().step()).isEqualTo(Step.CHECK_POD_RUNNING);
    assertThat(last.failure().pod()).isEqualTo("orders-1");
    StatusCondition step = last.condition("CheckPodRunning--orders-1").orElseThrow();
    assertThat(step.status()).isEqualTo("False");
    assertThat(step.reason()).isEqualTo("CrashLoopBackOff");
    assertThat(last.conditions().get(last.conditions().size() - 1).type()).isEqualTo("Failed");
  }

  @Test
  void givenARejectedRequest_whenProjected_thenItIsPublishedFailedWithTheRule() {
    LifecycleLog run = new LifecycleLog("orders", 3).reject("to-5.7", "spec.updateVersion.targetVersion",
        "UpdateConstraints", "upgrade from version 8.0.40 to 5.7.44 is not supported");

    pipe(run.log());

    RequestStatus last = latestStatuses().get("shop/to-5.7");
    assertThat(last.phase()).isEqualTo(OpsPhase.FAILED);
    assertThat(last.condition("UpdateVersion").orElseThrow().reason()).isEqualTo("UpdateConstraints");
    assertThat(last.rejection().field()).isEqualTo("spec.updateVersion.targetVersion");
  }

  @Test
  void givenANewerRequestWhileOneWaits_whenProjected_thenTheOlderIsSkippedAsSuperseded() {
    LifecycleLog run = new LifecycleLog("orders", 3).admit("upd-1")
        .runUntil(AwaitPodRunning.class, "orders-2").admit("upd-2").admit("upd-3");

    pipe(run.log());

    Map<String, RequestStatus> latest = latestStatuses();
    assertThat(latest.get("shop/upd-1").phase()).isEqualTo(OpsPhase.PROGRESSING);
    assertThat(latest.get("shop/upd-2").phase()).isEqualTo(OpsPhase.SKIPPED);
    assertThat(latest.get("shop/upd-2").condition("Skipped").orElseThrow().reason())
        .isEqualTo("Superseded");
    assertThat(latest.get("shop/upd-3").phase()).isEqualTo(OpsPhase.PENDING);
    DatabaseStatus database = driver.<String, DatabaseStatus>getKeyValueStore(
        StatusTopology.DATABASE_STORE).get("shop/orders");
    assertThat(database.activeRequest()).isEqualTo("shop/upd-1");
    assertThat(database.pendingRequests()).containsExactly("shop/upd-3");
  }

  @Test
  void givenPoisonRecords_whenProjected_thenEachGoesToTheDlqWithItsReasonAndTheNextRecordIsProcessed() {
    LifecycleLog run = new LifecycleLog("orders", 3).admit("upd-1");
    Envelope admitted = run.log().get(0);
    String unknownType = new String(JsonCodec.shared().encode(admitted), StandardCharsets.UTF_8)
        .replace("\"type\":\"RequestAdmitted\"", "\"type\":\"RequestTeleported\"");
    String wrongShape = new String(JsonCodec.shared().encode(admitted), StandardCharsets.UTF_8)
        .replace("\"timeout\":\"PT5M\"", "\"timeout\":[1,2]");

    events.pipeInput("shop/orders", "not json {".getBytes(StandardCharsets.UTF_8));
    events.pipeInput("shop/orders", new byte[] {(byte) 0xff, (byte) 0xfe, 0});
    events.pipeInput("shop/orders", unknownType.getBytes(StandardCharsets.UTF_8));
    events.pipeInput("shop/orders", wrongShape.getBytes(StandardCharsets.UTF_8));
    events.pipeInput("shop/elsewhere", JsonCodec.shared().encode(admitted));
    pipe(run.log());

    List<TestRecord<String, DeadLetter>> letters = dlq.readRecordsToList();
    assertThat(letters).extracting(r -> r.value().problem())
        .containsExactly("NotJson", "NotJson", "UnknownType", "WrongShape", "WrongKey");
    DeadLetter first = letters.get(0).value();
    assertThat(first.service()).isEqualTo(GroupIds.STATUS_PROJECTOR);
    assertThat(first.topic()).isEqualTo(Topics.EVENTS);
    assertThat(first.offset()).isZero();
    assertThat(first.key()).isEqualTo("shop/orders");
    assertThat(first.value()).isEqualTo("not json {");
    assertThat(first.at()).isEqualTo(NOW);
    DeadLetter binary = letters.get(1).value();
    assertThat(binary.value()).isNull();
    assertThat(binary.valueBase64()).isEqualTo("//4A");
    assertThat(binary.offset()).isEqualTo(1);
    assertThat(letters.get(2).value().reason()).contains("RequestTeleported");
    assertThat(letters.get(3).value().reason()).contains("RequestAdmitted").contains("timeout");
    assertThat(letters.get(4).value().reason()).contains("shop/orders").contains("shop/elsewhere");
    assertThat(new String(letters.get(2).headers().lastHeader(DeadLetters.PROBLEM_HEADER).value(),
        StandardCharsets.UTF_8)).isEqualTo("UnknownType");
    // nothing stalled: the valid records after the poison ones were folded
    assertThat(latestStatuses().get("shop/upd-1").phase()).isEqualTo(OpsPhase.PROGRESSING);
  }

  @Test
  void givenHostileValues_thenEachIsABoundedDeadLetterAndTheValidRecordsAfterThemAreFolded() {
    LifecycleLog run = new LifecycleLog("orders", 3).admit("upd-1");
    byte[] oneMegabyte = new byte[1024 * 1024];
    java.util.Arrays.fill(oneMegabyte, (byte) 0x01);

    events.pipeInput("shop/orders", new byte[0]);
    events.pipeInput("shop/orders", (byte[]) null);
    events.pipeInput("shop/orders", oneMegabyte);
    events.pipeInput("shop/orders", ("{\"payload\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3000) + "}")
        .getBytes(StandardCharsets.UTF_8));
    pipe(run.log());

    List<TestRecord<String, DeadLetter>> letters = dlq.readRecordsToList();
    assertThat(letters).extracting(r -> r.value().problem()).containsExactly("NotJson", "NotJson", "NotJson",
        "NotJson");
    assertThat(letters.get(2).value().valueSize()).isEqualTo(oneMegabyte.length);
    assertThat(letters.get(2).value().value()).hasSizeLessThanOrEqualTo(DeadLetters.MAX_VALUE_BYTES);
    assertThat(latestStatuses().get("shop/upd-1").phase()).isEqualTo(OpsPhase.PROGRESSING);
  }

  @Test
  void givenTheSameEventTwice_whenProjected_thenTheSecondPublishesNothing() {
    LifecycleLog run = new LifecycleLog("orders", 3).admit("upd-1");
    pipe(run.log());
    status.readRecordsToList();

    pipe(run.log());

    assertThat(status.isEmpty()).isTrue();
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void givenACommandOnTheLifecycleLog_whenProjected_thenNoStatusIsCreatedAndNothingIsDeadLettered() {
    Envelope command = Envelope.of("5d1f0c7e-0000-4000-8000-000000000001", "shop/upd-9",
        "shop/orders", NOW, null, new io.pxops.events.ResumeDatabase(java.time.Duration.ofMinutes(5)));

    events.pipeInput(new TestRecord<>("shop/orders", JsonCodec.shared().encode(command),
        new RecordHeaders(), NOW));

    assertThat(status.isEmpty()).isTrue();
    assertThat(dlq.isEmpty()).isTrue();
    assertThat(requestStore().get("shop/upd-9")).isNull();
  }

  @Test
  void givenTheTopology_whenDescribed_thenStoresAndTheRepartitionTopicHaveExplicitNames() {
    TopologyDescription description = StatusTopology.build().describe();
    String text = description.toString();

    assertThat(text).contains("stores: [request-summary, request-status]").contains("stores: [database-status]");
    assertThat(text).contains("events-by-ops-request-repartition");
    assertThat(text).contains("parse-events").contains("fold-request-status")
        .contains("fold-database-status").contains("status-sink");
    assertThat(text).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
    // the third: campaign statuses (CampaignStatusTopologyTest)
    assertThat(text).contains("stores: [campaign-status]");
    assertThat(description.subtopologies()).hasSize(3);
  }

  @Test
  void givenAnAdmissionKeyedByItsDatabase_whenTheEnvelopeIsRead_thenItsStatusIsKeyedByOpsRequest() {
    RequestAdmitted admitted = (RequestAdmitted) new LifecycleLog("orders", 1).admit("upd-1")
        .log().get(0).payload();
    Envelope envelope = Envelope.of("5d1f0c7e-0000-4000-8000-000000000002", "shop/upd-1",
        "shop/orders", NOW, null, admitted);

    events.pipeInput("shop/orders", JsonCodec.shared().encode(envelope));

    TestRecord<String, RequestStatus> record = status.readRecord();
    assertThat(record.key()).isEqualTo("shop/upd-1");
    assertThat(record.value().phase()).isEqualTo(OpsPhase.PENDING);
  }

  private static double updates(String phase) {
    return ServiceMetrics.registry().counter(PxopsMeters.UPDATES, "phase", phase).count();
  }
}
