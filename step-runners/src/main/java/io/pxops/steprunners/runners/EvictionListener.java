package io.pxops.steprunners.runners;

import io.pxops.events.Envelope;

/**
 * Told of each eviction after the pod was evicted and before the runner reports it: the window in which a crash
 * must not restart the pod a second time (the eviction annotation recorded before acting is what prevents it). In
 * production nothing listens ({@link #NONE}); a chaos test's runner main (outside the production artifacts)
 * plugs in a listener that pauses here, so that the test can kill the process inside the window.
 */
@FunctionalInterface
public interface EvictionListener {

  /** Listens to nothing. */
  EvictionListener NONE = (command, pod) -> { };

  /**
   * @param command the {@code EvictPod} command's envelope
   * @param pod the pod just evicted
   */
  void evicted(Envelope command, String pod);
}
