package io.pxops.events.status;

import static io.pxops.events.status.LifecycleScript.NEW_IMAGE;
import static io.pxops.events.status.LifecycleScript.TIMEOUT;
import static io.pxops.events.status.LifecycleScript.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.AwaitPodRunning;
import io.pxops.events.ClusterVerified;
import io.pxops.events.DatabasePaused;
import io.pxops.events.Envelope;
import io.pxops.events.EvictPod;
import io.pxops.events.OpsPhase;
import io.pxops.events.PauseDatabase;
import io.pxops.events.PodEvicted;
import io.pxops.events.PodRunning;
import io.pxops.events.ResumeDatabase;
import io.pxops.events.RunPreflight;
import io.pxops.events.Step;
import io.pxops.events.UpdateDatabaseVersion;
import io.pxops.events.UpdatePetSet;
import io.pxops.events.VerifyCluster;
import io.pxops.events.VerifyPod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per event type: a log written by the real plan up to and including that event; the fold
 * of everything before it, then that event alone, must give the expected change.
 */
class StatusFoldTableTest {

  private static final String REQ = ref("upd-1");

  /**
   * A table row.
   *
   * @param type the event type under test (the last one of that type in the log of {@code request})
   * @param request the ops request whose status is checked
   * @param log writes the log
   * @param changes whether the event changes the status
   * @param then what the status must show after it
   */
  record Row(
      String type,
      String request,
      Supplier<LifecycleScript> log,
      boolean changes,
      Consumer<RequestStatus> then) {
    @Override
    public String toString() {
      return type + (changes ? "" : " (no change)");
    }
  }

