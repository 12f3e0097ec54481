package io.pxops.events;

import java.time.Duration;

/**
 * Record {@code version} in the database object's {@code spec.version}; answered by {@link
 * DatabaseVersionUpdated}.
 *
 * @param version the target version
 * @param timeout the per-step timeout
 */
public record UpdateDatabaseVersion(String version, Duration timeout) implements Command {

  /** Requires version and timeout. */
  public UpdateDatabaseVersion {
    Require.text(version, "version");
    Require.positive(timeout, "timeout");
  }

  @Override
  public Step step() {
    return Step.UPDATE_DATABASE;
  }
}
