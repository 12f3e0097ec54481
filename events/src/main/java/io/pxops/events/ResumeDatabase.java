package io.pxops.events;

import java.time.Duration;

/**
 * Remove the {@code Paused} condition from the database; answered by {@link DatabaseResumed}. Sent at
 * the end of every request that paused the database, whether it succeeded or is failing.
 *
 * @param timeout the per-step timeout
 */
public record ResumeDatabase(Duration timeout) implements Command {

  /** Requires the timeout. */
  public ResumeDatabase {
    Require.positive(timeout, "timeout");
  }

  @Override
  public Step step() {
    return Step.RESUME_DATABASE;
  }
}
