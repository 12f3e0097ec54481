package io.pxops.events;

/**
 * Answers {@link EvictPod}: the pod was evicted and will come back with the new image.
 *
 * @param pod the pod
 */
public record PodEvicted(String pod) implements Event {

  /** Requires the pod. */
  public PodEvicted {
    Require.text(pod, "pod");
  }
}
