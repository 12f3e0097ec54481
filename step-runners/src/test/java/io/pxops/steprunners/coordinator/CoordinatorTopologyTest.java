package io.pxops.steprunners.coordinator;

import io.pxops.pipeline.logging.TraceIds;
import org.apache.kafka.common.header.internals.RecordHeaders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Timer;
import io.pxops.events.ApplyPolicy;
import io.pxops.events.AwaitPodRunning;
import io.pxops.events.DeadLetter;
import io.pxops.events.Envelope;
import io.pxops.events.EvictPod;
import io.pxops.events.Headers;
import io.pxops.events.JsonCodec;
import io.pxops.events.Message;
import io.pxops.events.PauseDatabase;
import io.pxops.events.PreflightPassed;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.RequestFailed;
import io.pxops.events.RequestQueued;
import io.pxops.events.RequestSkipped;
import io.pxops.events.RequestSpec;
import io.pxops.events.RequestStarted;
import io.pxops.events.RequestSucceeded;
import io.pxops.events.ResumeDatabase;
import io.pxops.events.RunPreflight;
import io.pxops.events.Step;
import io.pxops.events.StepTimedOut;
import io.pxops.events.Topics;
import io.pxops.events.UpdateDatabaseVersion;
import io.pxops.events.UpdatePetSet;
import io.pxops.events.VerifyCluster;
import io.pxops.events.VerifyPod;
import io.pxops.events.campaign.MaintenanceWindow;
import io.pxops.events.campaign.WindowSchedule;
import java.time.DayOfWeek;
import java.time.LocalTime;
import io.pxops.events.plan.DatabaseState;
import io.pxops.events.plan.Decision;
import io.pxops.events.plan.IdSource;
import io.pxops.events.plan.UpdatePlan;
import io.pxops.pipeline.JsonSerde;
import io.pxops.pipeline.metrics.PxopsMeters;
import io.pxops.pipeline.metrics.ServiceMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator topology on Kafka's test driver: the plan's decisions reach the right topics, once. */
class CoordinatorTopologyTest {

  private static final String NS = "shop";
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  @TempDir
  Path stateDir;

  private MutableClock clock;
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> events;
  private TestOutputTopic<String, byte[]> eventsOut;
  private TestOutputTopic<String, byte[]> commandsOut;
  private TestOutputTopic<String, DeadLetter> dlq;

  @BeforeEach
  void start() {
    clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    startDriver(CoordinatorProcessor.Plan.UPDATE_PLAN, stateDir);
  }

