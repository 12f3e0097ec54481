package io.pxops.events.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.Command;
import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.events.OpsPhase;
import io.pxops.events.ReplayRequested;
import io.pxops.events.RequestFailed;
import io.pxops.events.RequestSkipped;
import io.pxops.events.RequestStarted;
import io.pxops.events.RequestSucceeded;
import io.pxops.events.RequestWaitingForWindow;
import io.pxops.events.Step;
import io.pxops.events.StepStarted;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The invariants of {@link UpdatePlan} (its Javadoc), as assertions over one decision. */
final class PlanInvariants {

  private PlanInvariants() {}

  /** Invariants of a single state. */
  static void checkState(DatabaseState state, String context) {
    RequestProgress active = state.active();
    List<String> refs = new ArrayList<>();
    if (active != null) {
      refs.add(active.ref());
      assertThat(active.phase()).as(context + ": active phase").isEqualTo(OpsPhase.PROGRESSING);
      if (active.waitingForWindow()) {
        assertThat(active.awaitingCommandId()).as(context + ": waiting for the window, no command").isNull();
        assertThat(active.stepDeadline()).as(context + ": waiting for the window, no deadline").isNull();
        assertThat(active.step()).as(context + ": waits only before an eviction").isEqualTo(Step.EVICT_POD);
        assertThat(active.failure()).as(context + ": a failing request does not wait").isNull();
      } else {
        assertThat(active.awaitingCommandId()).as(context + ": active awaits a command").isNotNull();
        assertThat(active.stepDeadline()).as(context + ": active has a deadline").isNotNull();
      }
      assertThat(active.step()).as(context + ": active has a step").isNotNull();
      assertThat(active.pod() != null).as(context + ": pod iff per-pod step").isEqualTo(active.step().perPod());
      if (active.failure() != null) {
        assertThat(active.step()).as(context + ": a failing request only resumes").isEqualTo(Step.RESUME_DATABASE);
      }
    }
    assertThat(state.pending().size()).as(context + ": at most one pending (newest wins)").isLessThanOrEqualTo(1);
    if (!state.pending().isEmpty() && active == null) {
      assertThat(state.pending().get(0).waitingForWindow())
          .as(context + ": pending only behind an active request, or waiting for its window").isTrue();
    }
    if (active != null) {
      assertThat(state.pending()).as(context + ": only a request nothing holds back waits to start")
          .noneMatch(RequestProgress::waitingForWindow);
    }
    for (RequestProgress p : state.pending()) {
      refs.add(p.ref());
      assertThat(p.phase()).as(context + ": pending phase").isEqualTo(OpsPhase.PENDING);
      assertThat(p.awaitingCommandId()).as(context + ": pending awaits nothing").isNull();
    }
    assertThat(state.finished().size()).as(context + ": finished bounded").isLessThanOrEqualTo(DatabaseState.FINISHED_LIMIT);
    for (Map.Entry<String, RequestProgress> e : state.finished().entrySet()) {
      RequestProgress p = e.getValue();
      refs.add(p.ref());
      assertThat(p.ref()).as(context + ": finished key").isEqualTo(e.getKey());
      assertThat(p.phase().terminal()).as(context + ": finished are terminal").isTrue();
      assertThat(p.awaitingCommandId()).as(context + ": finished awaits nothing").isNull();
      assertThat(p.waitingForWindow()).as(context + ": finished waits for nothing").isFalse();
      if (p.phase() == OpsPhase.SUCCESSFUL) {
        assertThat(p.paused()).as(context + ": resumed before Successful").isFalse();
        assertThat(p.failure()).isNull();
      }
      if (p.phase() == OpsPhase.FAILED) {
        assertThat(p.failure()).as(context + ": Failed has a reason").isNotNull();
        if (p.paused()) {
          assertThat(p.failure().step())
              .as(context + ": resumed before Failed, unless the resume failed")
              .isEqualTo(Step.RESUME_DATABASE);
        }
      }
    }
    assertThat(new HashSet<>(refs)).as(context + ": each request in one place").hasSize(refs.size());
  }

