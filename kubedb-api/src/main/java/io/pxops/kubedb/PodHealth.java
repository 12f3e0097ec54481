package io.pxops.kubedb;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a pod's status says about the database node in it, for the step runners and the verifier alike: Ready,
 * still starting (progress: a joining node may take hours to receive its state), or stuck (it will not start by
 * waiting, so the update must stop the line within minutes instead of waiting out its timeout).
 *
 * <p>Stuck means a container waiting with {@link #STUCK_REASONS} (Strimzi's {@code KafkaRoller.isPodStuck} uses the
 * same list), or a pod Pending and Unschedulable for longer than a grace period: Percona's operator waited two hours
 * on an unschedulable pod before its PR #1829 made that two minutes.
 */
public final class PodHealth {

  /** Container waiting reasons that waiting will not cure. */
  public static final Set<String> STUCK_REASONS = Set.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull",
      "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

  /** Where a pod is. */
  public enum State {
    /** Running and Ready. */
    READY,
    /** Not Ready yet, and nothing says it will not become Ready: keep waiting. */
    STARTING,
    /** It will not become Ready by waiting. */
    STUCK
  }

  /**
   * @param state where the pod is
   * @param reason for {@link State#STUCK}: the kubelet's waiting reason or {@code Unschedulable}; else null
   * @param message a sentence naming the pod and the cause
   */
  public record Verdict(State state, String reason, String message) {
  }

  private PodHealth() {
  }

  /** Judges one pod's status at {@code now}; an unschedulable pod is stuck once it was so for {@code grace}. */
  public static Verdict of(Pod pod, Instant now, Duration grace) {
    String name = pod.getMetadata().getName();
    var status = pod.getStatus();
    if (status == null) {
      return new Verdict(State.STARTING, null, name + " has no status yet");
    }
    List<ContainerStatus> containers = status.getContainerStatuses() == null ? List.of()
        : status.getContainerStatuses();
    for (ContainerStatus c : containers) {
      if (c.getState() != null && c.getState().getWaiting() != null
          && STUCK_REASONS.contains(c.getState().getWaiting().getReason())) {
        String why = c.getState().getWaiting().getReason();
        String detail = c.getState().getWaiting().getMessage();
        return new Verdict(State.STUCK, why, "pod " + name + " is stuck: container " + c.getName() + " is waiting with "
            + why + (detail == null || detail.isBlank() ? "" : ": " + detail));
      }
    }
    List<PodCondition> conditions = status.getConditions() == null ? List.of() : status.getConditions();
    for (PodCondition c : conditions) {
      if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
          && "Unschedulable".equals(c.getReason())) {
        Instant since = c.getLastTransitionTime() == null ? now : Instant.parse(c.getLastTransitionTime());
        if (!now.isBefore(since.plus(grace))) {
          return new Verdict(State.STUCK, "Unschedulable", "pod " + name + " has been unschedulable since " + since
              + (c.getMessage() == null ? "" : ": " + c.getMessage()));
        }
      }
    }
    boolean ready = conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    if (ready && "Running".equals(status.getPhase())) {
      return new Verdict(State.READY, null, name + " is Running and Ready");
    }
    return new Verdict(State.STARTING, null, name + " is " + status.getPhase() + ", not Ready yet");
  }
}
