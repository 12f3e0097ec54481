package io.pxops.events;

import java.time.Duration;

/**
 * Check every Galera node before anything changes; answered by {@link ClusterVerified} or {@link
 * StepFailed}.
 *
 * @param replicas the expected {@code wsrep_cluster_size}
 * @param timeout the per-step timeout
 */
public record VerifyCluster(int replicas, Duration timeout) implements Command {

  /** Requires at least one replica and a timeout. */
  public VerifyCluster {
    Require.atLeast(replicas, 1, "replicas");
    Require.positive(timeout, "timeout");
  }

  @Override
  public Step step() {
    return Step.VERIFY_CLUSTER;
  }
}
