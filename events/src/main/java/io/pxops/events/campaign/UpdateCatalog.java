package io.pxops.events.campaign;

import java.util.List;

/**
 * What the version catalog allows, as KubeDB's admission reads it: from a current version, the
 * versions that exist in the catalog, are not deprecated, and satisfy the current version's
 * {@code updateConstraints}. The caller builds it from the {@code PerconaXtraDBVersion} objects.
 */
@FunctionalInterface
public interface UpdateCatalog {

  /**
   * The versions a database on {@code currentVersion} may be updated to.
   *
   * @param currentVersion the database's version
   * @return the allowed targets, in any order; empty if none (or the current version is unknown)
   */
  List<String> targetsAllowedFrom(String currentVersion);
}
