package io.pxops.events.status;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.pxops.events.OpsPhase;
import io.pxops.events.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The current status of one ops request: the value on {@code pxops.status}, keyed by {@link
 * #opsRequest()}. Computed from the lifecycle log by {@link StatusFold}; immutable.
 *
 * <p>Example (trimmed):
 *
 * <pre>{@code
 * {"opsRequest":"shop/orders-to-8.4.3","database":"shop/orders","targetVersion":"8.4.3",
 *  "door":"kubernetes","phase":"Progressing","attempt":1,"currentStep":"CHECK_POD_RUNNING",
 *  "currentPod":"orders-1","conditions":[{"type":"UpdateVersion","status":"True",
 *  "lastTransitionTime":"2026-07-02T08:00:01Z","reason":"UpdateVersion",
 *  "message":"PerconaXtraDB ops-request has started to update version"}, ...],
 *  "pods":[{"pod":"orders-2","phase":"Verified", ...}, ...], ...}
 * }</pre>
 *
 * @param opsRequest the ops request, {@code "namespace/name"}
 * @param database the database, {@code "namespace/name"}
 * @param targetVersion the catalog name of the target version, once known
 * @param door how the request came in ({@code "http"}, {@code "kafka"}, {@code "kubernetes"}), once
 *     known
 * @param clientRequestId the submitter's own id, or {@code null}
 * @param phase KubeDB's phase, or {@code null} before anything is known
 * @param attempt 0 before the request started, 1 for the first run, more for replays
 * @param queuePosition the place in the database's queue while Pending, else {@code null}
 * @param timeout the per-step timeout ({@code spec.timeout}), once known
 * @param currentStep the step running now (or the last one that ran), {@code null} when none
 * @param currentPod the pod of the current per-pod step, else {@code null}
 * @param currentCommandId the id of the command the current step waits for; only results caused by
 *     it count (as in the coordinator's plan), so redelivered and late answers change nothing
 * @param stepDeadline when the current step times out unless it reports progress
 * @param fromVersion the database's version before the update, as the preflight saw it
 * @param replicas the database's replicas, as the preflight saw them
 * @param targetImage the database image of the target version, once the PetSet was updated
 * @param conditions KubeDB-shaped conditions, one per type, in KubeDB's order
 * @param pods per-pod progress, in restart order (pods needing no restart last)
 * @param steps how long each step (condition type) took, in the order they first started
 * @param startedAt when the request first started
 * @param lastProgressAt when the request last moved: a step started, ended or reported progress
 * @param lastProgress what the last progress report said (a joining node, a state transfer)
 * @param finishedAt when it ended (Successful, Failed, Skipped), else {@code null}
 * @param failure why it failed, else {@code null}
 * @param rejection why the ingest refused it, else {@code null}
 * @param updatedAt {@code occurredAt} of the last event that changed this status
 * @param lastEventId the id of the last event that changed this status
 * @param recentEventIds ids of the last {@value #RECENT_EVENT_IDS_LIMIT} events that changed this
 *     status, oldest first: an event delivered again is recognised and changes nothing
 * @param windowOpensAt while {@link OpsPhase#WAITING_FOR_WINDOW}: when its maintenance window opens
 *     and it starts (or evicts its next pod, {@code currentPod}); else {@code null}
 */
@JsonPropertyOrder({
  "opsRequest",
  "database",
  "targetVersion",
  "door",
  "clientRequestId",
  "phase",
  "attempt",
  "queuePosition",
  "windowOpensAt",
  "timeout",
  "currentStep",
  "currentPod",
  "currentCommandId",
  "stepDeadline",
  "fromVersion",
  "replicas",
  "targetImage",
  "conditions",
  "pods",
  "steps",
  "startedAt",
  "lastProgressAt",
  "lastProgress",
  "finishedAt",
  "failure",
  "rejection",
  "updatedAt",
  "lastEventId",
  "recentEventIds"
})
public record RequestStatus(
    String opsRequest,
    String database,
    String targetVersion,
    String door,
    String clientRequestId,
    OpsPhase phase,
    int attempt,
    Integer queuePosition,
    Duration timeout,
    Step currentStep,
    String currentPod,
    String currentCommandId,
    Instant stepDeadline,
    String fromVersion,
    Integer replicas,
    String targetImage,
    List<StatusCondition> conditions,
    List<PodProgress> pods,
    List<StepTiming> steps,
    Instant startedAt,
    Instant lastProgressAt,
    String lastProgress,
    Instant finishedAt,
    RequestFailure failure,
    RequestRejection rejection,
    Instant updatedAt,
    String lastEventId,
    List<String> recentEventIds,
    Instant windowOpensAt) {

  /** How many recent event ids a status remembers to recognise a redelivered event. */
  public static final int RECENT_EVENT_IDS_LIMIT = 32;

  /** Requires the references; absent lists become empty; lists are copied. */
  public RequestStatus {
    requireRef(opsRequest, "opsRequest");
    requireRef(database, "database");
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0 but was " + attempt);
    }
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
    pods = pods == null ? List.of() : List.copyOf(pods);
    steps = steps == null ? List.of() : List.copyOf(steps);
    recentEventIds = recentEventIds == null ? List.of() : List.copyOf(recentEventIds);
  }

  /** A status not waiting for a window (see the record for each field). */
  @SuppressWarnings("checkstyle:ParameterNumber")
  public RequestStatus(
      String opsRequest, String database, String targetVersion, String door, String clientRequestId,
      OpsPhase phase, int attempt, Integer queuePosition, Duration timeout, Step currentStep,
      String currentPod, String currentCommandId, Instant stepDeadline, String fromVersion,
      Integer replicas, String targetImage, List<StatusCondition> conditions, List<PodProgress> pods,
      List<StepTiming> steps, Instant startedAt, Instant lastProgressAt, String lastProgress,
      Instant finishedAt, RequestFailure failure, RequestRejection rejection, Instant updatedAt,
      String lastEventId, List<String> recentEventIds) {
    this(opsRequest, database, targetVersion, door, clientRequestId, phase, attempt, queuePosition,
        timeout, currentStep, currentPod, currentCommandId, stepDeadline, fromVersion, replicas,
        targetImage, conditions, pods, steps, startedAt, lastProgressAt, lastProgress, finishedAt,
        failure, rejection, updatedAt, lastEventId, recentEventIds, null);
  }

  /**
   * The status of a request nothing is known about yet.
   *
   * @param opsRequest {@code "namespace/name"} of the ops request
   * @param database {@code "namespace/name"} of its database
   * @return an empty status (no phase)
   */
  public static RequestStatus initial(String opsRequest, String database) {
    return new RequestStatus(
        opsRequest, database, null, null, null, null, 0, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * This status without its per-condition, per-pod and per-step detail and its recent event ids: what a list of
   * many requests shows (name, database, versions, phase, attempt, queue place, times, failure or rejection). A few
   * hundred bytes where the whole status is several kilobytes, so a list of ten thousand stays small.
   *
   * @return the summary
   */
  public RequestStatus summary() {
    Builder b = toBuilder();
    b.conditions = List.of();
    b.pods = List.of();
    b.steps = List.of();
    b.recentEventIds = List.of();
    return b.build();
  }

  /**
   * The namespace of the ops request.
   *
   * @return the part before the slash
   */
  public String namespace() {
    return opsRequest.substring(0, opsRequest.indexOf('/'));
  }

  /**
   * The name of the ops request.
   *
   * @return the part after the slash
   */
  public String name() {
    return opsRequest.substring(opsRequest.indexOf('/') + 1);
  }

  /**
   * Looks a condition up by type.
   *
   * @param type a condition type
   * @return the condition, if present
   */
  public Optional<StatusCondition> condition(String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
  }

  /**
   * A builder initialised with this status.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  private static void requireRef(String value, String field) {
    int slash = value == null ? -1 : value.indexOf('/');
    if (slash <= 0 || slash == value.length() - 1 || value.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException(
          field + " must be \"namespace/name\" but was " + (value == null ? null : "\"" + value + "\""));
    }
  }

  /** A mutable copy of a status, used by the fold; {@link #build()} validates. */
  public static final class Builder {
    private final String opsRequest;
    private final String database;
    String targetVersion;
    String door;
    String clientRequestId;
    OpsPhase phase;
    int attempt;
    Integer queuePosition;
    Duration timeout;
    Step currentStep;
    String currentPod;
    String currentCommandId;
    Instant stepDeadline;
    String fromVersion;
    Integer replicas;
    String targetImage;
    List<StatusCondition> conditions;
    List<PodProgress> pods;
    List<StepTiming> steps;
    Instant startedAt;
    Instant lastProgressAt;
    String lastProgress;
    Instant finishedAt;
    RequestFailure failure;
    RequestRejection rejection;
    Instant updatedAt;
    String lastEventId;
    List<String> recentEventIds;
    Instant windowOpensAt;

    private Builder(RequestStatus s) {
      opsRequest = s.opsRequest;
      database = s.database;
      targetVersion = s.targetVersion;
      door = s.door;
      clientRequestId = s.clientRequestId;
      phase = s.phase;
      attempt = s.attempt;
      queuePosition = s.queuePosition;
      timeout = s.timeout;
      currentStep = s.currentStep;
      currentPod = s.currentPod;
      currentCommandId = s.currentCommandId;
      stepDeadline = s.stepDeadline;
      fromVersion = s.fromVersion;
      replicas = s.replicas;
      targetImage = s.targetImage;
      conditions = new ArrayList<>(s.conditions);
      pods = new ArrayList<>(s.pods);
      steps = new ArrayList<>(s.steps);
      startedAt = s.startedAt;
      lastProgressAt = s.lastProgressAt;
      lastProgress = s.lastProgress;
      finishedAt = s.finishedAt;
      failure = s.failure;
      rejection = s.rejection;
      updatedAt = s.updatedAt;
      lastEventId = s.lastEventId;
      recentEventIds = new ArrayList<>(s.recentEventIds);
      windowOpensAt = s.windowOpensAt;
    }

    /**
     * Builds the status.
     *
     * @return the immutable status
     */
    public RequestStatus build() {
      return new RequestStatus(
          opsRequest,
          database,
          targetVersion,
          door,
          clientRequestId,
          phase,
          attempt,
          queuePosition,
          timeout,
          currentStep,
          currentPod,
          currentCommandId,
          stepDeadline,
          fromVersion,
          replicas,
          targetImage,
          conditions,
          pods,
          steps,
          startedAt,
          lastProgressAt,
          lastProgress,
          finishedAt,
          failure,
          rejection,
          updatedAt,
          lastEventId,
          recentEventIds,
          windowOpensAt);
    }
  }
}
