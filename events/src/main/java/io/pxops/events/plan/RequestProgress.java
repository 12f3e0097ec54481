package io.pxops.events.plan;

import io.pxops.events.ApplyPolicy;
import io.pxops.events.OpsPhase;
import io.pxops.events.PodInfo;
import io.pxops.events.RequestSpec;
import io.pxops.events.Step;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where one request stands. Immutable; the plan derives new values with {@link #toBuilder()}.
 *
 * @param spec the request
 * @param phase Pending, Progressing, or a terminal phase
 * @param attempt 1 for the first run, +1 per replay
 * @param step the current step (the last one once terminal); {@code null} before the first start
 * @param pod the pod of the current per-pod step, else {@code null}
 * @param awaitingCommandId the {@code eventId} of the command whose result is awaited; only a result
 *     with this {@code causationId} is accepted. Non-null exactly while Progressing
 * @param stepDeadline when the current step times out (moved by progress); non-null while
 *     Progressing
 * @param replicas the database's replicas from the preflight, 0 before it
 * @param currentVersion the version before the update, from the preflight, or {@code null}
 * @param targetImage the target image from {@code PetSetUpdated}, or {@code null} before it
 * @param restartOrder the pods to restart, first to last (see {@link RestartOrder})
 * @param podsDone pods restarted and verified, kept across replays
 * @param retries retries used so far, by KubeDB condition type (so per step and per pod)
 * @param paused {@code true} from the moment a {@code PauseDatabase} command is issued until {@code
 *     DatabaseResumed}: the database may be paused and a resume is owed
 * @param failure why the request failed, or is failing while the database is being resumed; {@code
 *     null} otherwise
 * @param windowOpensAt when the request's maintenance window opens, while the request waits for it
 *     (Pending before its start, or Progressing between two pods, with no command outstanding and
 *     no step deadline); {@code null} when it is not waiting for its window
 */
public record RequestProgress(
    RequestSpec spec,
    OpsPhase phase,
    int attempt,
    Step step,
    String pod,
    String awaitingCommandId,
    Instant stepDeadline,
    int replicas,
    String currentVersion,
    String targetImage,
    List<PodInfo> restartOrder,
    Set<String> podsDone,
    Map<String, Integer> retries,
    boolean paused,
    Failure failure,
    Instant windowOpensAt) {

  /** Copies the collections (keeping their order) and checks the basic shape. */
  public RequestProgress {
    if (spec == null || phase == null || attempt < 1) {
      throw new IllegalArgumentException("spec, phase and an attempt >= 1 are required");
    }
    restartOrder = restartOrder == null ? List.of() : List.copyOf(restartOrder);
    podsDone =
        podsDone == null
            ? Set.of()
            : Collections.unmodifiableSet(new LinkedHashSet<>(podsDone));
    retries =
        retries == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(retries));
  }

  /**
   * A freshly admitted request: Pending, first attempt, nothing done.
   *
   * @param spec the request
   * @return its progress
   */
  public static RequestProgress admitted(RequestSpec spec) {
    return new RequestProgress(
        spec, OpsPhase.PENDING, 1, null, null, null, null, 0, null, null, null, null, null, false,
        null, null);
  }

  /**
   * The ops request reference.
   *
   * @return {@code namespace/name}
   */
  public String ref() {
    return spec.ref();
  }

  /**
   * Whether this run is corrective: a replay, or an {@code apply: Always} request. A corrective run
   * skips the cluster verification before the update, which a broken cluster would fail although
   * the update may be what repairs it.
   *
   * @return {@code true} for attempts after the first and for {@code Always}
   */
  public boolean corrective() {
    return attempt > 1 || spec.apply() == ApplyPolicy.ALWAYS;
  }

  /**
   * Whether the request already failed and is resuming the database before it ends Failed.
   *
   * @return {@code true} while Progressing with a failure recorded
   */
  public boolean failing() {
    return phase == OpsPhase.PROGRESSING && failure != null;
  }

  /**
   * Whether the request waits for its maintenance window.
   *
   * @return {@code true} while {@link #windowOpensAt()} is set
   */
  public boolean waitingForWindow() {
    return windowOpensAt != null;
  }

  /**
   * The next pod to restart: the first of the restart order that is not done.
   *
   * @return its name, or {@code null} when every pod is done
   */
  public String nextPod() {
    for (PodInfo candidate : restartOrder) {
      if (!podsDone.contains(candidate.name())) {
        return candidate.name();
      }
    }
    return null;
  }

  /**
   * A builder starting from this value.
   *
   * @return a builder holding every field of this record
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds a changed copy of a {@link RequestProgress}. */
  public static final class Builder {
    private final RequestSpec spec;
    private OpsPhase phase;
    private int attempt;
    private Step step;
    private String pod;
    private String awaitingCommandId;
    private Instant stepDeadline;
    private int replicas;
    private String currentVersion;
    private String targetImage;
    private List<PodInfo> restartOrder;
    private final Set<String> podsDone;
    private final Map<String, Integer> retries;
    private boolean paused;
    private Failure failure;
    private Instant windowOpensAt;

    private Builder(RequestProgress from) {
      spec = from.spec;
      phase = from.phase;
      attempt = from.attempt;
      step = from.step;
      pod = from.pod;
      awaitingCommandId = from.awaitingCommandId;
      stepDeadline = from.stepDeadline;
      replicas = from.replicas;
      currentVersion = from.currentVersion;
      targetImage = from.targetImage;
      restartOrder = from.restartOrder;
      podsDone = new LinkedHashSet<>(from.podsDone);
      retries = new LinkedHashMap<>(from.retries);
      paused = from.paused;
      failure = from.failure;
      windowOpensAt = from.windowOpensAt;
    }

    /**
     * Sets the phase.
     *
     * @param value the phase
     * @return this builder
     */
    public Builder phase(OpsPhase value) {
      phase = value;
      return this;
    }

    /**
     * Sets the attempt.
     *
     * @param value the attempt
     * @return this builder
     */
    public Builder attempt(int value) {
      attempt = value;
      return this;
    }

    /**
     * Sets the current step and its pod.
     *
     * @param value the step
     * @param podName the pod, or {@code null}
     * @return this builder
     */
    public Builder at(Step value, String podName) {
      step = value;
      pod = podName;
      return this;
    }

    /**
     * Sets the awaited command and the step deadline.
     *
     * @param commandId the command id, or {@code null}
     * @param deadline the deadline, or {@code null}
     * @return this builder
     */
    public Builder awaiting(String commandId, Instant deadline) {
      awaitingCommandId = commandId;
      stepDeadline = deadline;
      return this;
    }

    /**
     * Sets what the preflight saw.
     *
     * @param replicaCount replicas
     * @param version the current version
     * @return this builder
     */
    public Builder preflight(int replicaCount, String version) {
      replicas = replicaCount;
      currentVersion = version;
      return this;
    }

    /**
     * Sets the target image and the restart order.
     *
     * @param image the target image, or {@code null}
     * @param order the restart order
     * @return this builder
     */
    public Builder restart(String image, List<PodInfo> order) {
      targetImage = image;
      restartOrder = order;
      return this;
    }

    /**
     * Adds a pod to the done set.
     *
     * @param podName the pod
     * @return this builder
     */
    public Builder podDone(String podName) {
      podsDone.add(podName);
      return this;
    }

    /**
     * Records the retries used by one condition type.
     *
     * @param conditionType the KubeDB condition type of the step
     * @param used retries used so far
     * @return this builder
     */
    public Builder retries(String conditionType, int used) {
      retries.put(conditionType, used);
      return this;
    }

    /**
     * Forgets every retry count (a new attempt).
     *
     * @return this builder
     */
    public Builder clearRetries() {
      retries.clear();
      return this;
    }

    /**
     * Sets whether a resume is owed.
     *
     * @param value paused
     * @return this builder
     */
    public Builder paused(boolean value) {
      paused = value;
      return this;
    }

    /**
     * Sets the failure.
     *
     * @param value the failure, or {@code null}
     * @return this builder
     */
    public Builder failure(Failure value) {
      failure = value;
      return this;
    }

    /**
     * Sets when the awaited window opens.
     *
     * @param value the opening, or {@code null} when not waiting for the window
     * @return this builder
     */
    public Builder windowOpensAt(Instant value) {
      windowOpensAt = value;
      return this;
    }

    /**
     * Builds the value.
     *
     * @return the new progress
     */
    public RequestProgress build() {
      return new RequestProgress(
          spec,
          phase,
          attempt,
          step,
          pod,
          awaitingCommandId,
          stepDeadline,
          replicas,
          currentVersion,
          targetImage,
          restartOrder,
          podsDone,
          retries,
          paused,
          failure,
          windowOpensAt);
    }
  }
}
