package io.pxops.events.campaign;

import java.util.List;
import java.util.Map;

/**
 * Which databases a campaign takes: all three conditions must hold.
 *
 * @param namespaces the namespaces to look in; empty for every namespace
 * @param matchLabels labels a database must carry (Kubernetes {@code matchLabels}); empty for any
 * @param versions the current versions selected
 */
public record FleetSelection(
    List<String> namespaces, Map<String, String> matchLabels, VersionRange versions) {

  /** Copies the collections; null means "no condition". */
  public FleetSelection {
    namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
    versions = versions == null ? VersionRange.ANY : versions;
  }

  /**
   * Whether a database is selected.
   *
   * @param database a database of the fleet
   * @return true if the campaign takes it
   */
  public boolean matches(FleetMember database) {
    return (namespaces.isEmpty() || namespaces.contains(database.namespace()))
        && database.labels().entrySet().containsAll(matchLabels.entrySet())
        && versions.contains(database.currentVersion());
  }
}
