package io.pxops.events.status;

import static io.pxops.events.status.LifecycleScript.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.OpsPhase;
import io.pxops.events.VerifyPod;
import io.pxops.events.campaign.MaintenanceWindow;
import io.pxops.events.campaign.WindowSchedule;
import io.pxops.events.plan.UpdatePlan;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status of a request held by its maintenance window, folded from a log the real plan wrote. */
class StatusFoldWindowTest {

  static final Instant NINE = Instant.parse("2026-07-02T09:00:00Z");

  /** Thursdays 09:00-10:00 UTC: closed at the script's start (Thursday 08:00). */
  static final MaintenanceWindow OPENS_AT_NINE = weekly(LocalTime.of(9, 0), LocalTime.of(10, 0));

  /** Thursdays 08:00-08:30 UTC: open at the script's start, for half an hour. */
  static final MaintenanceWindow UNTIL_HALF_PAST_EIGHT = weekly(LocalTime.of(8, 0), LocalTime.of(8, 30));

  private static final String REQ = ref("upd-1");

  private static MaintenanceWindow weekly(LocalTime start, LocalTime end) {
    return new WindowSchedule(
        ZoneOffset.UTC, List.of(new WindowSchedule.DayRange(DayOfWeek.THURSDAY, start, end)), List.of());
  }

  private static LifecycleScript script() {
    return new LifecycleScript("orders", 3);
  }

  private static RequestStatus status(LifecycleScript script) {
    return Folds.request(script.log(), REQ);
  }

  @Test
  void givenARequestWaitingToStart_whenTheWindowOpens_thenItIsProgressingAndTheWaitIsGone() {
    LifecycleScript script = script().window(OPENS_AT_NINE).admit("upd-1");
    assertThat(status(script).phase()).isEqualTo(OpsPhase.WAITING_FOR_WINDOW);
    assertThat(Folds.database(null, script.log()).pendingRequests()).containsExactly(REQ);

    script.tickAt(NINE);
    assertThat(Folds.database(null, script.log()).activeRequest()).isEqualTo(REQ);

    RequestStatus s = status(script);
    assertThat(s.phase()).isEqualTo(OpsPhase.PROGRESSING);
    assertThat(s.windowOpensAt()).isNull();
    assertThat(s.condition(ConditionTypes.WAITING_FOR_WINDOW)).isEmpty();
    script.runToIdle();
    assertThat(status(script).phase()).isEqualTo(OpsPhase.SUCCESSFUL);
  }

  @Test
  void givenAnUpdateReachingTheEndOfItsWindow_thenTheStatusWaitsNamingTheNextPodAndTheOpening() {
    LifecycleScript script = script().window(UNTIL_HALF_PAST_EIGHT).admit("upd-1")
        .runUntil(VerifyPod.class, "orders-2").advance(Duration.ofHours(1)).answer();

    RequestStatus s = status(script);
    assertThat(s.phase()).isEqualTo(OpsPhase.WAITING_FOR_WINDOW);
    Instant nextThursday = Instant.parse("2026-07-09T08:00:00Z");
    assertThat(s.windowOpensAt()).isEqualTo(nextThursday);
    assertThat(s.currentPod()).isEqualTo("orders-1");
    assertThat(s.stepDeadline()).as("no step deadline runs while waiting").isNull();
    assertThat(s.condition(ConditionTypes.WAITING_FOR_WINDOW).orElseThrow().message())
        .contains("after 1 pod(s)", "orders-1", "2026-07-09T08:00:00Z");

    script.tickAt(nextThursday);

    RequestStatus resumed = status(script);
    assertThat(resumed.phase()).isEqualTo(OpsPhase.PROGRESSING);
    assertThat(resumed.currentPod()).isEqualTo("orders-1");
    assertThat(resumed.windowOpensAt()).isNull();
    assertThat(resumed.condition(ConditionTypes.WAITING_FOR_WINDOW)).isEmpty();
    script.runToIdle();
    assertThat(status(script).phase()).isEqualTo(OpsPhase.SUCCESSFUL);
  }

  @Test
  void givenARequestWaitingToStart_whenCancelled_thenItIsSkipped() {
    RequestStatus s = status(script().window(OPENS_AT_NINE).admit("upd-1").cancel("upd-1"));

    assertThat(s.phase()).isEqualTo(OpsPhase.SKIPPED);
    assertThat(s.windowOpensAt()).isNull();
    assertThat(s.condition(ConditionTypes.WAITING_FOR_WINDOW)).isEmpty();
  }

  @Test
  void givenAWindowThatNeverOpens_thenTheRequestIsFailedWithTheReason() {
    MaintenanceWindow past = new WindowSchedule(ZoneOffset.UTC, List.of(), List.of(new WindowSchedule.DateRange(
        LocalDateTime.of(2026, 1, 1, 0, 0), LocalDateTime.of(2026, 1, 2, 0, 0))));

    // queued behind another request, it fails when its turn comes
    LifecycleScript script = script().admit("upd-0").window(past).admit("upd-1");
    assertThat(Folds.database(null, script.log()).pendingRequests()).containsExactly(REQ);
    script.runToIdle();

    RequestStatus s = status(script);
    assertThat(s.phase()).isEqualTo(OpsPhase.FAILED);
    assertThat(s.failure().reason()).isEqualTo(UpdatePlan.REASON_WINDOW_NEVER_OPENS);
    assertThat(s.queuePosition()).isNull();
    assertThat(Folds.database(null, script.log()).pendingRequests()).isEmpty();
  }
}
