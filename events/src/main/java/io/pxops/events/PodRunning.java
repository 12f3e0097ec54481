package io.pxops.events;

/**
 * Answers {@link AwaitPodRunning}: the new pod runs the target image and is Ready.
 *
 * @param pod the pod
 * @param image the image it runs
 */
public record PodRunning(String pod, String image) implements Event {

  /** Requires pod and image. */
  public PodRunning {
    Require.text(pod, "pod");
    Require.text(image, "image");
  }
}
