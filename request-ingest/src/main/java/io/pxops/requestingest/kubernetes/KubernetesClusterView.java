package io.pxops.requestingest.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBVersion;
import io.pxops.kubedb.PerconaXtraDBVersionSpec;
import io.pxops.requestingest.admission.ClusterView;
import java.util.List;
import java.util.Optional;

/** The cluster as admission sees it, read through fabric8 at the moment of the decision. */
public final class KubernetesClusterView implements ClusterView {

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
    return Optional.of(new Database(namespace, name, db.getSpec().getVersion()));
  }

  @Override
  public Optional<CatalogEntry> catalogEntry(String name) {
    return Optional.ofNullable(client.resources(PerconaXtraDBVersion.class).withName(name).get())
        .map(KubernetesClusterView::entry);
  }

  @Override
  public List<CatalogEntry> catalog() {
    return client.resources(PerconaXtraDBVersion.class).list().getItems().stream()
        .map(KubernetesClusterView::entry).toList();
  }

  private static CatalogEntry entry(PerconaXtraDBVersion v) {
    PerconaXtraDBVersionSpec spec = v.getSpec();
    PerconaXtraDBVersionSpec.UpdateConstraints c = spec.getUpdateConstraints();
    return new CatalogEntry(v.getMetadata().getName(), spec.getVersion(), spec.isDeprecatedVersion(),
        c == null || c.getAllowlist() == null ? List.of() : c.getAllowlist(),
        c == null || c.getDenylist() == null ? List.of() : c.getDenylist());
  }
}
