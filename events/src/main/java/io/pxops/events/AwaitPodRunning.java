package io.pxops.events;

import java.time.Duration;

/**
 * Wait until the pod runs {@code image} and is Ready; answered by {@link PodRunning}. A stuck pod
 * (CrashLoopBackOff, ImagePullBackOff, unschedulable) is reported as {@link StepFailed} quickly.
 *
 * @param pod the pod
 * @param image the target image
 * @param timeout the per-step timeout
 */
public record AwaitPodRunning(String pod, String image, Duration timeout) implements Command {

  /** Requires pod, image and timeout. */
  public AwaitPodRunning {
    Require.text(pod, "pod");
    Require.text(image, "image");
    Require.positive(timeout, "timeout");
  }

  @Override
  public Step step() {
    return Step.CHECK_POD_RUNNING;
  }
}
