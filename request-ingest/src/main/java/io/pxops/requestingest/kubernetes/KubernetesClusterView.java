package io.pxops.requestingest.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBVersion;
import io.pxops.kubedb.PerconaXtraDBVersionSpec;
import io.pxops.requestingest.admission.ClusterView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The cluster as admission sees it, read through fabric8 at the moment of the decision. */
public final class KubernetesClusterView implements ClusterView {

  private static final Pattern OBJECT_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final KubernetesClient client;

  public KubernetesClusterView(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<Database> database(String namespace, String name) {
    PerconaXtraDB db = client.resources(PerconaXtraDB.class).inNamespace(namespace).withName(name).get();
    if (db == null || db.getSpec() == null) {
      return Optional.empty();
    }
    var annotations = db.getMetadata() == null ? null : db.getMetadata().getAnnotations();
    return Optional.of(new Database(namespace, name, db.getSpec().getVersion(),
        annotations == null ? null : annotations.get(WINDOW_ANNOTATION)));
  }

  @Override
  public Optional<String> namespaceWindow(String namespace) {
    return Optional.ofNullable(namespace(namespace).window());
  }

  @Override
  public Namespace namespace(String namespace) {
    var ns = client.namespaces().withName(namespace).get();
    var metadata = ns == null ? null : ns.getMetadata();
    Map<String, String> labels = new HashMap<>();
    if (metadata != null && metadata.getLabels() != null) {
      labels.putAll(metadata.getLabels());
    }
    // set by Kubernetes 1.21+ on every namespace; added here for older servers and the local API, so that a
    // window selecting a namespace by name selects it on any of them
    labels.put(NAMESPACE_NAME_LABEL, namespace);
    var annotations = metadata == null ? null : metadata.getAnnotations();
    return new Namespace(labels, annotations == null ? null : annotations.get(WINDOW_ANNOTATION));
  }

  @Override
  public Optional<CatalogEntry> catalogEntry(String name) {
    // a target version is submitted text: one that cannot be an object name names no entry, and must not reach
    // the API as a path ("../x", "a/b", a NUL) where it would fail as a request instead of as "not found"
    if (name == null || name.length() > 253 || !OBJECT_NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return Optional.ofNullable(client.resources(PerconaXtraDBVersion.class).withName(name).get())
        .filter(v -> v.getSpec() != null).map(KubernetesClusterView::entry);
  }

  @Override
  public List<CatalogEntry> catalog() {
    return client.resources(PerconaXtraDBVersion.class).list().getItems().stream()
        .filter(v -> v.getSpec() != null).map(KubernetesClusterView::entry).toList();
  }

  private static CatalogEntry entry(PerconaXtraDBVersion v) {
    PerconaXtraDBVersionSpec spec = v.getSpec();
    PerconaXtraDBVersionSpec.UpdateConstraints c = spec.getUpdateConstraints();
    return new CatalogEntry(v.getMetadata().getName(), spec.getVersion(), spec.isDeprecatedVersion(),
        c == null || c.getAllowlist() == null ? List.of() : c.getAllowlist(),
        c == null || c.getDenylist() == null ? List.of() : c.getDenylist());
  }
}