  static LifecycleScript script() {
    return new LifecycleScript("orders", 3);
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("RequestAdmitted", ref("upd-2"),
            () -> script().admit("upd-1").admit("upd-2"), true, s -> {
              assertThat(s.phase()).isEqualTo(OpsPhase.PENDING);
              assertThat(s.targetVersion()).isEqualTo("8.4.3");
              assertThat(s.door()).isEqualTo("kubernetes");
              assertThat(s.timeout()).isEqualTo(TIMEOUT);
              assertThat(s.database()).isEqualTo("shop/orders");
            }),
        new Row("RequestRejected", ref("bad"),
            () -> script().reject("bad", "spec.updateVersion.targetVersion", "Deprecated",
                "target version 8.0.36 is deprecated"), true, s -> {
              assertThat(s.phase()).isEqualTo(OpsPhase.FAILED);
              assertThat(s.condition("UpdateVersion").orElseThrow().reason())
                  .isEqualTo("Deprecated");
              assertThat(s.condition("Failed").orElseThrow().status()).isEqualTo("True");
            }),
        new Row("RequestQueued", ref("upd-2"),
            () -> script().admit("upd-1").admit("upd-2"), true, s -> {
              assertThat(s.phase()).isEqualTo(OpsPhase.PENDING);
              assertThat(s.queuePosition()).isEqualTo(1);
            }),
        new Row("RequestWaitingForWindow", REQ,
            () -> script().window(StatusFoldWindowTest.OPENS_AT_NINE).admit("upd-1"), true, s -> {
              assertThat(s.phase()).isEqualTo(OpsPhase.WAITING_FOR_WINDOW);
              assertThat(s.windowOpensAt()).isEqualTo(StatusFoldWindowTest.NINE);
              assertThat(s.condition("WaitingForWindow").orElseThrow().message())
                  .contains("2026-07-02T09:00:00Z");
            }),
        new Row("RequestStarted", REQ, () -> script().admit("upd-1"), true, s -> {
          assertThat(s.phase()).isEqualTo(OpsPhase.PROGRESSING);
          assertThat(s.attempt()).isEqualTo(1);
          assertThat(s.startedAt()).isNotNull();
          assertThat(s.condition("UpdateVersion").orElseThrow().message())
              .isEqualTo(StatusFold.STARTED_MESSAGE);
        }),
        new Row("StepStarted", REQ, () -> script().admit("upd-1"), true, s -> {
          assertThat(s.currentStep()).isEqualTo(Step.PREFLIGHT);
          assertThat(s.currentPod()).isNull();
          assertThat(s.currentCommandId()).isNotNull();
          assertThat(s.stepDeadline()).isEqualTo(s.lastProgressAt().plus(TIMEOUT));
          assertThat(s.steps()).singleElement().satisfies(t -> {
            assertThat(t.type()).isEqualTo("Preflight");
            assertThat(t.endedAt()).isNull();
          });
        }),
        new Row("PreflightPassed", REQ,
            () -> script().admit("upd-1").runUntil(VerifyCluster.class, null), true, s -> {
              assertThat(s.condition("Preflight").orElseThrow().status()).isEqualTo("True");
              assertThat(s.fromVersion()).isEqualTo("8.0.40");
              assertThat(s.replicas()).isEqualTo(3);
              assertThat(s.steps().get(0).duration()).isEqualTo(Duration.ofSeconds(2));
            }),
        new Row("ClusterVerified", REQ,
            () -> script().admit("upd-1").runUntil(PauseDatabase.class, null), true,
            s -> assertThat(s.condition("VerifyCluster").orElseThrow().status())
                .isEqualTo("True")),
        new Row("DatabasePaused", REQ,
            () -> script().admit("upd-1").runUntil(UpdatePetSet.class, null), true,
            s -> assertThat(s.condition("PauseDatabase").orElseThrow().message())
                .isEqualTo("Successfully paused PerconaXtraDB database: shop/orders for"
                    + " PerconaXtraDBOpsRequest: shop/upd-1")),
        new Row("PetSetUpdated", REQ,
            () -> script().admit("upd-1").runUntil(EvictPod.class, "orders-2"), true, s -> {
              assertThat(s.condition("UpdatePetSets").orElseThrow().status()).isEqualTo("True");
              assertThat(s.targetImage()).isEqualTo(NEW_IMAGE);
              assertThat(s.pods()).extracting(PodProgress::pod)
                  .containsExactly("orders-2", "orders-1", "orders-0");
              assertThat(s.pods()).extracting(PodProgress::phase).containsOnly(PodPhase.WAITING);
            }),
        new Row("PodEvicted", REQ,
            () -> script().admit("upd-1").runUntil(AwaitPodRunning.class, "orders-2"), true,
            s -> {
              assertThat(s.condition("GetPod--orders-2").orElseThrow().message())
                  .isEqualTo("get pod; ConditionStatus:True; PodName:orders-2");
              assertThat(s.condition("EvictPod--orders-2").orElseThrow().status())
                  .isEqualTo("True");
              assertThat(s.pods().get(0).phase()).isEqualTo(PodPhase.EVICTED);
              assertThat(s.pods().get(0).evictedAt()).isNotNull();
            }),
        new Row("PodAlreadyUpdated", REQ,
            () -> script().admit("upd-1").runUntil(EvictPod.class, "orders-2")
                .podAlreadyOnTarget("orders-2").runUntil(VerifyPod.class, "orders-2"), true,
            s -> {
              assertThat(s.condition("EvictPod--orders-2").orElseThrow().reason())
                  .isEqualTo("PodAlreadyUpdated");
              assertThat(s.pods().get(0).phase()).isEqualTo(PodPhase.RUNNING);
              assertThat(s.pods().get(0).image()).isEqualTo(NEW_IMAGE);
            }),
        new Row("PodRunning", REQ,
            () -> script().admit("upd-1").runUntil(VerifyPod.class, "orders-2"), true, s -> {
              assertThat(s.condition("CheckPodRunning--orders-2").orElseThrow().message())
                  .isEqualTo("check pod running; ConditionStatus:True; PodName:orders-2");
              assertThat(s.pods().get(0).phase()).isEqualTo(PodPhase.RUNNING);
              assertThat(s.pods().get(0).runningAt()).isNotNull();
            }),
        new Row("PodVerified", REQ,
            () -> script().admit("upd-1").runUntil(EvictPod.class, "orders-1"), true, s -> {
              assertThat(s.condition("VerifyPod--orders-2").orElseThrow().status())
                  .isEqualTo("True");
              assertThat(s.pods().get(0).phase()).isEqualTo(PodPhase.VERIFIED);
              assertThat(s.pods().get(0).duration()).isPositive();
            }),
        new Row("DatabaseVersionUpdated", REQ,
            () -> script().admit("upd-1").runUntil(ResumeDatabase.class, null), true,
            s -> assertThat(s.condition("UpdateDatabase").orElseThrow().message())
                .isEqualTo("Successfully updated PerconaXtraDB version to 8.4.3")),
        new Row("DatabaseResumed", REQ, () -> script().admit("upd-1").runToIdle(), true,
            s -> assertThat(s.condition("ResumeDatabase").orElseThrow().status())
                .isEqualTo("True")),
        new Row("RequestSucceeded", REQ, () -> script().admit("upd-1").runToIdle(), true, s -> {
          assertThat(s.phase()).isEqualTo(OpsPhase.SUCCESSFUL);
          assertThat(s.conditions().get(s.conditions().size() - 1).type())
              .isEqualTo("Successful");
          assertThat(s.finishedAt()).isNotNull();
          assertThat(s.currentStep()).isNull();
        }),
        new Row("StepProgressed", REQ,
            () -> script().admit("upd-1").runUntil(AwaitPodRunning.class, "orders-2")
                .progress("orders-2: wsrep_local_state_comment=Joining"), true, s -> {
              assertThat(s.lastProgress()).isEqualTo("orders-2: wsrep_local_state_comment=Joining");
              assertThat(s.stepDeadline()).isEqualTo(s.lastProgressAt().plus(TIMEOUT));
              assertThat(s.currentStep()).isEqualTo(Step.CHECK_POD_RUNNING);
            }),
        new Row("StepFailed", REQ,
            () -> script().admit("upd-1").runUntil(PauseDatabase.class, null)
                .failStep("Forbidden", "cannot patch perconaxtradbs", false), true, s -> {
              StatusCondition c = s.condition("PauseDatabase").orElseThrow();
              assertThat(c.status()).isEqualTo("False");
              assertThat(c.reason()).isEqualTo("Forbidden");
              assertThat(c.message()).isEqualTo("cannot patch perconaxtradbs");
              assertThat(s.phase()).isEqualTo(OpsPhase.PROGRESSING);
            }),
        new Row("StepTimedOut", REQ,
            () -> script().admit("upd-1").runUntil(RunPreflight.class, null).timeOut(), true,
            s -> assertThat(s.condition("Preflight").orElseThrow().reason())
                .isEqualTo("StepTimedOut")),
        new Row("RequestFailed", REQ,
            () -> script().admit("upd-1").runUntil(UpdateDatabaseVersion.class, null)
                .failStep("NotFound", "perconaxtradb shop/orders is gone", false).runToIdle(),
            true, s -> {
              assertThat(s.phase()).isEqualTo(OpsPhase.FAILED);
              assertThat(s.failure().step()).isEqualTo(Step.UPDATE_DATABASE);
              assertThat(s.condition("Failed").orElseThrow().message())
                  .isEqualTo("perconaxtradb shop/orders is gone");
              assertThat(s.condition("RestartPods").orElseThrow().status()).isEqualTo("True");
            }),
        new Row("RequestSkipped", ref("upd-2"),
            () -> script().admit("upd-1").admit("upd-2").cancel("upd-2"), true, s -> {
              assertThat(s.phase()).isEqualTo(OpsPhase.SKIPPED);
              assertThat(s.condition("Skipped").orElseThrow().reason()).isEqualTo("Cancelled");
            }),
        new Row("CancelRequested", REQ,
            () -> script().admit("upd-1").runUntil(VerifyCluster.class, null).cancel("upd-1"),
            false, s -> assertThat(s.phase()).isEqualTo(OpsPhase.PROGRESSING)),
        new Row("ReplayRequested", REQ,
            () -> script().admit("upd-1").runToIdle().replay("upd-1"), false,
            s -> assertThat(s.phase()).isEqualTo(OpsPhase.SUCCESSFUL)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void givenTheLogBeforeAnEvent_whenTheEventIsApplied_thenTheStatusChangesAsTheRowSays(Row row) {
    List<Envelope> log = row.log().get().log();
    int index = lastIndexOf(log, row.type(), row.request());
    RequestStatus before = Folds.request(log.subList(0, index), row.request());

    RequestStatus after = StatusFold.apply(before, log.get(index));

    if (row.changes()) {
      assertThat(after).isNotEqualTo(before);
      assertThat(after.lastEventId()).isEqualTo(log.get(index).eventId());
      assertThat(after.updatedAt()).isEqualTo(log.get(index).occurredAt());
    } else {
      assertThat(after).isSameAs(before);
    }
    row.then().accept(after);
  }

  @Test
  void givenEveryEventType_whenTheTableIsRead_thenEachHasARow() {
    List<String> covered = rows().map(Row::type).toList();

    assertThat(covered).containsAll(
        io.pxops.events.MessageTypes.all().entrySet().stream()
            .filter(e -> io.pxops.events.Event.class.isAssignableFrom(e.getValue()))
            .map(java.util.Map.Entry::getKey)
            .toList());
  }

  private static int lastIndexOf(List<Envelope> log, String type, String request) {
    for (int i = log.size() - 1; i >= 0; i--) {
      if (log.get(i).type().equals(type) && log.get(i).opsRequest().equals(request)) {
        return i;
      }
    }
    throw new AssertionError("no " + type + " of " + request + " in the log");
  }

  // ---- what must change nothing --------------------------------------------------------------

  @Test
  void givenAResultNotCausedByTheAwaitedCommand_whenApplied_thenNothingChanges() {
    LifecycleScript script = script().admit("upd-1").runUntil(AwaitPodRunning.class, "orders-2");
    RequestStatus before = Folds.request(script.log(), REQ);
    Envelope stray = Envelope.of("11111111-0000-4000-8000-000000000001", REQ, "shop/orders",
        Instant.parse("2026-07-02T09:00:00Z"), "22222222-0000-4000-8000-000000000002",
        new PodRunning("orders-2", NEW_IMAGE));

    assertThat(StatusFold.apply(before, stray)).isSameAs(before);
  }

  @Test
  void givenAResultForAnotherPod_whenApplied_thenNothingChanges() {
    LifecycleScript script = script().admit("upd-1").runUntil(AwaitPodRunning.class, "orders-2");
    RequestStatus before = Folds.request(script.log(), REQ);
    Envelope wrongPod = Envelope.of("11111111-0000-4000-8000-000000000003", REQ, "shop/orders",
        Instant.parse("2026-07-02T09:00:00Z"), before.currentCommandId(),
        new PodRunning("orders-0", NEW_IMAGE));

    assertThat(StatusFold.apply(before, wrongPod)).isSameAs(before);
  }

  @Test
  void givenARunnerReportingTheSameResultAgainLater_whenApplied_thenNothingChanges() {
    LifecycleScript script = script().admit("upd-1").runUntil(PauseDatabase.class, null);
    Envelope verified = script.log().stream()
        .filter(e -> e.payload() instanceof ClusterVerified).findFirst().orElseThrow();
    script.runUntil(UpdatePetSet.class, null);
    RequestStatus before = Folds.request(script.log(), REQ);
    // redelivered command, re-run by the runner: a new event id, the same cause
    Envelope again = Envelope.of("11111111-0000-4000-8000-000000000004", REQ, "shop/orders",
        Instant.parse("2026-07-02T09:00:00Z"), verified.causationId(), verified.payload());
    Envelope pausedAgain = Envelope.of("11111111-0000-4000-8000-000000000005", REQ,
        "shop/orders", Instant.parse("2026-07-02T09:00:00Z"), before.currentCommandId(),
        new DatabasePaused());

    assertThat(StatusFold.apply(before, again)).isSameAs(before);
    assertThat(StatusFold.apply(before, pausedAgain)).isSameAs(before);
  }

  @Test
  void givenAnEventOfAnotherRequestOrACommand_whenApplied_thenNothingChanges() {
    LifecycleScript script = script().admit("upd-1").admit("upd-2");
    RequestStatus before = Folds.request(script.log(), REQ);
    Envelope other = script.log().stream()
        .filter(e -> e.opsRequest().equals(ref("upd-2"))).findFirst().orElseThrow();
    Envelope command = Envelope.of("11111111-0000-4000-8000-000000000006", REQ, "shop/orders",
        Instant.parse("2026-07-02T09:00:00Z"), null, new ResumeDatabase(TIMEOUT));

    assertThat(StatusFold.apply(before, other)).isSameAs(before);
    assertThat(StatusFold.apply(before, command)).isSameAs(before);
  }

  @Test
  void givenNothingKnownOfARequest_whenOnlyACancelArrives_thenThereIsStillNoStatus() {
    LifecycleScript script = script().cancel("ghost");

    assertThat(StatusFold.apply(null, script.log().get(0))).isNull();
  }

  @Test
  void givenAKnownRequest_whenARejectionOfTheSameNameArrives_thenItIsNotAboutThisRequest() {
    LifecycleScript script = script().admit("upd-1").reject("upd-1", "metadata.name",
        "AlreadyExists", "an update request named shop/upd-1 exists");

    RequestStatus status = Folds.request(script.log(), REQ);

    assertThat(status.phase()).isEqualTo(OpsPhase.PROGRESSING);
    assertThat(status.rejection()).isNull();
  }

  // ---- kmapi SetCondition semantics ----------------------------------------------------------

  @Test
  void givenAConditionOfAType_whenTheSameTypeIsSetAgain_thenItIsUpsertedKeepingTheTimeUntilTheStatusChanges() {
    Instant t0 = Instant.parse("2026-07-02T08:00:00Z");
    RequestStatus.Builder b = RequestStatus.initial(REQ, "shop/orders").toBuilder();
    StatusFold.setCondition(b, StatusCondition.isFalse("EvictPod--orders-2", "Conflict", "a", t0));
    StatusFold.setCondition(b, StatusCondition.isTrue("Preflight", "Preflight", "ok", t0));
    List<StatusCondition> first = List.copyOf(b.conditions);

    StatusFold.setCondition(b,
        StatusCondition.isFalse("EvictPod--orders-2", "Conflict", "a", t0.plusSeconds(5)));
    List<StatusCondition> sameState = List.copyOf(b.conditions);
    StatusFold.setCondition(b,
        StatusCondition.isFalse("EvictPod--orders-2", "Conflict", "b", t0.plusSeconds(9)));
    StatusCondition newMessage = b.conditions.get(0);
    StatusFold.setCondition(b,
        StatusCondition.isTrue("EvictPod--orders-2", "EvictPod", "c", t0.plusSeconds(12)));
    StatusCondition newStatus = b.conditions.get(0);

    assertThat(sameState).isEqualTo(first);
    assertThat(newMessage.message()).isEqualTo("b");
    assertThat(newMessage.lastTransitionTime()).isEqualTo(t0);
    assertThat(newStatus.status()).isEqualTo("True");
    assertThat(newStatus.lastTransitionTime()).isEqualTo(t0.plusSeconds(12));
    assertThat(b.conditions).extracting(StatusCondition::type)
        .containsExactly("EvictPod--orders-2", "Preflight");
  }

  @Test
  void givenConditionTypesInAnyOrder_whenSortedByKubeDbOrder_thenRequestStepsPodsThenTheEndFollow() {
    List<String> types = new java.util.ArrayList<>(List.of("Failed", "VerifyPod--db-1",
        "ResumeDatabase", "GetPod--db-0", "UpdateVersion", "EvictPod--db-1", "RestartPods",
        "Preflight", "GetPod--db-1", "UpdatePetSets", "Custom"));

    types.sort(ConditionTypes.order(List.of("db-1", "db-0")));

    assertThat(types).containsExactly("UpdateVersion", "Preflight", "UpdatePetSets",
        "GetPod--db-1", "EvictPod--db-1", "VerifyPod--db-1", "GetPod--db-0", "RestartPods",
        "ResumeDatabase", "Custom", "Failed");
  }
}
