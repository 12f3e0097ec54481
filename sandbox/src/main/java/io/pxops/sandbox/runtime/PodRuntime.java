package io.pxops.sandbox.runtime;

/**
 * What the local kubelet needs from the process behind a pod: in the local world a pod of a PerconaXtraDB PetSet
 * is backed by a real MariaDB+Galera node process ({@code GaleraPodRuntime}) or, for fleet-scale benchmarks, by
 * a simulation that says so plainly ({@code SimulatedPodRuntime}).
 *
 * <p>Calls never block for long: the kubelet calls {@link #ensureRunning} and then polls {@link #state} to set
 * the pod's status, the way a real kubelet reacts to container state.
 */
public interface PodRuntime extends AutoCloseable {

  /**
   * Makes sure the pod's database process runs the server build that {@code image} names, starting it if it is
   * not running. A process already running for this pod on the same image is left alone; one on another image
   * is left alone too (a real kubelet never swaps the image of a running container: the pod is deleted and
   * re-created for that). Returns at once; progress is reported by {@link #state}.
   */
  void ensureRunning(PodIdentity pod, String image);

  /** Stops the pod's process gracefully (SIGTERM) and waits until it has exited. Its data directory is kept. */
  void stop(PodIdentity pod);

  /** Kills the pod's process with SIGKILL (a crash), keeping its data directory. */
  void kill(PodIdentity pod);

  /** The current state of the pod's process, cheap enough to poll every few hundred milliseconds. */
  PodProcessState state(PodIdentity pod);

  /**
   * Registers {@code listener}, called (on a runtime thread, quickly) when a pod's process changes phase — started,
   * Ready, no longer Ready, stopped — so the kubelet can report it at once instead of at its next poll, as a real
   * kubelet's pod lifecycle events do. The default: no events (the kubelet's poll alone).
   */
  default void onPhaseChange(java.util.function.Consumer<PodIdentity> listener) {
  }

  /** Stops every process this runtime started. */
  @Override
  void close();
}
