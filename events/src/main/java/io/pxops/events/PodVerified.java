package io.pxops.events;

import java.util.List;

/**
 * Answers {@link VerifyPod}: after this pod came back, every node is healthy and agrees on the data.
 *
 * @param pod the pod that was restarted
 * @param nodes what was read on each node
 */
public record PodVerified(String pod, List<NodeObservation> nodes) implements Event {

  /** Requires the pod. */
  public PodVerified {
    Require.text(pod, "pod");
    nodes = Require.list(nodes);
  }
}
