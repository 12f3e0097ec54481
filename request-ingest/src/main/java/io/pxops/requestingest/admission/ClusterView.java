package io.pxops.requestingest.admission;

import java.util.List;
import java.util.Map;
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

  /**
   * The label Kubernetes gives every namespace (1.21+), its name; a view adds it where an API server does not, so
   * that a namespace window can select one namespace by name on any of them.
   */
  String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  /**
   * What admission reads of a Namespace, in one read: its labels (which the configured namespace windows select
   * by) and its own window.
   *
   * @param labels its labels, with {@link #NAMESPACE_NAME_LABEL}; empty when the namespace cannot be read
   * @param window its {@link #WINDOW_ANNOTATION} as written, or null
   */
  record Namespace(Map<String, String> labels, String window) {

    public Namespace {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
  }

  /**
   * A namespace's labels and own window, read once per admission.
   *
   * @param namespace the namespace
   * @return what is read; a view that knows no labels gives none, with {@link #namespaceWindow}
   */
  default Namespace namespace(String namespace) {
    return new Namespace(Map.of(NAMESPACE_NAME_LABEL, namespace), namespaceWindow(namespace).orElse(null));
  }

  Optional<CatalogEntry> catalogEntry(String name);

  /** Every catalog entry. */
  List<CatalogEntry> catalog();
}
