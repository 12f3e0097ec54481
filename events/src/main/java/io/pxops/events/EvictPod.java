package io.pxops.events;

import java.time.Duration;

/**
 * Evict one pod so it comes back with the target image; answered by {@link PodEvicted}, or by {@link
 * PodAlreadyUpdated} when the pod already runs {@code image}. Before evicting, the runner re-checks
 * that every other node is Synced and the cluster is full ("blocked" otherwise: it waits).
 *
 * @param pod the pod
 * @param image the target image
 * @param timeout the per-step timeout
 */
public record EvictPod(String pod, String image, Duration timeout) implements Command {

  /** Requires pod, image and timeout. */
  public EvictPod {
    Require.text(pod, "pod");
    Require.text(image, "image");
    Require.positive(timeout, "timeout");
  }

  @Override
  public Step step() {
    return Step.EVICT_POD;
  }
}
