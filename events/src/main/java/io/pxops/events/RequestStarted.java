package io.pxops.events;

/**
 * The request holds the database and is Progressing.
 *
 * @param attempt 1 for the first run, 2 and more for replays
 */
public record RequestStarted(int attempt) implements Event {

  /** Requires an attempt of 1 or more. */
  public RequestStarted {
    Require.atLeast(attempt, 1, "attempt");
  }
}
