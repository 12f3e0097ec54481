package io.pxops.events.campaign;

import static io.pxops.events.campaign.CampaignFixtures.db;
import static io.pxops.events.campaign.CampaignFixtures.fleet;
import static io.pxops.events.campaign.CampaignFixtures.plan;
import static io.pxops.events.campaign.CampaignFixtures.stage;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.campaign.CampaignEvent.BudgetExhausted;
import io.pxops.events.campaign.CampaignEvent.CampaignCancelled;
import io.pxops.events.campaign.CampaignEvent.CampaignFinished;
import io.pxops.events.campaign.CampaignEvent.CampaignPaused;
import io.pxops.events.campaign.CampaignEvent.CampaignResumed;
import io.pxops.events.campaign.CampaignEvent.CampaignStarted;
import io.pxops.events.campaign.CampaignEvent.DatabaseSkipped;
import io.pxops.events.campaign.CampaignEvent.DatabaseUpdateFinished;
import io.pxops.events.campaign.CampaignEvent.DatabaseUpdateRequested;
import io.pxops.events.campaign.CampaignEvent.DatabaseWaitingForWindow;
import io.pxops.events.campaign.CampaignEvent.Outcome;
import io.pxops.events.campaign.CampaignEvent.StageApproved;
import io.pxops.events.campaign.CampaignEvent.StageAwaitingApproval;
import io.pxops.events.campaign.CampaignEvent.StageCompleted;
import io.pxops.events.campaign.CampaignEvent.StageStarted;
import io.pxops.events.campaign.CampaignEvent.StageWaiting;
import io.pxops.events.campaign.CampaignInput.Approve;
import io.pxops.events.campaign.CampaignInput.Cancel;
import io.pxops.events.campaign.CampaignInput.Pause;
import io.pxops.events.campaign.CampaignInput.Resume;
import io.pxops.events.campaign.CampaignInput.Start;
import io.pxops.events.campaign.CampaignInput.Tick;
import io.pxops.events.campaign.CampaignInput.UpdateFinished;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decider's rules, one named example each (the properties test covers random runs). */
class CampaignDeciderTest {

  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z"); // a Monday

  private CampaignState state;

  private List<CampaignEvent> feed(CampaignInput input, Instant now) {
    CampaignDecider.Step step = CampaignDecider.step(state, input, now);
    state = step.state();
    return step.events();
  }

  private void begin(CampaignPlan plan) {
    state = CampaignDecider.initial(plan);
  }

  private static DatabaseUpdateRequested requested(String stage, int i) {
    return new DatabaseUpdateRequested(stage, db(i), CampaignFixtures.FROM, CampaignFixtures.TO);
  }

  @Test
  void givenACanaryThenTheRest_whenTheCanarySucceeds_thenTheRestStartsUpToItsLimit() {
    begin(
        plan(
            fleet(5),
            List.of(
                stage("canary", new StageSize.Count(1), 1, new Gate.None()),
                stage("rest", new StageSize.Rest(), 2, new Gate.None())),
            new FailureBudget.Count(0)));

    assertThat(feed(new Start(), T0))
        .containsExactly(
            new CampaignStarted(5, 0), new StageStarted("canary", 1), requested("canary", 0));
    assertThat(feed(new Tick(), T0.plusSeconds(60))).isEmpty();
    assertThat(feed(new UpdateFinished(db(0), true, "Successful"), T0.plusSeconds(90)))
        .containsExactly(
            new DatabaseUpdateFinished(db(0), true, "Successful"),
            new StageCompleted("canary", 1, 0, 0),
            new StageStarted("rest", 4),
            requested("rest", 1),
            requested("rest", 2));
    assertThat(feed(new UpdateFinished(db(2), true, "Successful"), T0))
        .containsExactly(
            new DatabaseUpdateFinished(db(2), true, "Successful"), requested("rest", 3));
    feed(new UpdateFinished(db(1), true, "Successful"), T0);
    feed(new UpdateFinished(db(3), true, "Successful"), T0);
    assertThat(feed(new UpdateFinished(db(4), true, "Successful"), T0))
        .containsExactly(
            new DatabaseUpdateFinished(db(4), true, "Successful"),
            new StageCompleted("rest", 4, 0, 0),
            new CampaignFinished(Outcome.COMPLETED, 5, 0, 0));
    assertThat(state.phase()).isEqualTo("Completed");
    assertThat(feed(new Start(), T0)).isEmpty();
    assertThat(feed(new UpdateFinished(db(4), false, "x"), T0)).isEmpty();
  }

