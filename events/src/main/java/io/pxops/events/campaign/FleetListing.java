package io.pxops.events.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fleet as a file describes it, for {@code pxops plan} without a cluster (the same shape a
 * later step reads from Kubernetes):
 *
 * <pre>
 * databases:
 *   - {namespace: shop, name: px-1, version: "8.0.40", labels: {tier: gold},
 *      window: {timeZone: UTC, days: [{day: Sunday, start: "02:00", end: "05:00"}]}}
 * namespaces:                     # each namespace's labels
 *   shop: {team: web}
 * namespaceWindows:
 *   - {namespaceSelector: {team: web}, window: {timeZone: Europe/Berlin, days: [...]}}
 *   - {namespaceSelector: {matchLabels: {team: web}}, window: ...}  # also Kubernetes' form, as the ingest's
 *                                                                   # PXOPS_NAMESPACE_WINDOWS writes it
 * catalog:                        # from each version, the versions admission allows
 *   "8.0.40": ["8.4.3"]
 * </pre>
 *
 * @param databases the databases
 * @param namespaceLabels each namespace's labels
 * @param namespaceWindows the namespace windows
 * @param catalog from each version, the targets admission allows (in the catalog, not deprecated,
 *     within the current version's update constraints)
 */
public record FleetListing(
    List<FleetMember> databases,
    Map<String, Map<String, String>> namespaceLabels,
    List<NamespaceWindow> namespaceWindows,
    Map<String, List<String>> catalog) {

  /**
   * The catalog as the planner asks it.
   *
   * @return the update catalog
   */
  public UpdateCatalog updateCatalog() {
    return v -> catalog.getOrDefault(v, List.of());
  }

  /**
   * Reads a listing; never throws.
   *
   * @param root the listing's JSON tree
   * @param violations where problems are added, each naming its field
   * @return the listing (entries with problems left out)
   */
  public static FleetListing read(JsonNode root, List<Violation> violations) {
    List<FleetMember> databases = new ArrayList<>();
    Map<String, Map<String, String>> namespaces = new LinkedHashMap<>();
    List<NamespaceWindow> windows = new ArrayList<>();
    Map<String, List<String>> catalog = new LinkedHashMap<>();
    if (root == null || !root.isObject()) {
      violations.add(new Violation("fleet", "Type", "must be an object with databases, namespaces, namespaceWindows, catalog"));
      return new FleetListing(databases, namespaces, windows, catalog);
    }
    JsonNode dbs = list(root, "databases", violations);
    for (int i = 0; i < dbs.size(); i++) {
      JsonNode d = dbs.get(i);
      String at = "databases[" + i + "]";
      String ns = d.path("namespace").asText("");
      String name = d.path("name").asText("");
      String version = d.path("version").asText("");
      if (ns.isEmpty() || name.isEmpty() || Version.parse(version).isEmpty()) {
        violations.add(new Violation(at, "Required", "needs namespace, name and a version (like 8.0.40)"));
        continue;
      }
      databases.add(
          new FleetMember(
              ns, name, labels(d.path("labels")), version,
              d.hasNonNull("window") ? WindowJson.read(d.get("window"), at + ".window", violations) : null));
    }
    root.path("namespaces").properties().forEach(e -> namespaces.put(e.getKey(), labels(e.getValue())));
    JsonNode nw = list(root, "namespaceWindows", violations);
    for (int i = 0; i < nw.size(); i++) {
      String at = "namespaceWindows[" + i + "]";
      JsonNode selector = nw.get(i).path("namespaceSelector");
      // Kubernetes' form, {matchLabels: {...}}, as in PXOPS_NAMESPACE_WINDOWS, so that the ingest's setting pastes
      // into a listing for pxops plan; a label's value is text, so an object under matchLabels is never a label
      if (selector.path("matchLabels").isObject()) {
        selector = selector.get("matchLabels");
      }
      windows.add(
          new NamespaceWindow(
              labels(selector),
              CampaignSpecJson.readWindow(nw.get(i).path("window"), at + ".window", violations)));
    }
    root.path("catalog")
        .properties()
        .forEach(
            e -> {
              List<String> targets = new ArrayList<>();
              e.getValue().forEach(t -> targets.add(t.asText()));
              catalog.put(e.getKey(), targets);
            });
    return new FleetListing(databases, namespaces, windows, catalog);
  }

  /** The list at {@code field}, or an empty one (named in a violation if something else is there). */
  private static JsonNode list(JsonNode root, String field, List<Violation> violations) {
    JsonNode node = root.path(field);
    if (node.isArray()) {
      return node;
    }
    if (!node.isMissingNode() && !node.isNull()) {
      violations.add(new Violation(field, "Type", "must be a list"));
    }
    return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
  }

  private static Map<String, String> labels(JsonNode node) {
    Map<String, String> labels = new LinkedHashMap<>();
    node.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }
}