  /**
   * Invariants across one decision.
   *
   * @param causation the input's event id (for a tick: the timed-out command's id)
   * @param replayOf the ops request a ReplayRequested input names, or {@code null}
   */
  static void checkDecision(
      DatabaseState before, Decision decision, String causation, String replayOf, String context) {
    DatabaseState after = decision.next();
    checkState(after, context);

    // terminal phases are absorbing; a replayed Failed request starts a new attempt
    for (RequestProgress was : before.finished().values()) {
      RequestProgress now = after.finished().get(was.ref());
      if (now != null) {
        assertThat(now).as(context + ": finished " + was.ref() + " unchanged").isEqualTo(was);
      } else if (after.find(was.ref()).isPresent()) {
        RequestProgress again = after.find(was.ref()).get();
        assertThat(was.ref()).as(context + ": only a replay revives " + was.ref()).isEqualTo(replayOf);
        assertThat(was.phase()).as(context + ": only Failed is replayed").isEqualTo(OpsPhase.FAILED);
        assertThat(again.attempt()).isEqualTo(was.attempt() + 1);
        assertThat(again.podsDone()).containsAll(was.podsDone());
      } else {
        assertThat(after.finished()).as(context + ": forgotten only when full").hasSize(DatabaseState.FINISHED_LIMIT);
      }
    }
    // requests never vanish while they run or wait
    if (before.active() != null) {
      assertThat(after.find(before.active().ref())).as(context + ": active kept").isPresent();
    }
    for (RequestProgress p : before.pending()) {
      assertThat(after.find(p.ref())).as(context + ": pending kept").isPresent();
    }

    // outputs
    List<Envelope> out = decision.out();
    Set<String> ids = new HashSet<>();
    int commands = 0;
    for (int i = 0; i < out.size(); i++) {
      Envelope e = out.get(i);
      assertThat(ids.add(e.eventId())).as(context + ": unique ids").isTrue();
      assertThat(e.database()).as(context + ": database").isEqualTo(before.database());
      assertThat(e.causationId()).as(context + ": causation").isEqualTo(causation);
      assertThat(JsonCodec.shared().decode(JsonCodec.shared().encode(e))).as(context + ": wire").isEqualTo(e);
      if (e.payload() instanceof Command) {
        commands++;
        assertThat(after.active()).as(context + ": a command is for the active request").isNotNull();
        assertThat(after.active().awaitingCommandId()).isEqualTo(e.eventId());
        assertThat(after.active().ref()).isEqualTo(e.opsRequest());
        assertThat(i).as(context + ": StepStarted precedes its command").isPositive();
        StepStarted started = (StepStarted) out.get(i - 1).payload();
        assertThat(started.commandId()).isEqualTo(e.eventId());
        assertThat(started.step()).isEqualTo(((Command) e.payload()).step());
      }
      String ref = e.opsRequest();
      if (e.payload() instanceof RequestSucceeded) {
        assertThat(before.active().ref()).as(context + ": only the active request succeeds").isEqualTo(ref);
        assertThat(after.finished().get(ref).phase()).isEqualTo(OpsPhase.SUCCESSFUL);
      } else if (e.payload() instanceof RequestFailed failed) {
        if (before.active() == null || !before.active().ref().equals(ref)) {
          assertThat(failed.reason())
              .as(context + ": only the active request fails, or one whose window never opens")
              .isEqualTo(UpdatePlan.REASON_WINDOW_NEVER_OPENS);
        }
        assertThat(after.finished().get(ref).phase()).isEqualTo(OpsPhase.FAILED);
      } else if (e.payload() instanceof RequestSkipped) {
        assertThat(before.pending()).as(context + ": only a pending request is skipped")
            .anyMatch(p -> p.ref().equals(ref));
        assertThat(after.finished().get(ref).phase()).isEqualTo(OpsPhase.SKIPPED);
      } else if (e.payload() instanceof RequestWaitingForWindow waiting) {
        RequestProgress held = after.find(ref).orElseThrow();
        assertThat(held.windowOpensAt()).as(context + ": waits for the opening it wrote").isEqualTo(waiting.opensAt());
        assertThat(waiting.opensAt()).as(context + ": opens later").isAfter(e.occurredAt());
        assertThat(commands).as(context + ": no command while waiting for the window").isZero();
      } else if (e.payload() instanceof RequestStarted) {
        assertThat(after.active().ref()).as(context + ": started is active").isEqualTo(ref);
        assertThat(((RequestStarted) e.payload()).attempt()).isEqualTo(after.active().attempt());
      }
    }
    assertThat(commands).as(context + ": at most one command per decision").isLessThanOrEqualTo(1);
  }

  static String replayTarget(Envelope input) {
    return input.payload() instanceof ReplayRequested ? input.opsRequest() : null;
  }
}
