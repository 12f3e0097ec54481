package io.pxops.events;

import java.time.Duration;

/**
 * Set the {@code Paused} condition on the database (never {@code spec.halted}); answered by {@link
 * DatabasePaused} once the condition is visible.
 *
 * @param timeout the per-step timeout
 */
public record PauseDatabase(Duration timeout) implements Command {

  /** Requires the timeout. */
  public PauseDatabase {
    Require.positive(timeout, "timeout");
  }

  @Override
  public Step step() {
    return Step.PAUSE_DATABASE;
  }
}
