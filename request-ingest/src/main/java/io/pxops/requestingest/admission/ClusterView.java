package io.pxops.requestingest.admission;

import java.util.List;
import java.util.Optional;

/** What admission needs to read from the cluster: a seam, so the rules are tested on plain values. */
public interface ClusterView {

  /**
   * The annotation holding a maintenance window as JSON (the campaign spec's {@code window} shape): on a
   * PerconaXtraDB, the database's own window, which every update of it must keep; on a Namespace, the namespace's,
   * which every update in it must keep; on an ops request, the request's.
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

  /**
   * A namespace's own maintenance window: its {@link #WINDOW_ANNOTATION} on the Namespace object, as written. It
   * binds every update of every database in the namespace (the namespace owner's promise), as a namespace window
   * of a campaign selecting that namespace does.
   *
   * @param namespace the namespace
   * @return the window's JSON text, or empty when the namespace has none (or cannot be read as having one)
   */
  default Optional<String> namespaceWindow(String namespace) {
    return Optional.empty();
  }

  Optional<CatalogEntry> catalogEntry(String name);

  /** Every catalog entry. */
  List<CatalogEntry> catalog();
}
