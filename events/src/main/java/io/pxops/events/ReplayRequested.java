package io.pxops.events;

/**
 * Someone asked to run the Failed request named by the envelope again, as a new attempt that keeps
 * the pods already done. Replaying a request that did not fail changes nothing.
 *
 * @param requestedBy who asked (user or tool name), for the record
 */
public record ReplayRequested(String requestedBy) implements Event {

  /** Requires the requester. */
  public ReplayRequested {
    Require.text(requestedBy, "requestedBy");
  }
}