  @Test
  void givenAnApprovalGate_whenApprovedEarlyOrForAnotherStage_thenItHoldsUntilTheRightApproval() {
    begin(
        plan(
            fleet(2),
            List.of(
                stage("canary", new StageSize.Count(1), 1, new Gate.None()),
                stage("rest", new StageSize.Rest(), 5, new Gate.Approval())),
            new FailureBudget.Count(0)));
    feed(new Start(), T0);

    assertThat(feed(new Approve("rest", "early-bird"), T0)).isEmpty();
    assertThat(feed(new UpdateFinished(db(0), true, "Successful"), T0))
        .containsExactly(
            new DatabaseUpdateFinished(db(0), true, "Successful"),
            new StageCompleted("canary", 1, 0, 0),
            new StageAwaitingApproval("rest"));
    assertThat(state.phase()).isEqualTo("AwaitingApproval");
    assertThat(feed(new Tick(), T0.plus(Duration.ofDays(30)))).isEmpty();
    assertThat(feed(new Approve("canary", "alice"), T0)).isEmpty();
    assertThat(feed(new Approve("rest", "alice"), T0))
        .containsExactly(
            new StageApproved("rest", "alice"), new StageStarted("rest", 1), requested("rest", 1));
    assertThat(feed(new Approve("rest", "alice"), T0)).isEmpty();
  }

  @Test
  void givenAWaitGate_whenTimePasses_thenTheStageStartsAtTheEndOfTheWaitAndNotBefore() {
    begin(
        plan(
            fleet(2),
            List.of(
                stage("canary", new StageSize.Count(1), 1, new Gate.None()),
                stage("rest", new StageSize.Rest(), 5, new Gate.Wait(Duration.ofMinutes(10)))),
            new FailureBudget.Count(0)));
    feed(new Start(), T0);
    Instant done = T0.plusSeconds(100);

    assertThat(feed(new UpdateFinished(db(0), true, "Successful"), done))
        .endsWith(new StageWaiting("rest", done.plus(Duration.ofMinutes(10))));
    assertThat(state.phase()).isEqualTo("WaitingForStage");
    assertThat(CampaignDecider.nextWakeUp(state, done)).contains(done.plus(Duration.ofMinutes(10)));
    assertThat(feed(new Tick(), done.plus(Duration.ofMinutes(10)).minusMillis(1))).isEmpty();
    assertThat(feed(new Tick(), done.plus(Duration.ofMinutes(10))))
        .containsExactly(new StageStarted("rest", 1), requested("rest", 1));
  }

  @Test
  void givenABudgetOfOne_whenTwoFail_thenNothingMoreStartsAndTheRunningOnesStillFinish() {
    begin(
        plan(
            fleet(10),
            List.of(stage("all", new StageSize.Rest(), 3, new Gate.None())),
            new FailureBudget.Count(1)));
    feed(new Start(), T0);

    assertThat(feed(new UpdateFinished(db(0), false, "StepTimedOut"), T0))
        .containsExactly(
            new DatabaseUpdateFinished(db(0), false, "StepTimedOut"), requested("all", 3));
    assertThat(feed(new UpdateFinished(db(1), false, "PreflightFailed"), T0))
        .containsExactly(
            new DatabaseUpdateFinished(db(1), false, "PreflightFailed"),
            new BudgetExhausted(2, 1));
    assertThat(state.phase()).isEqualTo("Stopping");
    assertThat(feed(new Resume("bob"), T0)).isEmpty();
    assertThat(feed(new UpdateFinished(db(2), true, "Successful"), T0))
        .containsExactly(new DatabaseUpdateFinished(db(2), true, "Successful"));
    assertThat(feed(new UpdateFinished(db(3), true, "Successful"), T0))
        .containsExactly(
            new DatabaseUpdateFinished(db(3), true, "Successful"),
            new CampaignFinished(Outcome.BUDGET_EXHAUSTED, 2, 2, 6));
  }

  @Test
  void givenAPercentBudget_whenFailuresStayWithinIt_thenTheCampaignCompletes() {
    begin(
        plan(
            fleet(10),
            List.of(stage("all", new StageSize.Rest(), 10, new Gate.None())),
            new FailureBudget.Percent(20)));
    feed(new Start(), T0);
    assertThat(state.plan().allowedFailures()).isEqualTo(2);

    feed(new UpdateFinished(db(0), false, "x"), T0);
    feed(new UpdateFinished(db(1), false, "x"), T0);
    for (int i = 2; i < 9; i++) {
      feed(new UpdateFinished(db(i), true, "Successful"), T0);
    }
    assertThat(feed(new UpdateFinished(db(9), true, "Successful"), T0))
        .endsWith(new CampaignFinished(Outcome.COMPLETED, 8, 2, 0));
  }

