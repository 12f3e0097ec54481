package io.pxops.events.campaign;

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
import io.pxops.events.campaign.CampaignInput.UpdateFinished;
import io.pxops.events.campaign.CampaignPlan.PlannedMember;
import io.pxops.events.campaign.CampaignPlan.PlannedStage;
import io.pxops.events.campaign.CampaignState.MemberPhase;
import io.pxops.events.campaign.CampaignState.StagePhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A campaign's state machine, as a decider: {@link #decide} says what an input means (events),
 * {@link #evolve} applies one event to the state. The state is always the fold of the events, so a
 * campaign is rebuilt from its log; both functions are pure (time is {@code decide}'s argument).
 *
 * <p>The rules, each enforced by a test ({@code CampaignDeciderPropertiesTest} over random fleets,
 * stages, budgets and completion orders; {@code CampaignDeciderTest} by example):
 *
 * <ol>
 *   <li><b>Start.</b> {@code Start} begins a campaign not yet started or cancelled: {@code
 *       CampaignStarted}. Repeated, it changes nothing.
 *   <li><b>Stages in order.</b> Only one stage is current; the next one is reached only when every
 *       member of the current one ended ({@code StageCompleted}). So the canary finishes before any
 *       other database starts.
 *   <li><b>Gates.</b> On reaching a stage its gate applies: none starts it at once; a wait emits
 *       {@code StageWaiting(until = now + wait)} and the stage starts at the first decision at or
 *       after {@code until}; an approval emits {@code StageAwaitingApproval} and the stage starts
 *       only after {@code Approve} naming that stage while it awaits approval ({@code
 *       StageApproved}); an approval given at any other moment changes nothing.
 *   <li><b>Concurrency.</b> A running stage starts its pending members in plan order ({@code
 *       DatabaseUpdateRequested}) while fewer than its {@code maxConcurrent} run.
 *   <li><b>Windows.</b> A member whose window is closed is passed over, once noted with {@code
 *       DatabaseWaitingForWindow(opensAt)}; it starts at the first decision its window is open
 *       and a slot is free. A member whose window never opens again is {@code DatabaseSkipped}
 *       (so the campaign never waits forever).
 *   <li><b>Results.</b> {@code UpdateFinished} for a running member ends it ({@code
 *       DatabaseUpdateFinished}); for any other member (a redelivery, an unknown database) it
 *       changes nothing.
 *   <li><b>Budget.</b> When the failures exceed the allowed count, {@code BudgetExhausted}: no
 *       further member or stage starts; the running members finish (their rolling updates are not
 *       stopped between pods, which would leave mixed-version clusters), and then {@code
 *       CampaignFinished(BUDGET_EXHAUSTED)}.
 *   <li><b>Pause/resume.</b> {@code Pause} (of a started, running campaign) stops starting members
 *       and stages; running ones finish; wait gates keep counting. {@code Resume} undoes it.
 *   <li><b>Cancel.</b> {@code Cancel} of a campaign not finished: nothing more starts; once no
 *       member runs, {@code CampaignFinished(CANCELLED)}. Cancelling twice changes nothing.
 *   <li><b>End.</b> After the last stage completes, {@code CampaignFinished(COMPLETED)}. A finished
 *       campaign ignores every input.
 * </ol>
 *
 * <p>Every input is followed by the same "advance" pass, so a {@code Tick} is how time alone
 * moves a campaign (a wait gate ends, a window opens).
 */
public final class CampaignDecider {

  /** The reason of a member skipped because its window never opens again. */
  public static final String REASON_WINDOW_NEVER_OPENS = "WindowNeverOpens";

  private CampaignDecider() {}

  /**
   * The state before any event.
   *
   * @param plan the campaign's plan
   * @return the initial state
   */
  public static CampaignState initial(CampaignPlan plan) {
    return CampaignState.initial(plan);
  }

  /**
   * What an input means.
   *
   * @param state the campaign's state
   * @param input what happened
   * @param now the caller's clock
   * @return the events, in order (empty if the input changes nothing)
   */
  public static List<CampaignEvent> decide(CampaignState state, CampaignInput input, Instant now) {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(now, "now");
    Out out = new Out(state);
    if (!state.finished()) {
      take(out, input);
      advance(out, now);
    }
    return out.events;
  }

  /**
   * Applies one event.
   *
   * @param state the state
   * @param event an event {@link #decide} produced
   * @return the state after it
   */
  public static CampaignState evolve(CampaignState state, CampaignEvent event) {
    if (event instanceof CampaignStarted) {
      return state.withStage(0, StagePhase.ENTERING, null);
    } else if (event instanceof StageWaiting w) {
      return state.withStage(state.stage(), StagePhase.WAITING, w.until());
    } else if (event instanceof StageAwaitingApproval) {
      return state.withStage(state.stage(), StagePhase.AWAITING_APPROVAL, null);
    } else if (event instanceof StageApproved) {
      return state.withStage(state.stage(), StagePhase.APPROVED, null);
    } else if (event instanceof StageStarted) {
      return state.withStage(state.stage(), StagePhase.RUNNING, null);
    } else if (event instanceof StageCompleted) {
      return state.withStage(state.stage() + 1, StagePhase.ENTERING, null);
    } else if (event instanceof DatabaseUpdateRequested r) {
      return state.withMember(r.database(), MemberPhase.RUNNING);
    } else if (event instanceof DatabaseWaitingForWindow w) {
      return state.withMember(w.database(), MemberPhase.WAITING_FOR_WINDOW);
    } else if (event instanceof DatabaseSkipped s) {
      return state.withMember(s.database(), MemberPhase.SKIPPED);
    } else if (event instanceof DatabaseUpdateFinished f) {
      return state.withMember(
          f.database(), f.succeeded() ? MemberPhase.SUCCEEDED : MemberPhase.FAILED);
    } else if (event instanceof BudgetExhausted) {
      return state.withFlags(state.paused(), state.cancelled(), true);
    } else if (event instanceof CampaignPaused) {
      return state.withFlags(true, state.cancelled(), state.budgetExhausted());
    } else if (event instanceof CampaignResumed) {
      return state.withFlags(false, state.cancelled(), state.budgetExhausted());
    } else if (event instanceof CampaignCancelled) {
      return state.withFlags(state.paused(), true, state.budgetExhausted());
    } else if (event instanceof CampaignFinished f) {
      return state.withOutcome(f.outcome());
    }
    throw new IllegalArgumentException("unknown campaign event " + event);
  }

  /**
   * When time alone would next move the campaign: the end of the current stage's wait gate, or the
   * earliest opening of the window of a member waiting for it while its stage has a free slot. The
   * caller schedules a {@code Tick} then (plus its periodic ticks, as a guard); a {@code Tick}
   * before it changes nothing. Nothing to wake up for (a campaign that waits for results, an
   * approval, a resume, or has finished) is empty.
   *
   * @param state the campaign's state
   * @param now the caller's clock
   * @return the instant to tick at, never before {@code now}
   */
  public static Optional<Instant> nextWakeUp(CampaignState state, Instant now) {
    PlannedStage stage = state.currentStage();
    if (stage == null || state.finished() || state.paused() || state.cancelled() || state.budgetExhausted()) {
      return Optional.empty();
    }
    if (state.stagePhase() == StagePhase.WAITING) {
      return Optional.of(state.waitUntil().isBefore(now) ? now : state.waitUntil());
    }
    if (state.stagePhase() != StagePhase.RUNNING) {
      return Optional.empty();
    }
    long running =
        stage.members().stream()
            .filter(m -> state.members().get(m.database()) == MemberPhase.RUNNING)
            .count();
    if (running >= stage.maxConcurrent()) {
      return Optional.empty();
    }
    return stage.members().stream()
        .filter(m -> state.members().get(m.database()) == MemberPhase.WAITING_FOR_WINDOW)
        .map(m -> m.window().nextOpening(now))
        .flatMap(Optional::stream)
        .min(Instant::compareTo);
  }

  /**
   * Decides and applies: the convenience the callers and tests use.
   *
   * @param state the state
   * @param input what happened
   * @param now the caller's clock
   * @return the events and the state after them
   */
  public static Step step(CampaignState state, CampaignInput input, Instant now) {
    List<CampaignEvent> events = decide(state, input, now);
    CampaignState next = state;
    for (CampaignEvent e : events) {
      next = evolve(next, e);
    }
    return new Step(next, events);
  }

  /**
   * A decision applied.
   *
   * @param state the state after the events
   * @param events the events
   */
  public record Step(CampaignState state, List<CampaignEvent> events) {
    /** Copies the events. */
    public Step {
      events = List.copyOf(events);
    }
  }

  // ---- rules 1, 3, 6-9: the input itself ------------------------------------------------

  private static void take(Out out, CampaignInput input) {
    CampaignState s = out.state;
    boolean stopping = s.cancelled() || s.budgetExhausted();
    if (input instanceof Start) {
      if (!s.started() && !s.cancelled()) {
        out.emit(new CampaignStarted(s.members().size(), s.plan().allowedFailures()));
      }
    } else if (input instanceof UpdateFinished f) {
      if (s.members().get(f.database()) == MemberPhase.RUNNING) {
        out.emit(new DatabaseUpdateFinished(f.database(), f.succeeded(), f.reason()));
        int failed = out.state.count(MemberPhase.FAILED);
        if (!out.state.budgetExhausted() && failed > s.plan().allowedFailures()) {
          out.emit(new BudgetExhausted(failed, s.plan().allowedFailures()));
        }
      }
    } else if (input instanceof Approve a) {
      PlannedStage stage = s.currentStage();
      if (!stopping
          && stage != null
          && s.stagePhase() == StagePhase.AWAITING_APPROVAL
          && stage.name().equals(a.stage())) {
        out.emit(new StageApproved(a.stage(), a.by()));
      }
    } else if (input instanceof Pause p) {
      if (s.started() && !s.paused() && !stopping) {
        out.emit(new CampaignPaused(p.by()));
      }
    } else if (input instanceof Resume r) {
      if (s.paused() && !stopping) {
        out.emit(new CampaignResumed(r.by()));
      }
    } else if (input instanceof Cancel c) {
      if (!s.cancelled()) {
        out.emit(new CampaignCancelled(c.by()));
      }
    }
  }

  // ---- rules 2-5, 7, 9, 10: what follows, given the time ------------------------------------

  private static void advance(Out out, Instant now) {
    // each round moves the current stage forward one phase or returns, so stages × 5 rounds end it
    int rounds = out.state.plan().stages().size() * 5 + 5;
    for (int round = 0; round < rounds; round++) {
      CampaignState s = out.state;
      if (s.finished()) {
        return;
      }
      if (s.cancelled() || s.budgetExhausted()) {
        if (s.count(MemberPhase.RUNNING) == 0) {
          out.emit(finished(s, s.cancelled() ? Outcome.CANCELLED : Outcome.BUDGET_EXHAUSTED));
        }
        return;
      }
      if (!s.started() || s.paused()) {
        return;
      }
      PlannedStage stage = s.currentStage();
      if (stage == null) {
        out.emit(finished(s, Outcome.COMPLETED));
        return;
      }
      switch (s.stagePhase()) {
        case ENTERING -> {
          Gate gate = stage.gate();
          if (gate instanceof Gate.Wait w) {
            out.emit(new StageWaiting(stage.name(), now.plus(w.duration())));
          } else if (gate instanceof Gate.Approval) {
            out.emit(new StageAwaitingApproval(stage.name()));
          } else {
            out.emit(new StageStarted(stage.name(), stage.members().size()));
          }
        }
        case WAITING -> {
          if (now.isBefore(s.waitUntil())) {
            return;
          }
          out.emit(new StageStarted(stage.name(), stage.members().size()));
        }
        case AWAITING_APPROVAL -> {
          return;
        }
        case APPROVED -> out.emit(new StageStarted(stage.name(), stage.members().size()));
        case RUNNING -> {
          startMembers(out, stage, now);
          if (!stage.members().stream()
              .allMatch(m -> out.state.members().get(m.database()).ended())) {
            return;
          }
          out.emit(completed(out.state, stage));
        }
      }
    }
  }

  private static void startMembers(Out out, PlannedStage stage, Instant now) {
    int running =
        (int)
            stage.members().stream()
                .filter(m -> out.state.members().get(m.database()) == MemberPhase.RUNNING)
                .count();
    for (PlannedMember m : stage.members()) {
      if (running >= stage.maxConcurrent()) {
        return;
      }
      MemberPhase phase = out.state.members().get(m.database());
      if (phase != MemberPhase.PENDING && phase != MemberPhase.WAITING_FOR_WINDOW) {
        continue;
      }
      if (m.window().isOpenAt(now)) {
        out.emit(
            new DatabaseUpdateRequested(
                stage.name(), m.database(), m.fromVersion(), m.targetVersion()));
        running++;
      } else if (phase == MemberPhase.PENDING) {
        Optional<Instant> opens = m.window().nextOpening(now);
        out.emit(
            opens.isPresent()
                ? new DatabaseWaitingForWindow(m.database(), opens.get())
                : new DatabaseSkipped(m.database(), REASON_WINDOW_NEVER_OPENS));
      }
    }
  }

  private static StageCompleted completed(CampaignState s, PlannedStage stage) {
    int ok = 0;
    int failed = 0;
    int skipped = 0;
    for (PlannedMember m : stage.members()) {
      switch (s.members().get(m.database())) {
        case SUCCEEDED -> ok++;
        case FAILED -> failed++;
        default -> skipped++;
      }
    }
    return new StageCompleted(stage.name(), ok, failed, skipped);
  }

  private static CampaignFinished finished(CampaignState s, Outcome outcome) {
    int ok = s.count(MemberPhase.SUCCEEDED);
    int failed = s.count(MemberPhase.FAILED);
    return new CampaignFinished(outcome, ok, failed, s.members().size() - ok - failed);
  }

  /** The events of one decision, applied as they are emitted so later rules see them. */
  private static final class Out {
    private final List<CampaignEvent> events = new ArrayList<>();
    private CampaignState state;

    Out(CampaignState state) {
      this.state = state;
    }

    void emit(CampaignEvent event) {
      events.add(event);
      state = evolve(state, event);
    }
  }
}
