package io.pxops.events;

import java.util.List;

/**
 * Answers {@link RunPreflight}: the update may start.
 *
 * @param currentVersion the database's {@code spec.version} before the update
 * @param replicas the database's {@code spec.replicas}
 * @param pods the pods as seen now
 */
public record PreflightPassed(String currentVersion, int replicas, List<PodInfo> pods)
    implements Event {

  /** Requires the current version and at least one replica. */
  public PreflightPassed {
    Require.text(currentVersion, "currentVersion");
    Require.atLeast(replicas, 1, "replicas");
    pods = Require.list(pods);
  }
}
