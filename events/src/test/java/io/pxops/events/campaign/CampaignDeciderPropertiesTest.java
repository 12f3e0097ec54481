package io.pxops.events.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.campaign.CampaignEvent.BudgetExhausted;
import io.pxops.events.campaign.CampaignEvent.CampaignFinished;
import io.pxops.events.campaign.CampaignEvent.DatabaseUpdateFinished;
import io.pxops.events.campaign.CampaignEvent.DatabaseUpdateRequested;
import io.pxops.events.campaign.CampaignEvent.Outcome;
import io.pxops.events.campaign.CampaignEvent.StageApproved;
import io.pxops.events.campaign.CampaignEvent.StageStarted;
import io.pxops.events.campaign.CampaignEvent.StageWaiting;
import io.pxops.events.campaign.CampaignInput.Approve;
import io.pxops.events.campaign.CampaignInput.Cancel;
import io.pxops.events.campaign.CampaignInput.Pause;
import io.pxops.events.campaign.CampaignInput.Resume;
import io.pxops.events.campaign.CampaignInput.Start;
import io.pxops.events.campaign.CampaignInput.Tick;
import io.pxops.events.campaign.CampaignInput.UpdateFinished;
import io.pxops.events.campaign.CampaignPlan.PlannedMember;
import io.pxops.events.campaign.CampaignPlan.PlannedStage;
import io.pxops.events.campaign.CampaignState.MemberPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The decider's safety rules over random fleets, stages, gates and budgets, driven by a random
 * mix of results (in any order, some failing, some delivered twice), ticks, approvals (right and
 * wrong), pauses, resumes and cancels; then liveness: driven to the end, every campaign finishes
 * with counts that add up. The invariants are checked after every single decision.
 */
