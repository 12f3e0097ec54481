package io.pxops.events;

import java.time.Instant;

/**
 * The request waits for its maintenance window ({@link RequestSpec#window()}): it was due to start,
 * or to evict its next pod, while the window was closed. Nothing runs for it meanwhile, and no step
 * deadline runs; the plan starts it, or evicts that pod, at the first tick the window is open.
 *
 * @param opensAt when the window opens next
 * @param pod the pod it will evict next, or {@code null} if it has not started yet
 * @param podsDone pods already restarted and verified in this attempt (0 before the start)
 */
public record RequestWaitingForWindow(Instant opensAt, String pod, int podsDone) implements Event {

  /** Requires the opening time. */
  public RequestWaitingForWindow {
    Require.present(opensAt, "opensAt");
    Require.atLeast(podsDone, 0, "podsDone");
  }
}
