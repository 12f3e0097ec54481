package io.pxops.requestingest.admission;

import java.util.List;
import java.util.Optional;

/** What admission needs to read from the cluster: a seam, so the rules are tested on plain values. */
public interface ClusterView {

  /**
   * The annotation holding a maintenance window as JSON (the campaign spec's {@code window} shape): on a
   * PerconaXtraDB, the database's own window, which every update of it must keep; on an ops request, the request's.
   */
  String WINDOW_ANNOTATION = "pxops.io/maintenance-window";

  /**
   * A PerconaXtraDB: its current catalog version name, and its own maintenance window.
   *
   * @param namespace its namespace
   * @param name its name
   * @param version its current catalog version name
   * @param window its {@link #WINDOW_ANNOTATION} as written, or null
   */
  record Database(String namespace, String name, String version, String window) {

    /** A database without a window of its own. */
    public Database(String namespace, String name, String version) {
      this(namespace, name, version, null);
    }
  }

  /** A PerconaXtraDBVersion catalog entry. */
  record CatalogEntry(String name, String version, boolean deprecated, List<String> allowlist,
      List<String> denylist) {
  }

  Optional<Database> database(String namespace, String name);

  Optional<CatalogEntry> catalogEntry(String name);

  /** Every catalog entry. */
  List<CatalogEntry> catalog();
}
