package io.pxops.events;

import java.util.List;

/**
 * Answers {@link VerifyCluster}: every node is healthy and agrees on the data.
 *
 * @param nodes what was read on each node
 */
public record ClusterVerified(List<NodeObservation> nodes) implements Event {

  /** An absent list becomes empty. */
  public ClusterVerified {
    nodes = Require.list(nodes);
  }
}
