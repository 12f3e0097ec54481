package io.pxops.events;

/**
 * The request ends Skipped without having started.
 *
 * @param reason {@link #SUPERSEDED} or {@link #CANCELLED}
 * @param message a sentence for humans, e.g. "skipped as shop/upd-3 is the most recent UpdateVersion
 *     request for shop/orders"
 */
public record RequestSkipped(String reason, String message) implements Event {

  /** A newer request for the same database was queued (KubeDB keeps only the newest pending one). */
  public static final String SUPERSEDED = "Superseded";

  /** Someone cancelled it while it was Pending. */
  public static final String CANCELLED = "Cancelled";

  /** Requires reason and message. */
  public RequestSkipped {
    Require.text(reason, "reason");
    Require.text(message, "message");
  }
}
