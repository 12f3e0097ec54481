package io.pxops.events.status;

import io.pxops.events.ResultAcceptance;
import io.pxops.events.ClusterVerified;
import io.pxops.events.DatabasePaused;
import io.pxops.events.DatabaseResumed;
import io.pxops.events.DatabaseVersionUpdated;
import io.pxops.events.Envelope;
import io.pxops.events.Event;
import io.pxops.events.OpsPhase;
import io.pxops.events.PetSetUpdated;
import io.pxops.events.PodAlreadyUpdated;
import io.pxops.events.PodEvicted;
import io.pxops.events.PodInfo;
import io.pxops.events.PodRunning;
import io.pxops.events.PodVerified;
import io.pxops.events.PreflightPassed;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.RequestFailed;
import io.pxops.events.RequestQueued;
import io.pxops.events.RequestRejected;
import io.pxops.events.RequestSkipped;
import io.pxops.events.RequestSpec;
import io.pxops.events.RequestStarted;
import io.pxops.events.RequestSucceeded;
import io.pxops.events.RequestWaitingForWindow;
import io.pxops.events.Step;
import io.pxops.events.StepFailed;
import io.pxops.events.StepProgressed;
import io.pxops.events.StepStarted;
import io.pxops.events.StepTimedOut;
import io.pxops.events.plan.RestartOrder;
import io.pxops.events.plan.StepPlan;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The pure fold of the lifecycle log into the status of one ops request: {@code apply(current,
 * event) -> next}. It does no I/O; the status projector keeps one {@link RequestStatus} per ops
 * request and feeds it every event of that request, in log order.
 *
 * <p>The rules, event by event:
 *
 * <ol>
 *   <li><b>Scope.</b> An event of another ops request or database, a command, and an event whose id
 *       is among the status's {@link RequestStatus#recentEventIds() recent ids} change nothing; so
 *       does an event that would change nothing else. Only a change records the event's id.
 *   <li><b>Admission.</b> {@code RequestAdmitted} makes a request without phase Pending and fills in
 *       target, door and timeout. {@code RequestRejected} of a request without phase ends it Failed
 *       with the {@link RequestRejection}, condition {@value ConditionTypes#UPDATE_VERSION} False
 *       and {@value ConditionTypes#FAILED} True, both with reason = the rule and a message naming
 *       the field and the rule; a rejection of a request already known (a resubmitted name) is not
 *       about that request and changes nothing.
 *   <li><b>Queue.</b> {@code RequestQueued} keeps a request Pending with its position (a Failed one
 *       becomes Pending again when the queueing is no older than the failure: a replay waiting); {@code RequestSkipped} ends a Pending one Skipped
 *       with condition {@value ConditionTypes#SKIPPED} (reason Superseded or Cancelled).
 *   <li><b>Window.</b> {@code RequestWaitingForWindow} of a request not ended (or of a Failed one
 *       no older than its failure: a replay waiting) makes it WaitingForWindow with {@code
 *       windowOpensAt} and condition {@value ConditionTypes#WAITING_FOR_WINDOW} True, its message
 *       naming the opening time (and the next pod). No step runs meanwhile: the current step and
 *       its deadline are cleared (a pod to evict next is kept as {@code currentPod}). The wait ends
 *       with {@code RequestStarted} (it had not started), {@code StepStarted} (between pods: it is
 *       Progressing again), {@code RequestSkipped} or {@code RequestFailed}; the condition is
 *       removed then.
 *   <li><b>Start.</b> {@code RequestStarted} whose attempt is higher than the status's makes it
 *       Progressing (attempts only grow, so a start is applied once), sets {@value
 *       ConditionTypes#UPDATE_VERSION} True and clears a previous attempt's failure (its False
 *       conditions and {@value ConditionTypes#FAILED}; the True ones, work done, stay).
 *   <li><b>Steps.</b> {@code StepStarted} moves the current step, pod and awaited command; a retry
 *       keeps the step's start time and counts the retry; the start of UpdateDatabase means the pods
 *       are done: {@value ConditionTypes#RESTART_PODS} True.
 *   <li><b>Results.</b> A result counts only while Progressing and only if its {@code causationId}
 *       is the awaited command and it answers the current step (and pod) - the coordinator's own
 *       acceptance rule, so a redelivered or late answer changes nothing. A completion sets the
 *       step's condition True (for an eviction also {@code GetPod--<pod>}), ends its timing and
 *       records what it tells (versions, target image, pods); {@code StepFailed} and {@code
 *       StepTimedOut} set it False with reason and message; {@code StepProgressed} moves {@code
 *       lastProgressAt} and the deadline.
 *   <li><b>End.</b> {@code RequestSucceeded} of a Progressing request ends it Successful with
 *       condition {@value ConditionTypes#SUCCESSFUL}; {@code RequestFailed} ends it Failed naming the
 *       step: that step's condition False with reason and message (and {@value
 *       ConditionTypes#RESTART_PODS} False for a per-pod step), and {@value ConditionTypes#FAILED}
 *       True.
 *   <li><b>Conditions</b> are a map keyed by type with kmapi's {@code SetCondition} semantics: the
 *       same state leaves a condition alone, and {@code lastTransitionTime} changes only when the
 *       status does. They are listed in KubeDB's order ({@link ConditionTypes}).
 * </ol>
 *
 * <p>Applying an event twice gives the same status as applying it once: the second time its id is
 * recent, and where the id has been forgotten the rules are monotone (attempts grow, terminal
 * phases stay, results need the awaited command, first end times win).
 */
public final class StatusFold {

  /** KubeDB's message of the started condition. */
  public static final String STARTED_MESSAGE =
      "PerconaXtraDB ops-request has started to update version";

  private StatusFold() {}

  /**
   * Applies one event of the lifecycle log.
   *
   * @param current the status so far, or {@code null} if nothing is known of the request yet
   * @param event an envelope from the lifecycle log
   * @return the next status; {@code current} itself (possibly {@code null}) when the event changes
   *     nothing
   */
  public static RequestStatus apply(RequestStatus current, Envelope event) {
    Objects.requireNonNull(event, "event");
    if (current != null
        && (!current.opsRequest().equals(event.opsRequest())
            || !current.database().equals(event.database()))) {
      return current;
    }
    if (!(event.payload() instanceof Event payload)) {
      return current;
    }
    RequestStatus base =
        current != null ? current : RequestStatus.initial(event.opsRequest(), event.database());
    if (base.recentEventIds().contains(event.eventId())) {
      return current;
    }
    RequestStatus.Builder b = base.toBuilder();
    fold(base, b, event, payload);
    b.conditions.sort(
        Comparator.comparing(
            StatusCondition::type,
            ConditionTypes.order(
                b.pods.stream().map(PodProgress::pod).collect(Collectors.toList()))));
    if (b.build().equals(base)) {
      return current;
    }
    b.updatedAt = event.occurredAt();
    b.lastEventId = event.eventId();
    b.recentEventIds.add(event.eventId());
    while (b.recentEventIds.size() > RequestStatus.RECENT_EVENT_IDS_LIMIT) {
      b.recentEventIds.remove(0);
    }
    return b.build();
  }

  private static void fold(RequestStatus p, RequestStatus.Builder b, Envelope e, Event payload) {
    Instant at = e.occurredAt();
    if (payload instanceof RequestAdmitted admitted) {
      admitted(p, b, admitted.spec());
    } else if (payload instanceof RequestRejected rejected) {
      rejected(p, b, rejected, at);
    } else if (payload instanceof RequestQueued queued) {
      queued(p, b, queued.position(), at);
    } else if (payload instanceof RequestWaitingForWindow waiting) {
      waiting(p, b, waiting, at);
    } else if (payload instanceof RequestStarted started) {
      started(p, b, started.attempt(), at);
    } else if (payload instanceof RequestSkipped skipped) {
      skipped(p, b, skipped, at);
    } else if (payload instanceof RequestSucceeded) {
      succeeded(p, b, at);
    } else if (payload instanceof RequestFailed failed) {
      failed(p, b, failed, at);
    } else if (payload instanceof StepStarted started) {
      stepStarted(p, b, started, at);
    } else if (accepted(p, e)) {
      result(p, b, payload, at);
    }
  }

  // ---- rules 2 to 4: admission, queue, start -------------------------------------------------

  private static void admitted(RequestStatus p, RequestStatus.Builder b, RequestSpec spec) {
    if (p.rejection() != null) {
      return;
    }
    if (b.phase == null) {
      b.phase = OpsPhase.PENDING;
    }
    b.targetVersion = b.targetVersion == null ? spec.targetVersion() : b.targetVersion;
    b.door = b.door == null ? spec.door() : b.door;
    b.clientRequestId = b.clientRequestId == null ? spec.clientRequestId() : b.clientRequestId;
    b.timeout = b.timeout == null ? spec.timeout() : b.timeout;
  }

  private static void rejected(
      RequestStatus p, RequestStatus.Builder b, RequestRejected r, Instant at) {
    if (p.phase() != null) {
      return;
    }
    b.phase = OpsPhase.FAILED;
    b.rejection = new RequestRejection(r.field(), r.rule(), r.message());
    b.targetVersion = r.targetVersion();
    b.door = r.door();
    b.clientRequestId = r.clientRequestId();
    b.finishedAt = at;
    String message = "rejected: " + r.field() + " breaks the rule " + r.rule() + ": " + r.message();
    setCondition(b, StatusCondition.isFalse(ConditionTypes.UPDATE_VERSION, r.rule(), message, at));
    setCondition(b, StatusCondition.isTrue(ConditionTypes.FAILED, r.rule(), message, at));
  }

  private static void queued(RequestStatus p, RequestStatus.Builder b, int position, Instant at) {
    if (p.rejection() != null) {
      return;
    }
    if (p.phase() == null || p.phase() == OpsPhase.PENDING) {
      b.phase = OpsPhase.PENDING;
      b.queuePosition = position;
    } else if (p.phase() == OpsPhase.FAILED
        && (p.finishedAt() == null || !at.isBefore(p.finishedAt()))) {
      // a replay of a Failed request waits behind another request (decided after it failed; an
      // older RequestQueued read again is from before the failure and changes nothing)
      b.phase = OpsPhase.PENDING;
      b.queuePosition = position;
      b.failure = null;
      b.finishedAt = null;
      clearCurrent(b);
      removeCondition(b, ConditionTypes.FAILED);
    }
  }

  private static void waiting(
      RequestStatus p, RequestStatus.Builder b, RequestWaitingForWindow w, Instant at) {
    boolean open = p.phase() == null || !p.phase().terminal();
    boolean replay =
        p.phase() == OpsPhase.FAILED && (p.finishedAt() == null || !at.isBefore(p.finishedAt()));
    if (p.rejection() != null || !(open || replay) || w.opensAt().equals(p.windowOpensAt())) {
      return;
    }
    if (replay) {
      b.failure = null;
      b.finishedAt = null;
      removeCondition(b, ConditionTypes.FAILED);
    }
    b.phase = OpsPhase.WAITING_FOR_WINDOW;
    b.windowOpensAt = w.opensAt();
    b.queuePosition = null;
    clearCurrent(b);
    b.currentPod = w.pod();
    String message =
        w.pod() == null
            ? "waits for its maintenance window to start; it opens at " + w.opensAt()
            : "the maintenance window closed after " + w.podsDone() + " pod(s); pod " + w.pod()
                + " is evicted when it opens again, at " + w.opensAt();
    setCondition(
        b,
        StatusCondition.isTrue(
            ConditionTypes.WAITING_FOR_WINDOW, ConditionTypes.WAITING_FOR_WINDOW, message, at));
  }

  /** The wait for a window is over: it starts, goes on, or ended. */
  private static void windowOver(RequestStatus.Builder b) {
    b.windowOpensAt = null;
    removeCondition(b, ConditionTypes.WAITING_FOR_WINDOW);
  }

  private static void started(RequestStatus p, RequestStatus.Builder b, int attempt, Instant at) {
    if (p.rejection() != null || attempt <= p.attempt()) {
      return;
    }
    windowOver(b);
    b.phase = OpsPhase.PROGRESSING;
    b.attempt = attempt;
    b.queuePosition = null;
    b.failure = null;
    b.finishedAt = null;
    b.startedAt = b.startedAt == null ? at : b.startedAt;
    b.lastProgressAt = at;
    b.lastProgress = null;
    clearCurrent(b);
    // a new attempt clears the previous one's failure: the steps that failed run again (or are
    // found done), so their False conditions no longer describe the request; work done stays
    b.conditions.removeIf(c -> StatusCondition.FALSE.equals(c.status()));
    removeCondition(b, ConditionTypes.FAILED);
    setCondition(
        b,
        StatusCondition.isTrue(
            ConditionTypes.UPDATE_VERSION, ConditionTypes.UPDATE_VERSION, STARTED_MESSAGE, at));
  }

  private static void skipped(
      RequestStatus p, RequestStatus.Builder b, RequestSkipped skipped, Instant at) {
    if (p.rejection() != null
        || (p.phase() != null
            && p.phase() != OpsPhase.PENDING
            && p.phase() != OpsPhase.WAITING_FOR_WINDOW)) {
      return;
    }
    windowOver(b);
    b.currentPod = null;
    b.phase = OpsPhase.SKIPPED;
    b.queuePosition = null;
    b.finishedAt = at;
    setCondition(
        b,
        StatusCondition.isTrue(ConditionTypes.SKIPPED, skipped.reason(), skipped.message(), at));
  }

  // ---- rule 7: the end -----------------------------------------------------------------------

  private static void succeeded(RequestStatus p, RequestStatus.Builder b, Instant at) {
    if (p.phase() != OpsPhase.PROGRESSING) {
      return;
    }
    b.phase = OpsPhase.SUCCESSFUL;
    b.finishedAt = at;
    b.lastProgressAt = at;
    clearCurrent(b);
    setCondition(
        b,
        StatusCondition.isTrue(
            ConditionTypes.SUCCESSFUL,
            ConditionTypes.SUCCESSFUL,
            "Successfully updated PerconaXtraDB "
                + p.database()
                + (p.targetVersion() == null ? "" : " to version " + p.targetVersion()),
            at));
  }

  private static void failed(
      RequestStatus p, RequestStatus.Builder b, RequestFailed failed, Instant at) {
    // a request whose window never opens again fails without starting, Pending or waiting
    boolean unstarted = p.phase() == OpsPhase.PENDING
        && io.pxops.events.plan.UpdatePlan.REASON_WINDOW_NEVER_OPENS.equals(failed.reason());
    if (p.phase() != OpsPhase.PROGRESSING && p.phase() != OpsPhase.WAITING_FOR_WINDOW && !unstarted) {
      return;
    }
    windowOver(b);
    b.queuePosition = null;
    b.phase = OpsPhase.FAILED;
    b.failure = new RequestFailure(failed.step(), failed.pod(), failed.reason(), failed.message());
    b.finishedAt = at;
    b.lastProgressAt = at;
    clearCurrent(b);
    String type = conditionType(failed.step(), failed.pod());
    setCondition(b, StatusCondition.isFalse(type, failed.reason(), failed.message(), at));
    endTiming(b, type, at);
    if (failed.step().perPod()) {
      setCondition(
          b,
          StatusCondition.isFalse(
              ConditionTypes.RESTART_PODS,
              "RestartPodsFailed",
              "failed to restart pod " + failed.pod() + ": " + failed.message(),
              at));
    }
    setCondition(
        b, StatusCondition.isTrue(ConditionTypes.FAILED, failed.reason(), failed.message(), at));
  }

  // ---- rules 5 and 6: steps and results ------------------------------------------------------

  private static void stepStarted(
      RequestStatus p, RequestStatus.Builder b, StepStarted started, Instant at) {
    boolean betweenPods = p.phase() == OpsPhase.WAITING_FOR_WINDOW && p.currentPod() != null;
    if ((p.phase() != OpsPhase.PROGRESSING && !betweenPods)
        || started.commandId().equals(p.currentCommandId())) {
      return;
    }
    if (betweenPods) {
      b.phase = OpsPhase.PROGRESSING;
      windowOver(b);
    }
    Step step = started.step();
    String pod = step.perPod() ? started.pod() : null;
    String type = conditionType(step, pod);
    b.currentStep = step;
    b.currentPod = pod;
    b.currentCommandId = started.commandId();
    b.stepDeadline = started.deadline();
    b.lastProgressAt = at;
    b.lastProgress = null;
    startTiming(b, type, started.retry(), at);
    if (pod != null) {
      updatePod(b, pod, progress -> progress.stepStarted(step, at));
    }
    if (step == Step.UPDATE_DATABASE) {
      long restarted = b.pods.stream().filter(pp -> pp.phase() == PodPhase.VERIFIED).count();
      String message =
          restarted == 0
              ? "no pod needed a restart: every pod already ran the target image"
              : "Successfully restarted " + restarted + " PerconaXtraDB pods";
      setCondition(
          b,
          StatusCondition.isTrue(
              ConditionTypes.RESTART_PODS, ConditionTypes.RESTART_PODS, message, at));
    }
  }

  /** The coordinator's acceptance rule: the awaited command caused it, while Progressing. */
  private static boolean accepted(RequestStatus p, Envelope e) {
    return p.phase() == OpsPhase.PROGRESSING
        && p.currentStep() != null
        && ResultAcceptance.answers(p.currentCommandId(), e.causationId());
  }

  private static void result(RequestStatus p, RequestStatus.Builder b, Event payload, Instant at) {
    Step step = p.currentStep();
    String pod = p.currentPod();
    String type = conditionType(step, pod);
    if (payload instanceof StepProgressed progressed) {
      if (sameStep(p, progressed.step(), progressed.pod())) {
        b.lastProgressAt = at;
        b.lastProgress = progressed.detail();
        if (p.timeout() != null
            && (p.stepDeadline() == null || p.stepDeadline().isBefore(at.plus(p.timeout())))) {
          b.stepDeadline = at.plus(p.timeout());
        }
      }
      return;
    }
    if (payload instanceof StepFailed failed) {
      if (sameStep(p, failed.step(), failed.pod())) {
        setCondition(b, StatusCondition.isFalse(type, failed.reason(), failed.message(), at));
        endTiming(b, type, at);
        touched(p, b, at);
      }
      return;
    }
    if (payload instanceof StepTimedOut timedOut) {
      if (sameStep(p, timedOut.step(), timedOut.pod())) {
        setCondition(
            b,
            StatusCondition.isFalse(
                type,
                "StepTimedOut",
                type + " made no progress for " + timedOut.timeout(),
                at));
        endTiming(b, type, at);
        touched(p, b, at);
      }
      return;
    }
    if (StepPlan.completion(step, payload.getClass()).isEmpty()
        || (step.perPod() && !Objects.equals(pod, podOf(payload)))) {
      return;
    }
    completed(p, b, payload, type, at);
    endTiming(b, type, at);
    touched(p, b, at);
  }

  private static void completed(
      RequestStatus p, RequestStatus.Builder b, Event payload, String type, Instant at) {
    if (payload instanceof PreflightPassed passed) {
      b.fromVersion = passed.currentVersion();
      b.replicas = passed.replicas();
      done(
          b,
          type,
          "preflight passed: "
              + p.database()
              + " runs "
              + passed.currentVersion()
              + " on "
              + passed.replicas()
              + " replicas",
          at);
    } else if (payload instanceof ClusterVerified verified) {
      done(
          b,
          type,
          "every Galera node is Synced and Primary with equal data ("
              + verified.nodes().size()
              + " nodes checked)",
          at);
    } else if (payload instanceof DatabasePaused) {
      done(
          b,
          type,
          "Successfully paused PerconaXtraDB database: "
              + p.database()
              + " for PerconaXtraDBOpsRequest: "
              + p.opsRequest(),
          at);
    } else if (payload instanceof PetSetUpdated updated) {
      b.targetImage = updated.image();
      seedPods(b, updated);
      done(b, type, "successfully reconciled the PerconaXtraDB with updated version", at);
    } else if (payload instanceof PodEvicted evicted) {
      gotPod(b, evicted.pod(), at);
      done(b, type, "evict pod; ConditionStatus:True; PodName:" + evicted.pod(), at);
      updatePod(b, evicted.pod(), progress -> progress.evicted(at));
    } else if (payload instanceof PodAlreadyUpdated already) {
      gotPod(b, already.pod(), at);
      setCondition(
          b,
          StatusCondition.isTrue(
              type,
              "PodAlreadyUpdated",
              "pod " + already.pod() + " already runs " + already.image() + "; not evicted",
              at));
      updatePod(b, already.pod(), progress -> progress.running(already.image(), at));
    } else if (payload instanceof PodRunning running) {
      done(b, type, "check pod running; ConditionStatus:True; PodName:" + running.pod(), at);
      updatePod(b, running.pod(), progress -> progress.running(running.image(), at));
    } else if (payload instanceof PodVerified verified) {
      done(
          b,
          type,
          "verify pod; ConditionStatus:True; PodName:"
              + verified.pod()
              + "; every Galera node is Synced and Primary with equal data",
          at);
      updatePod(b, verified.pod(), progress -> progress.verified(at));
    } else if (payload instanceof DatabaseVersionUpdated updated) {
      done(b, type, "Successfully updated PerconaXtraDB version to " + updated.version(), at);
    } else if (payload instanceof DatabaseResumed) {
      done(
          b,
          type,
          "Successfully resumed PerconaXtraDB database: "
              + p.database()
              + " for PerconaXtraDBOpsRequest: "
              + p.opsRequest(),
          at);
    }
  }

  private static boolean sameStep(RequestStatus p, Step step, String pod) {
    return step == p.currentStep() && (pod == null || pod.equals(p.currentPod()));
  }

  /** A result moved the request only if it changed something else. */
  private static void touched(RequestStatus p, RequestStatus.Builder b, Instant at) {
    if (!b.build().equals(p)) {
      b.lastProgressAt = at;
    }
  }

  private static String podOf(Event result) {
    if (result instanceof PodEvicted evicted) {
      return evicted.pod();
    } else if (result instanceof PodAlreadyUpdated already) {
      return already.pod();
    } else if (result instanceof PodRunning running) {
      return running.pod();
    } else if (result instanceof PodVerified verified) {
      return verified.pod();
    }
    return null;
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** The condition type of a step; a per-pod step without pod (a malformed event) gets the bare name. */
  static String conditionType(Step step, String pod) {
    if (step.perPod() && (pod == null || pod.isBlank())) {
      String withPod = step.conditionType("p");
      return withPod.substring(0, withPod.indexOf(Step.POD_SEPARATOR));
    }
    return step.conditionType(pod);
  }

  private static void done(RequestStatus.Builder b, String type, String message, Instant at) {
    String reason =
        type.contains(Step.POD_SEPARATOR)
            ? type.substring(0, type.indexOf(Step.POD_SEPARATOR))
            : type;
    setCondition(b, StatusCondition.isTrue(type, reason, message, at));
  }

  private static void gotPod(RequestStatus.Builder b, String pod, Instant at) {
    String type = Step.getPodConditionType(pod);
    setCondition(
        b,
        StatusCondition.isTrue(
            type,
            type.substring(0, type.indexOf(Step.POD_SEPARATOR)),
            "get pod; ConditionStatus:True; PodName:" + pod,
            at));
  }

  private static void clearCurrent(RequestStatus.Builder b) {
    b.currentStep = null;
    b.currentPod = null;
    b.currentCommandId = null;
    b.stepDeadline = null;
  }

  /** kmapi's SetCondition: upsert by type; same state: untouched; same status: keep the time. */
  static void setCondition(RequestStatus.Builder b, StatusCondition condition) {
    for (int i = 0; i < b.conditions.size(); i++) {
      StatusCondition old = b.conditions.get(i);
      if (old.type().equals(condition.type())) {
        if (old.sameStateAs(condition)) {
          return;
        }
        Instant time =
            old.status().equals(condition.status())
                ? old.lastTransitionTime()
                : condition.lastTransitionTime();
        b.conditions.set(
            i,
            new StatusCondition(
                condition.type(),
                condition.status(),
                condition.observedGeneration(),
                time,
                condition.reason(),
                condition.message()));
        return;
      }
    }
    b.conditions.add(condition);
  }

  private static void removeCondition(RequestStatus.Builder b, String type) {
    b.conditions.removeIf(c -> c.type().equals(type));
  }

  private static void startTiming(RequestStatus.Builder b, String type, int retry, Instant at) {
    for (int i = 0; i < b.steps.size(); i++) {
      StepTiming old = b.steps.get(i);
      if (old.type().equals(type)) {
        if (retry > 0) {
          // a retry: the step has been going on since its first start
          b.steps.set(i, new StepTiming(type, old.startedAt(), null, null, retry));
        } else {
          // the step runs again in a new attempt
          b.steps.set(i, StepTiming.started(type, at));
        }
        return;
      }
    }
    b.steps.add(new StepTiming(type, at, null, null, retry));
  }

  private static void endTiming(RequestStatus.Builder b, String type, Instant at) {
    for (int i = 0; i < b.steps.size(); i++) {
      if (b.steps.get(i).type().equals(type)) {
        b.steps.set(i, b.steps.get(i).endedAt(at));
        return;
      }
    }
  }

  private static void updatePod(
      RequestStatus.Builder b, String pod, UnaryOperator<PodProgress> change) {
    for (int i = 0; i < b.pods.size(); i++) {
      if (b.pods.get(i).pod().equals(pod)) {
        b.pods.set(i, change.apply(b.pods.get(i)));
        return;
      }
    }
    b.pods.add(change.apply(PodProgress.seen(pod, PodPhase.WAITING, null)));
  }

  /**
   * Lists the pods in restart order (the plan's {@link RestartOrder}), then the pods that need no
   * restart, highest ordinal first. Pods already listed (an earlier attempt) keep their place.
   */
  private static void seedPods(RequestStatus.Builder b, PetSetUpdated updated) {
    Set<String> verified =
        b.pods.stream()
            .filter(pp -> pp.phase() == PodPhase.VERIFIED)
            .map(PodProgress::pod)
            .collect(Collectors.toSet());
    List<PodInfo> toRestart = RestartOrder.of(updated.pods(), updated.image(), verified);
    Set<String> restarting = new HashSet<>();
    for (PodInfo pod : toRestart) {
      restarting.add(pod.name());
      seed(b, pod, PodPhase.WAITING);
    }
    updated.pods().stream()
        .filter(pod -> !restarting.contains(pod.name()))
        .sorted(Comparator.comparingInt(PodInfo::ordinal).reversed())
        .forEach(pod -> seed(b, pod, PodPhase.UP_TO_DATE));
  }

  private static void seed(RequestStatus.Builder b, PodInfo pod, PodPhase phase) {
    for (int i = 0; i < b.pods.size(); i++) {
      PodProgress old = b.pods.get(i);
      if (old.pod().equals(pod.name())) {
        PodProgress next = old.withImage(pod.image());
        if (phase == PodPhase.UP_TO_DATE && old.phase() == PodPhase.WAITING) {
          next = PodProgress.seen(pod.name(), PodPhase.UP_TO_DATE, pod.image());
        }
        b.pods.set(i, next);
        return;
      }
    }
    b.pods.add(PodProgress.seen(pod.name(), phase, pod.image()));
  }
}
