package io.pxops.events;

import java.time.Duration;

/**
 * Check every Galera node after {@code pod} came back; answered by {@link PodVerified}. A node that
 * is still joining is progress ({@link StepProgressed}), not failure.
 *
 * @param pod the pod that was restarted
 * @param replicas the expected {@code wsrep_cluster_size}
 * @param timeout the per-step timeout
 */
public record VerifyPod(String pod, int replicas, Duration timeout) implements Command {

  /** Requires pod, at least one replica and a timeout. */
  public VerifyPod {
    Require.text(pod, "pod");
    Require.atLeast(replicas, 1, "replicas");
    Require.positive(timeout, "timeout");
  }

  @Override
  public Step step() {
    return Step.VERIFY_POD;
  }
}
