package io.pxops.events;

/**
 * Answers {@link UpdateDatabaseVersion}: the database object's {@code spec.version} is the target.
 *
 * @param version the version now recorded
 */
public record DatabaseVersionUpdated(String version) implements Event {

  /** Requires the version. */
  public DatabaseVersionUpdated {
    Require.text(version, "version");
  }
}
