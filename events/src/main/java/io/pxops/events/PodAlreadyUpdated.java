package io.pxops.events;

/**
 * Answers {@link EvictPod} when the pod already runs the target image (a redelivered command, a
 * replay): nothing was evicted; the plan goes straight to verifying it.
 *
 * @param pod the pod
 * @param image the image it runs
 */
public record PodAlreadyUpdated(String pod, String image) implements Event {

  /** Requires pod and image. */
  public PodAlreadyUpdated {
    Require.text(pod, "pod");
    Require.text(image, "image");
  }
}