class CampaignDeciderPropertiesTest {

  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  /** A random campaign: fleet size, stages, budget. */
  record Scenario(int fleet, List<StageSpec> stages, FailureBudget budget) {}

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<Gate> gates =
        Arbitraries.oneOf(
            Arbitraries.just(new Gate.None()),
            Arbitraries.just(new Gate.Approval()),
            Arbitraries.integers().between(1, 120).map(m -> new Gate.Wait(Duration.ofMinutes(m))));
    Arbitrary<StageSize> sizes =
        Arbitraries.oneOf(
            Arbitraries.integers().between(1, 6).map(StageSize.Count::new),
            Arbitraries.integers().between(1, 100).map(StageSize.Percent::new));
    Arbitrary<StageSpec> stage =
        Combinators.combine(sizes, Arbitraries.integers().between(1, 6), gates)
            .as((size, max, gate) -> new StageSpec("s", size, max, gate));
    Arbitrary<List<StageSpec>> stages =
        Combinators.combine(stage.list().ofMinSize(1).ofMaxSize(4), Arbitraries.of(true, false))
            .as(
                (list, restLast) -> {
                  List<StageSpec> named = new ArrayList<>();
                  for (int i = 0; i < list.size(); i++) {
                    StageSpec s = list.get(i);
                    StageSize size =
                        restLast && i == list.size() - 1 ? new StageSize.Rest() : s.size();
                    named.add(new StageSpec("stage-" + i, size, s.maxConcurrent(), s.gate()));
                  }
                  return named;
                });
    Arbitrary<FailureBudget> budgets =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 5).map(FailureBudget.Count::new),
            Arbitraries.integers().between(0, 60).map(FailureBudget.Percent::new));
    return Combinators.combine(Arbitraries.integers().between(0, 40), stages, budgets)
        .as(Scenario::new);
  }

  @Property
  void givenRandomCampaignsAndRandomInputs_whenDriven_thenEveryRuleHoldsAfterEveryDecision(
      @ForAll("scenarios") Scenario scenario,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 40) int failPercent) {
    Random random = new Random(seed);
    CampaignPlan plan =
        CampaignFixtures.plan(withWindows(scenario.fleet(), random), scenario.stages(), scenario.budget());
    Checker run = new Checker(plan);
    run.feed(new Start());
    for (int i = 0; i < 400 && !run.state.finished(); i++) {
      run.feed(randomInput(run, random, failPercent));
    }
    // liveness: resume, approve, let time pass and finish what runs, until the end
    for (int i = 0; i < 10_000 && !run.state.finished(); i++) {
      if (run.state.paused()) {
        run.feed(new Resume("driver"));
      } else if (run.state.currentStage() != null
          && run.state.stagePhase() == CampaignState.StagePhase.AWAITING_APPROVAL) {
        run.feed(new Approve(run.state.currentStage().name(), "driver"));
      } else if (!run.running().isEmpty()) {
        String db = run.running().get(random.nextInt(run.running().size()));
        run.feed(new UpdateFinished(db, random.nextInt(100) >= failPercent, "r"));
      } else {
        // nothing runs, nothing is paused or awaits approval: only time can move it, so there
        // must be a wake-up (else the campaign would wait forever)
        java.util.Optional<Instant> wake = CampaignDecider.nextWakeUp(run.state, run.now);
        assertThat(wake).as("a stalled campaign has a wake-up").isPresent();
        run.advanceTime(Duration.between(run.now, wake.get()));
        run.feed(new Tick());
      }
    }
    assertThat(run.state.finished()).as("the campaign finished").isTrue();
    run.checkEnd();
  }

  /**
   * The fleet, most databases always open, some with a weekly window of a few hours (UTC or
   * Berlin), a few with a window that closed for good (they must be skipped, not waited for).
   */
  private static List<FleetMember> withWindows(int size, Random random) {
    List<FleetMember> fleet = new ArrayList<>();
    for (FleetMember db : CampaignFixtures.fleet(size)) {
      int dice = random.nextInt(10);
      MaintenanceWindow window = MaintenanceWindow.ALWAYS;
      if (dice < 3) {
        java.time.LocalTime start = java.time.LocalTime.of(random.nextInt(24), 15 * random.nextInt(4));
        window =
            new WindowSchedule(
                dice == 0 ? java.time.ZoneId.of("Europe/Berlin") : java.time.ZoneOffset.UTC,
                List.of(
                    new WindowSchedule.DayRange(
                        java.time.DayOfWeek.of(1 + random.nextInt(7)), start, start.plusHours(1 + random.nextInt(6)))),
                List.of());
      } else if (dice == 3) {
        window =
            new WindowSchedule(
                java.time.ZoneOffset.UTC,
                List.of(),
                List.of(
                    new WindowSchedule.DateRange(
                        java.time.LocalDateTime.parse("2020-01-01T00:00"),
                        java.time.LocalDateTime.parse("2020-01-02T00:00"))));
      }
      fleet.add(new FleetMember(db.namespace(), db.name(), db.labels(), db.currentVersion(), window));
    }
    return fleet;
  }

  private static CampaignInput randomInput(Checker run, Random random, int failPercent) {
    int dice = random.nextInt(100);
    List<String> running = run.running();
    if (dice < 45 && !running.isEmpty()) {
      String db = running.get(random.nextInt(running.size()));
      return new UpdateFinished(db, random.nextInt(100) >= failPercent, "r");
    }
    if (dice < 55) {
      // a redelivery or a result for a database not running
      List<String> all = new ArrayList<>(run.state.members().keySet());
      all.add("other/db");
      return new UpdateFinished(all.get(random.nextInt(all.size())), random.nextBoolean(), "r");
    }
    if (dice < 75) {
      run.advanceTime(Duration.ofMinutes(random.nextInt(90)));
      return new Tick();
    }
    if (dice < 85) {
      int stages = run.state.plan().stages().size();
      return new Approve("stage-" + random.nextInt(stages + 1), "someone");
    }
    if (dice < 91) {
      return new Pause("someone");
    }
    if (dice < 98) {
      return new Resume("someone");
    }
    return new Cancel("someone");
  }

  /** Feeds inputs and checks the rules after each decision. */
  private static final class Checker {
    private final CampaignPlan plan;
    private final Map<String, Integer> stageOf = new HashMap<>();
    private final Set<String> approved = new HashSet<>();
    private final Map<String, Instant> waitUntil = new HashMap<>();
    private final List<CampaignEvent> log = new ArrayList<>();
    private CampaignState state;
    private Instant now = T0;

    Checker(CampaignPlan plan) {
      this.plan = plan;
      this.state = CampaignDecider.initial(plan);
      for (int i = 0; i < plan.stages().size(); i++) {
        for (PlannedMember m : plan.stages().get(i).members()) {
          stageOf.put(m.database(), i);
        }
      }
    }

    void advanceTime(Duration d) {
      now = now.plus(d);
    }

    List<String> running() {
      return state.members().entrySet().stream()
          .filter(e -> e.getValue() == MemberPhase.RUNNING)
          .map(Map.Entry::getKey)
          .sorted()
          .toList();
    }

    void feed(CampaignInput input) {
      CampaignState before = state;
      CampaignDecider.Step step = CampaignDecider.step(before, input, now);
      state = step.state();
      log.addAll(step.events());
      checkDecision(before, input, step.events());
      checkState();
      // time alone moves nothing before the next wake-up (ticks in between are useless), and
      // a campaign with nothing to wake up for is not moved by time at all
      java.util.Optional<Instant> wake = CampaignDecider.nextWakeUp(state, now);
      Instant justBefore = wake.map(w -> w.minusMillis(1)).orElse(now.plus(Duration.ofDays(3650)));
      if (justBefore.isAfter(now)) {
        assertThat(CampaignDecider.decide(state, new Tick(), justBefore)).as("tick before the wake-up").isEmpty();
      }
      wake.ifPresent(
          w -> {
            assertThat(w).isAfterOrEqualTo(now);
            assertThat(CampaignDecider.decide(state, new Tick(), w)).as("tick at the wake-up").isNotEmpty();
          });
      // the same input again (a redelivery) changes nothing
      if (input instanceof UpdateFinished || input instanceof Approve || input instanceof Start
          || input instanceof Cancel || input instanceof Pause) {
        assertThat(CampaignDecider.decide(state, input, now)).as("redelivered " + input).isEmpty();
      }
    }

    private void checkDecision(CampaignState before, CampaignInput input, List<CampaignEvent> out) {
      boolean stoppedBefore = before.cancelled() || before.budgetExhausted() || before.finished();
      boolean pausedBefore = before.paused() && !(input instanceof Resume);
      for (CampaignEvent e : out) {
        if (e instanceof DatabaseUpdateRequested r) {
          PlannedMember m =
              plan.members().stream().filter(x -> x.database().equals(r.database())).findFirst().orElseThrow();
          assertThat(m.window().isOpenAt(now)).as(r.database() + " starts inside its window").isTrue();
        }
        if (e instanceof DatabaseUpdateRequested || e instanceof StageStarted) {
          assertThat(stoppedBefore).as("start after stop: " + e).isFalse();
          assertThat(pausedBefore).as("start while paused: " + e).isFalse();
        }
        if (e instanceof StageApproved a) {
          approved.add(a.stage());
        }
        if (e instanceof StageWaiting w) {
          waitUntil.put(w.stage(), w.until());
        }
        if (e instanceof StageStarted s) {
          Gate gate = stageNamed(s.stage()).gate();
          if (gate instanceof Gate.Approval) {
            assertThat(approved).as("approved before it starts").contains(s.stage());
          }
          if (gate instanceof Gate.Wait) {
            assertThat(now).as("the wait ended").isAfterOrEqualTo(waitUntil.get(s.stage()));
          }
        }
        if (e instanceof BudgetExhausted b) {
          assertThat(b.failed()).isGreaterThan(plan.allowedFailures());
        }
      }
      // a running member's result is always taken, even after a stop: running ones finish
      if (input instanceof UpdateFinished f
          && before.members().get(f.database()) == MemberPhase.RUNNING) {
        assertThat(out).contains(new DatabaseUpdateFinished(f.database(), f.succeeded(), f.reason()));
      }
      if (before.finished()) {
        assertThat(out).isEmpty();
      }
    }

    private PlannedStage stageNamed(String name) {
      return plan.stages().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private void checkState() {
      // concurrency: never more than the stage's limit, and only the current stage runs
      int[] runningPerStage = new int[plan.stages().size()];
      for (Map.Entry<String, MemberPhase> m : state.members().entrySet()) {
        int stage = stageOf.get(m.getKey());
        if (m.getValue() == MemberPhase.RUNNING) {
          runningPerStage[stage]++;
          assertThat(stage).as("a running member is in the current stage").isEqualTo(state.stage());
        }
        // stages in order: nothing of a later stage began while the current one is not done
        if (stage > state.stage()) {
          assertThat(m.getValue()).as(m.getKey() + " of a later stage").isEqualTo(MemberPhase.PENDING);
        }
        if (stage < state.stage()) {
          assertThat(m.getValue().ended()).as(m.getKey() + " of an earlier stage").isTrue();
        }
      }
      for (int i = 0; i < runningPerStage.length; i++) {
        assertThat(runningPerStage[i]).isLessThanOrEqualTo(plan.stages().get(i).maxConcurrent());
      }
      // the budget: exhausted exactly when more failed than allowed
      assertThat(state.budgetExhausted())
          .isEqualTo(state.count(MemberPhase.FAILED) > plan.allowedFailures());
      if (state.finished()) {
        assertThat(state.count(MemberPhase.RUNNING)).as("finished with none running").isZero();
      }
    }

    void checkEnd() {
      // the state is the fold of the log: a campaign is rebuilt from its events
      CampaignState replayed = CampaignDecider.initial(plan);
      for (CampaignEvent e : log) {
        replayed = CampaignDecider.evolve(replayed, e);
      }
      assertThat(replayed).isEqualTo(state);
      CampaignFinished end = (CampaignFinished) log.get(log.size() - 1);
      assertThat(log.stream().filter(e -> e instanceof CampaignFinished)).hasSize(1);
      assertThat(end.succeeded() + end.failed() + end.notStarted()).isEqualTo(plan.members().size());
      Outcome expected =
          state.cancelled()
              ? Outcome.CANCELLED
              : state.budgetExhausted() ? Outcome.BUDGET_EXHAUSTED : Outcome.COMPLETED;
      assertThat(end.outcome()).isEqualTo(expected);
      if (expected == Outcome.COMPLETED) {
        // only members whose window never opens again are left, skipped
        assertThat(end.notStarted()).isEqualTo(state.count(MemberPhase.SKIPPED));
        assertThat(state.members().values()).allMatch(MemberPhase::ended);
      }
    }
  }
}
