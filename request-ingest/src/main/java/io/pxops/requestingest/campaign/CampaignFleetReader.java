package io.pxops.requestingest.campaign;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.events.JsonCodec;
import io.pxops.events.campaign.NamespaceWindow;
import io.pxops.events.campaign.WindowJson;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.requestingest.admission.VersionConstraints;
import io.pxops.requestingest.kubernetes.KubernetesClusterView;
import io.pxops.requestingest.admission.ClusterView.CatalogEntry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fleet a campaign is planned over, read from Kubernetes when it is created, in the shape of
 * {@code docs/examples/fleet.yaml} (what {@code FleetListing} reads): every {@code PerconaXtraDB}
 * with its catalog version, labels and own window, the labels of their namespaces and each namespace's own window
 * (its {@code pxops.io/maintenance-window} annotation, as a namespace window selecting it) and the configured
 * namespace windows ({@code PXOPS_NAMESPACE_WINDOWS}, with their label selectors), and, from each current
 * version, the catalog versions admission would allow (in the catalog, not deprecated, within the
 * current entry's {@code updateConstraints}: the same rules, {@link VersionConstraints}). The
 * campaign record carries this listing, so its plan is made once, from what the door saw.
 */
public final class CampaignFleetReader {

  /** The label Kubernetes gives every namespace, its name. */
  static final String NAME_LABEL = io.pxops.requestingest.admission.ClusterView.NAMESPACE_NAME_LABEL;

  private final KubernetesClient client;
  private final List<NamespaceWindow> configured;

  /**
   * A reader with no configured namespace windows.
   *
   * @param client the door's Kubernetes client
   */
  public CampaignFleetReader(KubernetesClient client) {
    this(client, List.of());
  }

  /**
   * A reader.
   *
   * @param client the door's Kubernetes client
   * @param namespaceWindows the configured namespace windows ({@code PXOPS_NAMESPACE_WINDOWS}): listed, with their
   *     selectors, after the namespaces' own, so the campaign planner applies them to the members in the namespaces
   *     they select, as admission applies them to single requests
   */
  public CampaignFleetReader(KubernetesClient client, List<NamespaceWindow> namespaceWindows) {
    this.client = client;
    this.configured = List.copyOf(namespaceWindows);
  }

  /**
   * Reads the fleet now.
   *
   * @return the listing as JSON
   */
  public ObjectNode read() {
    ObjectNode fleet = JsonCodec.shared().mapper().createObjectNode();
    ArrayNode databases = fleet.putArray("databases");
    TreeSet<String> namespaces = new TreeSet<>();
    TreeSet<String> versions = new TreeSet<>();
    for (PerconaXtraDB db : client.resources(PerconaXtraDB.class).inAnyNamespace().list().getItems()) {
      if (db.getSpec() == null || db.getSpec().getVersion() == null) {
        continue; // nothing to update from
      }
      ObjectNode d = databases.addObject();
      d.put("namespace", db.getMetadata().getNamespace());
      d.put("name", db.getMetadata().getName());
      d.put("version", db.getSpec().getVersion());
      Map<String, String> labels = db.getMetadata().getLabels();
      if (labels != null && !labels.isEmpty()) {
        ObjectNode l = d.putObject("labels");
        new TreeMap<>(labels).forEach(l::put);
      }
      String window = db.getMetadata().getAnnotations() == null ? null
          : db.getMetadata().getAnnotations().get(io.pxops.requestingest.admission.ClusterView.WINDOW_ANNOTATION);
      if (window != null) {
        // the database's own window, as admission reads it: the campaign plans with it (a bad one is refused
        // naming databases[i].window, as admission would refuse every update of that database)
        d.set("window", windowTree(window));
      }
      namespaces.add(db.getMetadata().getNamespace());
      versions.add(db.getSpec().getVersion());
    }
    ObjectNode nsLabels = fleet.putObject("namespaces");
    ArrayNode namespaceWindows = fleet.putArray("namespaceWindows");
    for (String ns : namespaces) {
      Namespace n = client.namespaces().withName(ns).get();
      ObjectNode l = nsLabels.putObject(ns);
      if (n != null && n.getMetadata().getLabels() != null) {
        new TreeMap<>(n.getMetadata().getLabels()).forEach(l::put);
      }
      // Kubernetes sets this label on every namespace (1.21+); written here too, so that a namespace's own window
      // below selects it on any API server
      l.put(NAME_LABEL, ns);
      Map<String, String> annotations = n == null ? null : n.getMetadata().getAnnotations();
      String window = annotations == null ? null
          : annotations.get(io.pxops.requestingest.admission.ClusterView.WINDOW_ANNOTATION);
      if (window != null) {
        // the namespace's own window, as admission reads it for every request in it: a namespace window selecting
        // that namespace by name, so the campaign plans with it (a bad one is refused naming namespaceWindows[i])
        ObjectNode nw = namespaceWindows.addObject();
        nw.putObject("namespaceSelector").put(NAME_LABEL, ns);
        nw.set("window", windowTree(window));
      }
    }
    for (NamespaceWindow nw : configured) {
      // checked at start; written in the listing's shape, so that the plan (made once, from the record) keeps them
      ObjectNode entry = namespaceWindows.addObject();
      ObjectNode selector = entry.putObject("namespaceSelector");
      new TreeMap<>(nw.namespaceSelector()).forEach(selector::put);
      entry.set("window", WindowJson.write(nw.window()));
    }
    fleet.set("catalog", catalog(versions, new KubernetesClusterView(client).catalog()));
    return fleet;
  }

  private static com.fasterxml.jackson.databind.JsonNode windowTree(String json) {
    try {
      return JsonCodec.shared().mapper().readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return com.fasterxml.jackson.databind.node.TextNode.valueOf(json); // refused as "must be an object"
    }
  }

  private static ObjectNode catalog(TreeSet<String> fromVersions, List<CatalogEntry> entries) {
    ObjectNode catalog = JsonCodec.shared().mapper().createObjectNode();
    for (String from : fromVersions) {
      CatalogEntry source = entries.stream().filter(e -> e.name().equals(from)).findFirst().orElse(null);
      ArrayNode allowed = catalog.putArray(from);
      if (source == null) {
        continue; // admission refuses every target from a version with no entry (CurrentVersionNotFound)
      }
      for (CatalogEntry target : entries) {
        if (target.deprecated() || target.name().equals(from)) {
          continue;
        }
        boolean ok;
        try {
          ok = VersionConstraints.allowed(source.allowlist(), source.denylist(), target.version());
        } catch (RuntimeException e) {
          ok = false; // constraints admission cannot evaluate refuse every target (InvalidUpdateConstraints)
        }
        if (ok) {
          allowed.add(target.name());
        }
      }
    }
    return catalog;
  }

}
