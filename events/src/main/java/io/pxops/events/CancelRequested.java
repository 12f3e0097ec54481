package io.pxops.events;

/**
 * Someone asked to cancel the request named by the envelope. Only a request that has not started
 * can be cancelled (it becomes Skipped); see {@code io.pxops.events.plan.UpdatePlan}.
 *
 * @param requestedBy who asked (user or tool name), for the record
 */
public record CancelRequested(String requestedBy) implements Event {

  /** Requires the requester. */
  public CancelRequested {
    Require.text(requestedBy, "requestedBy");
  }
}