  /** A topology test driver around {@code plan}, with its input and output topics. */
  private void startDriver(CoordinatorProcessor.Plan plan, Path state) {
    CoordinatorConfig config = CoordinatorConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "unused:9092",
        "PXOPS_STATE_DIR", state.toString()));
    driver = new TopologyTestDriver(CoordinatorTopology.build(Duration.ofSeconds(1), clock, plan),
        config.streamsProperties(), clock.instant());
    events = driver.createInputTopic(Topics.EVENTS, Serdes.String().serializer(), Serdes.ByteArray().serializer());
    eventsOut = driver.createOutputTopic(Topics.EVENTS, Serdes.String().deserializer(),
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
  void givenAnAdmittedRequest_thenItStartsAndTheFirstCommandIsIssuedWithHeaders() {
    send(admitted("orders", "upd-1"), null);

    List<Envelope> out = eventsOut();
    assertThat(out).extracting(Envelope::type).contains("RequestStarted");
    List<TestRecord<String, byte[]>> commands = commandsOut.readRecordsToList();
    assertThat(commands).hasSize(1);
    TestRecord<String, byte[]> command = commands.get(0);
    Envelope envelope = JsonCodec.shared().decode(command.value());
    assertThat(envelope.payload()).isInstanceOf(RunPreflight.class);
    assertThat(command.key()).isEqualTo(NS + "/orders");
    assertThat(new String(command.headers().lastHeader(Headers.TYPE).value(), StandardCharsets.UTF_8))
        .isEqualTo("RunPreflight");
    assertThat(new String(command.headers().lastHeader(Headers.EVENT_ID).value(), StandardCharsets.UTF_8))
        .isEqualTo(envelope.eventId());
  }

  @Test
  void givenRunnersThatAnswer_thenA3PodUpdateRunsToSuccessPodsHighestOrdinalFirst() {
    send(admitted("orders", "upd-1"), null);
    List<String> trace = answerUntilQuiet();

    assertThat(trace).containsExactly("RunPreflight", "VerifyCluster", "PauseDatabase", "UpdatePetSet",
        "EvictPod orders-2", "AwaitPodRunning orders-2", "VerifyPod orders-2",
        "EvictPod orders-1", "AwaitPodRunning orders-1", "VerifyPod orders-1",
        "EvictPod orders-0", "AwaitPodRunning orders-0", "VerifyPod orders-0",
        "UpdateDatabaseVersion", "ResumeDatabase");
    assertThat(eventsOut()).extracting(Envelope::type).contains("RequestSucceeded");
  }

  @Test
  void givenAResultAppended250msAgo_thenTheHandOverToTheNextCommandIsMeasuredFromItsAppend() {
    send(admitted("orders", "upd-1"), null);
    Envelope preflight = nextCommand();
    Timer handover = PxopsMeters.handover("VERIFY_CLUSTER");
    long before = handover.count();
    double secondsBefore = handover.totalTime(TimeUnit.SECONDS);
    Envelope result = envelope(preflight, HappyRunners.answer(preflight.payload()));
    events.pipeInput(result.database(), JsonCodec.shared().encode(result),
        clock.instant().minusMillis(250));

    assertThat(nextCommand().payload()).isInstanceOf(VerifyCluster.class);
    assertThat(handover.count()).isEqualTo(before + 1);
    assertThat(handover.totalTime(TimeUnit.SECONDS) - secondsBefore).isCloseTo(0.25, within(0.001));
    assertThat(ServiceMetrics.scrape()).contains("pxops_coordinator_handover_seconds_bucket{step=\"VERIFY_CLUSTER\"");
  }

  @Test
  void givenAResultDeliveredTwice_thenNoSecondCommandIsIssued() {
    send(admitted("orders", "upd-1"), null);
    Envelope preflight = nextCommand();
    Envelope result = envelope(preflight, HappyRunners.answer(preflight.payload()));
    sendEnvelope(result);
    assertThat(commandsOut.readRecordsToList()).hasSize(1);

    sendEnvelope(result);
    assertThat(commandsOut.readRecordsToList()).as("a redelivered result changes nothing").isEmpty();
  }

  @Test
  void givenNoRunnerAnswers_whenTheStepTimeoutPasses_thenTheRequestFailsNamingTheStep() {
    send(admitted("orders", "upd-1"), null);
    commandsOut.readRecordsToList();
    eventsOut();

    clock.advance(TIMEOUT.plusSeconds(2));
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    List<Envelope> out = eventsOut();
    assertThat(out).extracting(Envelope::type).contains("StepTimedOut", "RequestFailed");
    RequestFailed failed = out.stream().map(Envelope::payload).filter(RequestFailed.class::isInstance)
        .map(RequestFailed.class::cast).findFirst().orElseThrow();
    assertThat(failed.step()).isEqualTo(Step.PREFLIGHT);
    assertThat(failed.reason()).isEqualTo("StepTimedOut");
  }

  @Test
  void givenAWindowedRequest_thenItWaitsToStartUntilTheWindowOpensAndStopsAfterThePodInHandWhenItCloses() {
    // the test's clock is Monday 2026-11-23 10:00 UTC; the window: Mondays 10:30-11:00 UTC
    MaintenanceWindow mondays = new WindowSchedule(ZoneOffset.UTC,
        List.of(new WindowSchedule.DayRange(DayOfWeek.MONDAY, LocalTime.of(10, 30), LocalTime.of(11, 0))), List.of());
    RequestAdmitted windowed = (RequestAdmitted) admitted("orders", "upd-1");
    send(new RequestAdmitted(windowed.spec().withWindow(mondays)), null);

    assertThat(eventsOut()).extracting(Envelope::type).containsExactly("RequestWaitingForWindow");
    assertThat(commandsOut.isEmpty()).isTrue();
    clock.advance(Duration.ofMinutes(29)); // past the step timeout: nothing may time out while waiting
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(eventsOut()).isEmpty();
    assertThat(commandsOut.isEmpty()).as("nothing starts before the window opens").isTrue();

    clock.advance(Duration.ofMinutes(1).plusSeconds(1)); // 10:30:01
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(eventsOut()).extracting(Envelope::type).contains("RequestStarted");
    List<String> trace = new ArrayList<>();
    Envelope command = nextCommand();
    while (!(command.payload() instanceof VerifyPod)) {
      trace.add(command.type() + HappyRunners.podOf(command.payload()));
      sendEnvelope(envelope(command, HappyRunners.answer(command.payload())));
      command = nextCommand();
    }
    assertThat(trace).endsWith("EvictPod orders-2", "AwaitPodRunning orders-2");

    clock.advance(Duration.ofMinutes(31)); // 11:01: the window closed with orders-2 in hand
    eventsOut.readValuesToList();
    sendEnvelope(envelope(command, HappyRunners.answer(command.payload())));
    assertThat(eventsOut()).extracting(Envelope::type).containsExactly("RequestWaitingForWindow");
    assertThat(commandsOut.isEmpty()).as("no further pod is evicted after the window closed").isTrue();
    clock.advance(Duration.ofHours(24));
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(eventsOut()).as("no StepTimedOut while waiting for the window").isEmpty();

    clock.advance(Duration.ofDays(6).minusMinutes(31)); // the next Monday, 10:30
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(nextCommand().payload()).isInstanceOfSatisfying(EvictPod.class,
        evict -> assertThat(evict.pod()).isEqualTo("orders-1"));
  }

  @Test
  void givenThreeRequestsForOneDatabase_thenTheMiddleIsSkippedAndTwoDatabasesProgressTogether() {
    send(admitted("orders", "upd-1"), null);
    send(admitted("orders", "upd-2"), null);
    send(admitted("orders", "upd-3"), null);
    send(admitted("carts", "upd-a"), null);

    List<Envelope> out = eventsOut();
    assertThat(out).filteredOn(e -> e.payload() instanceof RequestSkipped).extracting(Envelope::opsRequest)
        .containsExactly(NS + "/upd-2");
    assertThat(out).filteredOn(e -> e.payload() instanceof RequestQueued).extracting(Envelope::opsRequest)
        .containsExactly(NS + "/upd-2", NS + "/upd-3");
    assertThat(out).filteredOn(e -> e.payload() instanceof RequestStarted).extracting(Envelope::opsRequest)
        .containsExactly(NS + "/upd-1", NS + "/upd-a");
    assertThat(commandsOut.readRecordsToList()).extracting(TestRecord::key)
        .containsExactly(NS + "/orders", NS + "/carts");
  }

  @Test
  void givenPoisonRecords_thenEachGoesToTheDlqWithItsReasonAndTheNextRecordIsProcessed() {
    events.pipeInput(NS + "/orders", "not json".getBytes(StandardCharsets.UTF_8));
    events.pipeInput(NS + "/orders", ("{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"NoSuchType\","
        + "\"schemaVersion\":1,\"opsRequest\":\"shop/x\",\"database\":\"shop/orders\","
        + "\"occurredAt\":\"2026-11-23T10:00:00Z\",\"payload\":{}}").getBytes(StandardCharsets.UTF_8));
    send(admitted("orders", "upd-1"), null);

    List<DeadLetter> letters = dlq.readValuesToList();
    assertThat(letters).extracting(DeadLetter::problem).containsExactly("NotJson", "UnknownType");
    assertThat(letters).allSatisfy(l -> {
      assertThat(l.service()).isEqualTo("pxops-coordinator");
      assertThat(l.topic()).isEqualTo(Topics.EVENTS);
      assertThat(l.reason()).isNotBlank();
    });
    assertThat(commandsOut.readRecordsToList()).hasSize(1);
  }

  @Test
  void givenAPlanThatThrowsOnAResult_thenTheRecordIsDeadLetteredOthersGoOnAndTheRequestTimesOutLoudly() {
    // a bug in the plan must neither kill the stream thread (every database wedged behind one record, again after
    // each restart) nor leave its request hanging in silence
    driver.close();
    startDriver(new ThrowingPlan(), stateDir.resolve("throwing"));

    send(admitted("orders", "upd-1"), null);
    Envelope preflight = nextCommand();
    sendEnvelope(envelope(preflight, HappyRunners.answer(preflight.payload())));

    assertThat(dlq.readValuesToList()).singleElement().satisfies(l -> {
      assertThat(l.problem()).isEqualTo(CoordinatorProcessor.PLAN_FAILED);
      assertThat(l.reason()).contains("PreflightPassed").contains("planted bug");
    });
    send(admitted("carts", "upd-a"), null);
    assertThat(commandsOut.readRecordsToList()).extracting(TestRecord::key).containsExactly(NS + "/carts");

    eventsOut.readValuesToList();
    clock.advance(TIMEOUT.plusSeconds(1));
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    assertThat(eventsOut()).filteredOn(e -> e.payload() instanceof RequestFailed
            && e.opsRequest().equals(NS + "/upd-1"))
        .singleElement().satisfies(e -> {
          assertThat(((RequestFailed) e.payload()).step()).isEqualTo(Step.PREFLIGHT);
          assertThat(((RequestFailed) e.payload()).reason()).isEqualTo(UpdatePlan.REASON_TIMED_OUT);
        });
  }

  /** The update plan with a planted bug: it throws on every PreflightPassed of the database "orders". */
  private static final class ThrowingPlan implements CoordinatorProcessor.Plan {
    @Override
    public Decision decide(DatabaseState state, Envelope input, Instant now, IdSource ids) {
      if (input.payload() instanceof PreflightPassed && input.database().endsWith("/orders")) {
        throw new IllegalStateException("planted bug");
      }
      return UpdatePlan.decide(state, input, now, ids);
    }

    @Override
    public Decision onTick(DatabaseState state, Instant now, IdSource ids) {
      return UpdatePlan.onTick(state, now, ids);
    }
  }

  @Test
  void givenHostileValues_thenEachIsABoundedDeadLetterAndTheNextRecordIsProcessed() {
    byte[] oneMegabyte = new byte[1024 * 1024];
    java.util.Arrays.fill(oneMegabyte, (byte) '{');
    events.pipeInput(NS + "/orders", new byte[0]);
    events.pipeInput(NS + "/orders", (byte[]) null);
    events.pipeInput(NS + "/orders", oneMegabyte);
    events.pipeInput(NS + "/orders", ("{\"payload\":" + "[".repeat(5000) + "]".repeat(5000) + "}")
        .getBytes(StandardCharsets.UTF_8));
    events.pipeInput(NS + "/orders", "{\"eventId\":1,\"eventId\":2}".getBytes(StandardCharsets.UTF_8));
    send(admitted("orders", "upd-1"), null);

    List<DeadLetter> letters = dlq.readValuesToList();
    assertThat(letters).extracting(DeadLetter::problem).containsExactly("NotJson", "NotJson", "NotJson", "NotJson",
        "NotJson");
    assertThat(letters.get(2).valueSize()).isEqualTo(oneMegabyte.length);
    assertThat(letters.get(2).value()).hasSizeLessThanOrEqualTo(io.pxops.pipeline.DeadLetters.MAX_VALUE_BYTES);
    assertThat(eventsOut()).anySatisfy(e -> assertThat(e.payload()).isInstanceOf(RequestStarted.class));
  }

  @Test
  void givenTwoRequestsForOneDatabase_thenEveryRecordCarriesItsOwnRequestsTrace_theQueuedOneStartedByTheFirstsEndToo() {
    String first = TraceIds.newId();
    String second = TraceIds.newId();
    sendTraced(admitted("orders", "upd-1"), first);
    sendTraced(admitted("orders", "upd-2"), second); // queued behind upd-1
    List<TestRecord<String, byte[]>> out = new ArrayList<>();
    while (!commandsOut.isEmpty()) {
      // runners answer under the trace of the command they answer, as CommandService does
      TestRecord<String, byte[]> record = commandsOut.readRecord();
      out.add(record);
      Envelope command = JsonCodec.shared().decode(record.value());
      Envelope answer = envelope(command, HappyRunners.answer(command.payload()));
      events.pipeInput(new TestRecord<>(answer.database(), JsonCodec.shared().encode(answer),
          TraceIds.put(new RecordHeaders(), TraceIds.of(record.headers()))));
    }
    out.addAll(eventsOut.readRecordsToList());

    Map<String, String> expected = Map.of(NS + "/upd-1", first, NS + "/upd-2", second);
    assertThat(out).extracting(r -> JsonCodec.shared().decode(r.value()).opsRequest())
        .as("both requests ran to their end here").contains(NS + "/upd-1", NS + "/upd-2");
    assertThat(out).allSatisfy(r -> {
      Envelope e = JsonCodec.shared().decode(r.value());
      assertThat(TraceIds.of(r.headers())).as(e.type() + " of " + e.opsRequest())
          .isEqualTo(expected.get(e.opsRequest()));
    });
  }

  private void sendTraced(Message message, String trace) {
    RequestAdmitted a = (RequestAdmitted) message;
    Envelope e = Envelope.of(UUID.randomUUID().toString(), NS + "/" + a.spec().name(), NS + "/" + a.spec().database(),
        clock.instant(), null, message);
    events.pipeInput(new TestRecord<>(e.database(), JsonCodec.shared().encode(e),
        TraceIds.put(new RecordHeaders(), trace)));
  }

  /** Answers every command the way level-based runners would, until no command is outstanding. */
  private List<String> answerUntilQuiet() {
    List<String> trace = new ArrayList<>();
    while (!commandsOut.isEmpty()) {
      Envelope command = JsonCodec.shared().decode(commandsOut.readRecord().value());
      trace.add(command.type() + HappyRunners.podOf(command.payload()));
      sendEnvelope(envelope(command, HappyRunners.answer(command.payload())));
    }
    return trace;
  }



  private Envelope nextCommand() {
    return JsonCodec.shared().decode(commandsOut.readRecord().value());
  }

  private Envelope envelope(Envelope command, Message result) {
    return Envelope.of(UUID.randomUUID().toString(), command.opsRequest(), command.database(), clock.instant(),
        command.eventId(), result);
  }

  static Message admitted(String database, String name) {
    return new RequestAdmitted(new RequestSpec(name, NS, database, "10.11.19", TIMEOUT, ApplyPolicy.IF_READY, 1,
        Instant.parse("2026-11-23T09:59:00Z"), RequestSpec.DOOR_KUBERNETES, null));
  }

  private void send(Message message, String causationId) {
    RequestAdmitted a = (RequestAdmitted) message;
    sendEnvelope(Envelope.of(UUID.randomUUID().toString(), NS + "/" + a.spec().name(),
        NS + "/" + a.spec().database(), clock.instant(), causationId, message));
  }

  private void sendEnvelope(Envelope e) {
    events.pipeInput(e.database(), JsonCodec.shared().encode(e));
  }

  private List<Envelope> eventsOut() {
    return eventsOut.readValuesToList().stream().map(JsonCodec.shared()::decode).toList();
  }

  /** A clock the test moves; the coordinator reads deadlines from it. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
