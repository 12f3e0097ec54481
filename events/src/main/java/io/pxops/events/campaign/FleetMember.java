package io.pxops.events.campaign;

import java.util.Map;
import java.util.Objects;

/**
 * A database of the fleet as a campaign sees it (read from Kubernetes by the caller).
 *
 * @param namespace its namespace
 * @param name its name
 * @param labels its labels
 * @param currentVersion the version it runs
 * @param window its own maintenance window; {@link MaintenanceWindow#ALWAYS} if it has none
 */
public record FleetMember(
    String namespace,
    String name,
    Map<String, String> labels,
    String currentVersion,
    MaintenanceWindow window) {

  /** Copies the labels; no window means always open. */
  public FleetMember {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    window = window == null ? MaintenanceWindow.ALWAYS : window;
  }

  /**
   * The database's reference.
   *
   * @return {@code namespace/name}
   */
  public String ref() {
    return namespace + "/" + name;
  }
}
