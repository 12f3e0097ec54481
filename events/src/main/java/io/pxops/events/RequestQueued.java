package io.pxops.events;

/**
 * The request is Pending: another request holds the database.
 *
 * @param position its place in the database's queue, 1 for the next to run
 */
public record RequestQueued(int position) implements Event {

  /** Requires a position of 1 or more. */
  public RequestQueued {
    Require.atLeast(position, 1, "position");
  }
}
