package io.pxops.sandbox.runtime;

/**
 * What a {@link PodRuntime} observes of a pod's process.
 *
 * @param phase where the process is
 * @param reason for {@link Phase#STUCK}: a kubelet waiting reason such as {@code ImagePullBackOff} or
 *     {@code CrashLoopBackOff}; otherwise a short CamelCase word or null
 * @param message a human-readable detail, or null
 * @param image the image the process was started from, or null when none runs
 * @param serverVersion {@code SELECT VERSION()} of the running node, or null when unknown
 * @param wsrepState {@code wsrep_local_state_comment} of the running node (e.g. {@code Joining}, {@code Synced}),
 *     or null when unknown
 */
public record PodProcessState(Phase phase, String reason, String message, String image, String serverVersion,
    String wsrepState) {

  /** The life of a pod's process, as the kubelet maps it onto the pod's status. */
  public enum Phase {
    /** Nothing started for this pod. */
    NOT_STARTED,
    /** Started, not yet accepting connections or not yet Synced: pod Running, not Ready. */
    STARTING,
    /** Synced with its cluster: pod Running and Ready. */
    READY,
    /** Cannot start (no server build for the image, or the process keeps exiting): pod waiting with reason. */
    STUCK,
    /** Stopped or killed; its data directory is kept. */
    STOPPED
  }

  public static PodProcessState notStarted() {
    return new PodProcessState(Phase.NOT_STARTED, null, null, null, null, null);
  }

  public boolean ready() {
    return phase == Phase.READY;
  }
}
