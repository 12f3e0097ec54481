package io.pxops.events.plan;

import io.pxops.events.ResultAcceptance;
import io.pxops.events.CancelRequested;
import io.pxops.events.DatabaseResumed;
import io.pxops.events.Envelope;
import io.pxops.events.Event;
import io.pxops.events.Message;
import io.pxops.events.OpsPhase;
import io.pxops.events.PetSetUpdated;
import io.pxops.events.PodAlreadyUpdated;
import io.pxops.events.PodEvicted;
import io.pxops.events.PodRunning;
import io.pxops.events.PodVerified;
import io.pxops.events.PreflightPassed;
import io.pxops.events.ReplayRequested;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.RequestFailed;
import io.pxops.events.RequestQueued;
import io.pxops.events.RequestSkipped;
import io.pxops.events.RequestSpec;
import io.pxops.events.RequestStarted;
import io.pxops.events.RequestSucceeded;
import io.pxops.events.Step;
import io.pxops.events.StepFailed;
import io.pxops.events.StepProgressed;
import io.pxops.events.StepStarted;
import io.pxops.events.StepTimedOut;
import io.pxops.events.RequestWaitingForWindow;
import io.pxops.events.campaign.MaintenanceWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The update plan: a pure state machine that sequences the UpdateVersion requests of one database.
 * The coordinator keeps one {@link DatabaseState} per database, feeds it every input of that
 * database with {@link #decide}, calls {@link #onTick} periodically, stores {@link Decision#next()}
 * and writes {@link Decision#out()} - all in one Kafka transaction. This class does no I/O.
 *
 * <p>The algorithm, rule by rule (each is enforced by a test):
 *
 * <ol>
 *   <li><b>Scope.</b> An input whose {@code database} is not this state's changes nothing. So do
 *       commands, {@code RequestRejected} and the plan's own outputs read back from the log
 *       ({@code RequestQueued}, {@code RequestStarted}, {@code RequestSkipped}, {@code
 *       RequestSucceeded}, {@code RequestFailed}, {@code StepStarted}, {@code StepTimedOut}).
 *   <li><b>Admission.</b> A {@code RequestAdmitted} whose spec does not match the envelope's ops
 *       request and database, or whose ops request this database already knows (active, pending
 *       or finished), is a duplicate: ignored. Otherwise, if no request holds the database it
 *       starts at once ({@code RequestStarted(1)}, then the first step); if one does, it waits:
 *       {@code RequestQueued}, and - as KubeDB keeps only the newest pending request of a type -
 *       every request pending before it ends {@code RequestSkipped("Superseded")}. "Newest" is the
 *       order of admission on the log. A request waiting for its window (rule 12) is pending too,
 *       so a newer one supersedes it in the same way.
 *   <li><b>Steps.</b> The order is the table in {@link StepPlan}: PREFLIGHT, VERIFY_CLUSTER (not
 *       for a corrective run: a replay or {@code apply: Always}), PAUSE_DATABASE, UPDATE_PETSET,
 *       then per pod EVICT_POD, CHECK_POD_RUNNING, VERIFY_POD, then UPDATE_DATABASE and
 *       RESUME_DATABASE. Starting a step writes {@code StepStarted} and the step's command, whose
 *       {@code eventId} becomes the awaited command id; the step deadline is now + {@code
 *       spec.timeout}. Exactly one command is outstanding per request, and only the active request
 *       has one.
 *   <li><b>Pod order.</b> {@code PetSetUpdated} reports the pods; {@link RestartOrder} orders them:
 *       not-Ready pods first, then highest ordinal first (pod 0 last), leaving out pods that are
 *       Ready on the target image and pods done in an earlier attempt. {@code PodAlreadyUpdated}
 *       (the runner found the pod on the target image) skips CHECK_POD_RUNNING for that pod.
 *   <li><b>Results.</b> A result is accepted only if its ops request is the active one, its {@code
 *       causationId} is the awaited command id, it completes the current step, and (for a per-pod
 *       step) names the current pod. Anything else - a redelivery, a late answer to a retried
 *       command, an answer for another request - changes nothing, so no command is ever issued
 *       twice for one result.
 *   <li><b>Progress.</b> An accepted {@code StepProgressed} moves the deadline to now + timeout (a
 *       joining node, a state transfer, is progress, which can take hours); it writes nothing.
 *   <li><b>Timeout.</b> {@link #onTick} fails the active step once {@code now} is after its
 *       deadline: {@code StepTimedOut}, then rule 8 with reason {@value #REASON_TIMED_OUT}. A
 *       timeout is never retried.
 *   <li><b>Failure.</b> A retriable {@code StepFailed} whose step has used fewer than {@code
 *       spec.maxRetries} retries (counted per condition type, so per step and pod) re-issues the
 *       same command with a new id. Otherwise the request fails: if a {@code PauseDatabase} was
 *       ever issued (the database may be paused), the plan first runs RESUME_DATABASE, still
 *       Progressing but failing, and ends {@code RequestFailed} naming the failed step once {@code
 *       DatabaseResumed} arrives; if not, it ends {@code RequestFailed} at once. A failure of
 *       RESUME_DATABASE itself ends {@code RequestFailed} naming RESUME_DATABASE (the message keeps
 *       the earlier failure): it never loops.
 *   <li><b>End.</b> After RESUME_DATABASE a request without failure ends {@code RequestSucceeded}.
 *       An ended request moves to {@code finished} (the oldest beyond {@link
 *       DatabaseState#FINISHED_LIMIT} are forgotten) and the next pending request starts in the
 *       same decision.
 *   <li><b>Cancel.</b> {@code CancelRequested} for a pending request ends it {@code
 *       RequestSkipped("Cancelled")}. For the active request it changes nothing: stopping a rolling
 *       update between pods would leave a mixed-version cluster for no gain, and KubeDB cannot
 *       cancel a Progressing request either; the {@code CancelRequested} event on the log is the
 *       record that it was asked. For a finished or unknown request it changes nothing.
 *   <li><b>Replay.</b> {@code ReplayRequested} for a Failed request in {@code finished} starts a
 *       new attempt (attempt + 1) - at once, or queued by rule 2 if the database is held. The
 *       attempt is corrective: PREFLIGHT, PAUSE_DATABASE, UPDATE_PETSET (idempotent, the catalog may
 *       have been fixed), then only pods not yet done, in an order recomputed from the new {@code
 *       PetSetUpdated}, then UPDATE_DATABASE and RESUME_DATABASE. Retries start from zero; the
 *       pods done are kept. Replaying a request that is not Failed changes nothing.
 *   <li><b>Window.</b> A request with a maintenance window ({@code spec.window}) starts only while
 *       it is open, and no pod is evicted while it is closed; the time is the {@code now} given to
 *       {@link #decide} and {@link #onTick}, never a clock of the plan's own. A request due to
 *       start (rules 2, 9, 11) while its window is closed writes {@code
 *       RequestWaitingForWindow(opensAt)} and stays Pending, holding the database, with no step
 *       deadline; a request due to evict its next pod (the first, or the next after one is
 *       verified) while its window is closed writes {@code RequestWaitingForWindow(opensAt, pod)}
 *       and stays Progressing with no command outstanding and no step deadline: the pod in hand
 *       always finishes, and nothing times out while waiting. {@link #onTick} at or after {@code
 *       opensAt} starts it (rule 2's {@code RequestStarted}) or evicts that pod, if the window is
 *       open then (if not, it waits on, for the next opening). A window that never opens again
 *       fails the request with reason {@value #REASON_WINDOW_NEVER_OPENS}: at once if it has not
 *       started, after resuming the database (rule 8) if it has. Cancel works while it waits to
 *       start (rule 10: it is Pending); between pods it is a running update, and rule 10 applies.
 * </ol>
 *
 * <p>Invariants, true after every decision (checked for every reachable state and every input by
 * the exhaustive test): at most one request is active per database, and a request is in exactly
 * one of active, pending or finished; a pending request exists only behind an active one, or
 * alone waiting for its window; an active request awaits exactly one command, unless it waits for
 * its window (then none, and no step deadline runs); a
 * request whose database may be paused ends Successful or Failed only after {@code
 * DatabaseResumed}, unless the resume itself failed (then {@code RequestFailed} names
 * RESUME_DATABASE); a terminal request never changes phase again, except a Failed one replayed as a
 * new attempt; every output's {@code causationId} is the input's {@code eventId} (for a tick: the
 * timed-out command's id); a decision issues at most one command; and feeding the same input twice
 * changes nothing the second time.
 */
public final class UpdatePlan {

  /** The failure reason of a step that ran past its deadline. */
  public static final String REASON_TIMED_OUT = "StepTimedOut";

  /** The failure reason of a request whose maintenance window never opens again. */
  public static final String REASON_WINDOW_NEVER_OPENS = "WindowNeverOpens";

  private UpdatePlan() {}

  /**
   * Decides what one input means for a database.
   *
   * @param state the database's current state
   * @param input an event from the log (admission, cancel, replay, or a step result)
   * @param now the coordinator's clock; used for deadlines and {@code occurredAt}
   * @param ids where the ids of emitted messages come from
   * @return the new state and the messages to write; an ignored input gives the same state and no
   *     messages
   */
  public static Decision decide(DatabaseState state, Envelope input, Instant now, IdSource ids) {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(ids, "ids");
    if (!state.database().equals(input.database())) {
      return Decision.unchanged(state);
    }
    Out out = new Out(state.database(), now, ids, input.eventId());
    Message message = input.payload();
    DatabaseState next = state;
    if (message instanceof RequestAdmitted admitted) {
      next = admit(state, input.opsRequest(), admitted.spec(), out);
    } else if (message instanceof CancelRequested cancel) {
      next = cancel(state, input.opsRequest(), cancel, out);
    } else if (message instanceof ReplayRequested) {
      next = replay(state, input.opsRequest(), out);
    } else if (message instanceof Event event && StepPlan.isResult(event.getClass())) {
      next = result(state, input, event, out);
    }
    return new Decision(next, out.messages);
  }

  /**
   * Checks the active step's deadline.
   *
   * @param state the database's current state
   * @param now the coordinator's clock
   * @param ids where the ids of emitted messages come from
   * @return unchanged if nothing is late and no awaited window has opened; otherwise {@code
   *     StepTimedOut} and the failure handling of rule 8, or the start (the next eviction) of a
   *     request whose window opened (rule 12)
   */
  public static Decision onTick(DatabaseState state, Instant now, IdSource ids) {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(ids, "ids");
    RequestProgress active = state.active();
    if (active == null) {
      RequestProgress waiting = state.pending().isEmpty() ? null : state.pending().get(0);
      if (waiting == null || !waiting.waitingForWindow() || now.isBefore(waiting.windowOpensAt())) {
        return Decision.unchanged(state);
      }
      Out out = new Out(state.database(), now, ids, null);
      DatabaseState next = start(state.withoutPending(waiting.ref()), waiting, out);
      return new Decision(next.equals(state) ? state : next, out.messages);
    }
    if (active.waitingForWindow()) {
      if (now.isBefore(active.windowOpensAt())) {
        return Decision.unchanged(state);
      }
      Out out = new Out(state.database(), now, ids, null);
      DatabaseState next = evictOrWait(state, active, active.pod(), out);
      return new Decision(next.equals(state) ? state : next, out.messages);
    }
    if (!now.isAfter(active.stepDeadline())) {
      return Decision.unchanged(state);
    }
    Out out = new Out(state.database(), now, ids, active.awaitingCommandId());
    out.emit(
        active.ref(), new StepTimedOut(active.step(), active.pod(), active.spec().timeout()));
    Failure timedOut =
        new Failure(
            active.step(),
            active.pod(),
            REASON_TIMED_OUT,
            active.step().conditionType(active.pod())
                + " made no progress for "
                + active.spec().timeout());
    return new Decision(fail(state, active, timedOut, out), out.messages);
  }

  // ---- rule 2: admission -------------------------------------------------------------------

  private static DatabaseState admit(
      DatabaseState state, String opsRequest, RequestSpec spec, Out out) {
    if (!spec.ref().equals(opsRequest) || !spec.databaseRef().equals(state.database())) {
      return state;
    }
    if (state.find(opsRequest).isPresent()) {
      return state;
    }
    return startOrQueue(state, RequestProgress.admitted(spec), out);
  }

  private static DatabaseState startOrQueue(DatabaseState state, RequestProgress request, Out out) {
    if (state.active() != null) {
      out.emit(request.ref(), new RequestQueued(1));
      return supersede(state, request, out).withPending(List.of(request));
    }
    // nothing is active, but a request may be waiting for its window: the newer one replaces it
    return start(supersede(state, request, out).withPending(List.of()), request, out);
  }

  /** Ends every pending request {@code RequestSkipped("Superseded")} by {@code request}. */
  private static DatabaseState supersede(DatabaseState state, RequestProgress request, Out out) {
    DatabaseState next = state;
    for (RequestProgress older : state.pending()) {
      out.emit(
          older.ref(),
          new RequestSkipped(
              RequestSkipped.SUPERSEDED,
              "skipped as "
                  + request.ref()
                  + " is the most recent UpdateVersion request for "
                  + state.database()));
      next = next.withFinished(
          older.toBuilder().phase(OpsPhase.SKIPPED).windowOpensAt(null).build());
    }
    return next;
  }

  /** Starts a request on a database nothing holds, or, outside its window, has it wait (rule 12). */
  private static DatabaseState start(DatabaseState state, RequestProgress request, Out out) {
    MaintenanceWindow window = request.spec().effectiveWindow();
    if (!window.isOpenAt(out.now)) {
      Optional<Instant> opens = window.nextOpening(out.now);
      if (opens.isEmpty()) {
        Failure never = neverOpens(StepPlan.first(), null, window, out.now);
        out.emit(
            request.ref(),
            new RequestFailed(never.step(), never.pod(), never.reason(), never.message()));
        return state.withFinished(
            request.toBuilder().phase(OpsPhase.FAILED).failure(never).windowOpensAt(null).build());
      }
      if (!opens.get().equals(request.windowOpensAt())) {
        out.emit(request.ref(), new RequestWaitingForWindow(opens.get(), null, 0));
      }
      return state.withPending(
          List.of(request.toBuilder().phase(OpsPhase.PENDING).windowOpensAt(opens.get()).build()));
    }
    RequestProgress started =
        request.toBuilder().phase(OpsPhase.PROGRESSING).windowOpensAt(null).build();
    out.emit(started.ref(), new RequestStarted(started.attempt()));
    return state.withActive(begin(started, StepPlan.first(), null, 0, out));
  }

  // ---- rule 3: starting a step ---------------------------------------------------------------

  private static RequestProgress begin(
      RequestProgress request, Step step, String pod, int retry, Out out) {
    String commandId = out.ids.nextId();
    Instant deadline = out.now.plus(request.spec().timeout());
    RequestProgress at =
        request.toBuilder()
            .at(step, pod)
            .awaiting(commandId, deadline)
            .paused(request.paused() || step == Step.PAUSE_DATABASE)
            .build();
    out.emit(at.ref(), new StepStarted(step, pod, commandId, deadline, retry));
    out.emit(commandId, at.ref(), StepPlan.command(step, at));
    return at;
  }

  // ---- rules 5, 6, 8: results ----------------------------------------------------------------

  private static DatabaseState result(DatabaseState state, Envelope input, Event result, Out out) {
    RequestProgress active = state.active();
    if (active == null
        || !active.ref().equals(input.opsRequest())
        || !ResultAcceptance.answers(active.awaitingCommandId(), input.causationId())) {
      return state;
    }
    if (result instanceof StepProgressed progressed) {
      if (!sameStep(active, progressed.step(), progressed.pod())) {
        return state;
      }
      return state.withActive(
          active.toBuilder()
              .awaiting(active.awaitingCommandId(), out.now.plus(active.spec().timeout()))
              .build());
    }
    if (result instanceof StepFailed failed) {
      if (!sameStep(active, failed.step(), failed.pod())) {
        return state;
      }
      return failed(state, active, failed, out);
    }
    Optional<StepPlan.Completion> completion = StepPlan.completion(active.step(), result.getClass());
    if (completion.isEmpty()) {
      return state;
    }
    if (active.step().perPod() && !active.pod().equals(podOf(result))) {
      return state;
    }
    RequestProgress absorbed = absorb(active, result);
    Optional<StepPlan.Position> next = StepPlan.next(absorbed, completion.get());
    if (next.isEmpty()) {
      return finish(state, absorbed, out);
    }
    if (next.get().step() == Step.EVICT_POD) {
      return evictOrWait(state, absorbed, next.get().pod(), out);
    }
    return state.withActive(begin(absorbed, next.get().step(), next.get().pod(), 0, out));
  }

  // ---- rule 12: the window, before each eviction ---------------------------------------------

  /**
   * Evicts {@code pod} if the window is open; else waits for it (once noted with {@code
   * RequestWaitingForWindow}), or fails the request if it never opens again.
   */
  private static DatabaseState evictOrWait(
      DatabaseState state, RequestProgress request, String pod, Out out) {
    MaintenanceWindow window = request.spec().effectiveWindow();
    if (window.isOpenAt(out.now)) {
      return state.withActive(
          begin(request.toBuilder().windowOpensAt(null).build(), Step.EVICT_POD, pod, 0, out));
    }
    Optional<Instant> opens = window.nextOpening(out.now);
    if (opens.isEmpty()) {
      RequestProgress stopped = request.toBuilder().windowOpensAt(null).build();
      return fail(state, stopped, neverOpens(Step.EVICT_POD, pod, window, out.now), out);
    }
    if (!opens.get().equals(request.windowOpensAt())) {
      out.emit(
          request.ref(), new RequestWaitingForWindow(opens.get(), pod, request.podsDone().size()));
    }
    return state.withActive(
        request.toBuilder()
            .at(Step.EVICT_POD, pod)
            .awaiting(null, null)
            .windowOpensAt(opens.get())
            .build());
  }

  private static Failure neverOpens(Step step, String pod, MaintenanceWindow window, Instant now) {
    return new Failure(
        step,
        pod,
        REASON_WINDOW_NEVER_OPENS,
        "its maintenance window " + describe(window) + " does not open again after " + now);
  }

  private static String describe(MaintenanceWindow window) {
    try {
      return String.valueOf(io.pxops.events.campaign.WindowJson.write(window));
    } catch (IllegalArgumentException e) {
      return String.valueOf(window); // a window without a wire form (only tests build those)
    }
  }

  private static boolean sameStep(RequestProgress active, Step step, String pod) {
    return step == active.step() && (pod == null || pod.equals(active.pod()));
  }

  private static String podOf(Event result) {
    if (result instanceof PodEvicted evicted) {
      return evicted.pod();
    } else if (result instanceof PodAlreadyUpdated alreadyUpdated) {
      return alreadyUpdated.pod();
    } else if (result instanceof PodRunning running) {
      return running.pod();
    } else if (result instanceof PodVerified verified) {
      return verified.pod();
    }
    return null;
  }

  /** Records what an accepted result tells: replicas, target image and pod order, pods done. */
  private static RequestProgress absorb(RequestProgress active, Event result) {
    RequestProgress.Builder next = active.toBuilder();
    if (result instanceof PreflightPassed passed) {
      next.preflight(passed.replicas(), passed.currentVersion());
    } else if (result instanceof PetSetUpdated updated) {
      next.restart(
          updated.image(), RestartOrder.of(updated.pods(), updated.image(), active.podsDone()));
    } else if (result instanceof PodVerified verified) {
      next.podDone(verified.pod());
    } else if (result instanceof DatabaseResumed) {
      next.paused(false);
    }
    return next.build();
  }

  private static DatabaseState failed(
      DatabaseState state, RequestProgress active, StepFailed failed, Out out) {
    String condition = active.step().conditionType(active.pod());
    int used = active.retries().getOrDefault(condition, 0);
    if (failed.retriable() && used < active.spec().maxRetries()) {
      RequestProgress retrying = active.toBuilder().retries(condition, used + 1).build();
      return state.withActive(begin(retrying, active.step(), active.pod(), used + 1, out));
    }
    return fail(
        state,
        active,
        new Failure(active.step(), active.pod(), failed.reason(), failed.message()),
        out);
  }

  /** Rule 8: resume first if a resume is owed, else end Failed; a failed resume ends it. */
  private static DatabaseState fail(
      DatabaseState state, RequestProgress active, Failure failure, Out out) {
    if (active.step() == Step.RESUME_DATABASE) {
      Failure last =
          active.failure() == null
              ? failure
              : new Failure(
                  Step.RESUME_DATABASE,
                  null,
                  failure.reason(),
                  failure.message()
                      + "; the database may still be paused; the request was failing because "
                      + active.failure().describe());
      return finish(state, active.toBuilder().failure(last).build(), out);
    }
    RequestProgress failing = active.toBuilder().failure(failure).build();
    if (active.paused()) {
      return state.withActive(begin(failing, Step.RESUME_DATABASE, null, 0, out));
    }
    return finish(state, failing, out);
  }

  // ---- rule 9: the end ---------------------------------------------------------------------

  private static DatabaseState finish(DatabaseState state, RequestProgress active, Out out) {
    Failure failure = active.failure();
    OpsPhase phase = failure == null ? OpsPhase.SUCCESSFUL : OpsPhase.FAILED;
    if (failure == null) {
      out.emit(active.ref(), new RequestSucceeded());
    } else {
      out.emit(
          active.ref(),
          new RequestFailed(failure.step(), failure.pod(), failure.reason(), failure.message()));
    }
    RequestProgress ended = active.toBuilder().phase(phase).awaiting(null, null).build();
    DatabaseState next = state.withActive(null).withFinished(ended);
    if (next.pending().isEmpty()) {
      return next;
    }
    RequestProgress first = next.pending().get(0);
    return start(next.withoutPending(first.ref()), first, out);
  }

  // ---- rules 10 and 11: cancel and replay --------------------------------------------------

  private static DatabaseState cancel(
      DatabaseState state, String opsRequest, CancelRequested cancel, Out out) {
    for (RequestProgress waiting : state.pending()) {
      if (waiting.ref().equals(opsRequest)) {
        out.emit(
            opsRequest,
            new RequestSkipped(
                RequestSkipped.CANCELLED,
                "cancelled by " + cancel.requestedBy() + " before it started"));
        return state
            .withoutPending(opsRequest)
            .withFinished(waiting.toBuilder().phase(OpsPhase.SKIPPED).windowOpensAt(null).build());
      }
    }
    return state;
  }

  private static DatabaseState replay(DatabaseState state, String opsRequest, Out out) {
    RequestProgress failed = state.finished().get(opsRequest);
    if (failed == null || failed.phase() != OpsPhase.FAILED) {
      return state;
    }
    RequestProgress again =
        failed.toBuilder()
            .phase(OpsPhase.PENDING)
            .attempt(failed.attempt() + 1)
            .at(null, null)
            .awaiting(null, null)
            .preflight(0, null)
            .restart(null, List.of())
            .clearRetries()
            .failure(null)
            .build();
    return startOrQueue(state.withoutFinished(opsRequest), again, out);
  }

  /** Collects the messages of one decision, all caused by the same input. */
  private static final class Out {
    private final String database;
    private final Instant now;
    private final IdSource ids;
    private final String causationId;
    private final List<Envelope> messages = new ArrayList<>();

    Out(String database, Instant now, IdSource ids, String causationId) {
      this.database = database;
      this.now = now;
      this.ids = ids;
      this.causationId = causationId;
    }

    void emit(String opsRequest, Message message) {
      emit(ids.nextId(), opsRequest, message);
    }

    void emit(String eventId, String opsRequest, Message message) {
      messages.add(Envelope.of(eventId, opsRequest, database, now, causationId, message));
    }
  }
}