  @Test
  void givenARunningCampaign_whenPausedAndResumed_thenNothingStartsWhilePaused() {
    begin(
        plan(
            fleet(4),
            List.of(stage("all", new StageSize.Rest(), 2, new Gate.None())),
            new FailureBudget.Count(4)));
    feed(new Start(), T0);

    assertThat(feed(new Pause("ops"), T0)).containsExactly(new CampaignPaused("ops"));
    assertThat(state.phase()).isEqualTo("Paused");
    assertThat(feed(new Pause("ops"), T0)).isEmpty();
    assertThat(feed(new UpdateFinished(db(0), true, "Successful"), T0))
        .containsExactly(new DatabaseUpdateFinished(db(0), true, "Successful"));
    assertThat(feed(new Tick(), T0.plusSeconds(3600))).isEmpty();
    assertThat(feed(new Resume("ops"), T0))
        .containsExactly(new CampaignResumed("ops"), requested("all", 2));
  }

  @Test
  void givenARunningCampaign_whenCancelled_thenItEndsCancelledOnceTheRunningOnesFinish() {
    begin(
        plan(
            fleet(4),
            List.of(stage("all", new StageSize.Rest(), 2, new Gate.None())),
            new FailureBudget.Count(4)));
    feed(new Start(), T0);

    assertThat(feed(new Cancel("ops"), T0)).containsExactly(new CampaignCancelled("ops"));
    assertThat(feed(new Cancel("ops"), T0)).isEmpty();
    assertThat(feed(new UpdateFinished(db(0), true, "Successful"), T0))
        .containsExactly(new DatabaseUpdateFinished(db(0), true, "Successful"));
    assertThat(feed(new UpdateFinished(db(1), false, "x"), T0))
        .containsExactly(
            new DatabaseUpdateFinished(db(1), false, "x"),
            new CampaignFinished(Outcome.CANCELLED, 1, 1, 2));
  }

  @Test
  void givenACampaignNotStarted_whenCancelled_thenItEndsAtOnceAndNeverStarts() {
    begin(
        plan(
            fleet(1),
            List.of(stage("all", new StageSize.Rest(), 2, new Gate.None())),
            new FailureBudget.Count(0)));

    assertThat(feed(new Cancel("ops"), T0))
        .containsExactly(
            new CampaignCancelled("ops"), new CampaignFinished(Outcome.CANCELLED, 0, 0, 1));
    assertThat(feed(new Start(), T0)).isEmpty();
  }

  @Test
  void givenAMemberOutsideItsWindow_whenItsTurnComes_thenItWaitsVisiblyAndStartsWhenItOpens() {
    // Monday 10:00 UTC now; the window opens on Monday 22:00 UTC for two hours
    WindowSchedule nightly =
        new WindowSchedule(
            ZoneOffset.UTC,
            List.of(
                new WindowSchedule.DayRange(DayOfWeek.MONDAY, LocalTime.of(22, 0), LocalTime.MIDNIGHT)),
            List.of());
    List<FleetMember> fleet =
        List.of(
            new FleetMember("ns", "db-0000", Map.of(), CampaignFixtures.FROM, nightly),
            new FleetMember("ns", "db-0001", Map.of(), CampaignFixtures.FROM, null));
    begin(
        plan(
            fleet,
            List.of(stage("all", new StageSize.Rest(), 1, new Gate.None())),
            new FailureBudget.Count(0)));
    Instant opens = Instant.parse("2026-03-02T22:00:00Z");

    assertThat(feed(new Start(), T0))
        .containsExactly(
            new CampaignStarted(2, 0),
            new StageStarted("all", 2),
            new DatabaseWaitingForWindow(db(0), opens),
            requested("all", 1));
    assertThat(CampaignDecider.nextWakeUp(state, T0)).as("no free slot yet").isEmpty();
    feed(new UpdateFinished(db(1), true, "Successful"), T0);
    assertThat(CampaignDecider.nextWakeUp(state, T0)).contains(opens);
    assertThat(feed(new Tick(), opens.minusSeconds(1))).isEmpty();
    assertThat(feed(new Tick(), opens)).containsExactly(requested("all", 0));
  }

  @Test
  void givenAMemberWhoseWindowNeverOpensAgain_whenItsTurnComes_thenItIsSkippedAndTheCampaignEnds() {
    WindowSchedule past =
        new WindowSchedule(
            ZoneOffset.UTC,
            List.of(),
            List.of(
                new WindowSchedule.DateRange(
                    LocalDateTime.parse("2020-01-01T00:00"), LocalDateTime.parse("2020-01-02T00:00"))));
    begin(
        plan(
            List.of(new FleetMember("ns", "db-0000", Map.of(), CampaignFixtures.FROM, past)),
            List.of(stage("all", new StageSize.Rest(), 1, new Gate.None())),
            new FailureBudget.Count(0)));

    assertThat(feed(new Start(), T0))
        .containsExactly(
            new CampaignStarted(1, 0),
            new StageStarted("all", 1),
            new DatabaseSkipped(db(0), CampaignDecider.REASON_WINDOW_NEVER_OPENS),
            new StageCompleted("all", 0, 0, 1),
            new CampaignFinished(Outcome.COMPLETED, 0, 0, 1));
  }
}
