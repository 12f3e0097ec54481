package io.pxops.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * KubeDB's CustomResourceDefinitions as the local API serves them, read once from {@code kubedb-crds.yaml} (next to
 * this class): for each served version its schema and printer columns, and for each kind its short names,
 * categories and storage version. The local API answers discovery, OpenAPI, tables, version conversion and strict
 * field validation from them, as a real API server answers from the CRDs installed in it.
 */
final class CustomResourceDefinitions {

  /** One column of {@code additionalPrinterColumns}. */
  record PrinterColumn(String name, String type, String jsonPath, String description, int priority) {
  }

  /**
   * One served version of a custom resource.
   *
   * @param schema the version's {@code openAPIV3Schema}
   * @param storage whether objects are stored in this version (exactly one per kind)
   */
  record Version(String group, String version, String kind, String listKind, String plural, String singular,
      boolean namespaced, boolean storage, boolean statusSubresource, List<String> shortNames,
      List<String> categories, JsonNode schema, List<PrinterColumn> columns) {

    String groupVersion() {
      return group + "/" + version;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESOURCE = "kubedb-crds.yaml";
  /** pxops's own definitions: the same text as {@code deploy/crds/} ({@code PxopsCrdsTest}). */
  static final String PXOPS_RESOURCE = "pxops-crds.yaml";

  private final List<Version> versions;

  private CustomResourceDefinitions(List<Version> versions) {
    this.versions = List.copyOf(versions);
  }

  /** KubeDB's definitions, parsed from the class path once. */
  static CustomResourceDefinitions kubeDb() {
    return KubeDb.DEFINITIONS;
  }

  /** Holder: parsed on first use, then shared by every API started in the JVM (they are immutable). */
  private static final class KubeDb {
    static final CustomResourceDefinitions DEFINITIONS = load();
  }

  private static CustomResourceDefinitions load() {
    List<Version> versions = new ArrayList<>();
    // KubeDB's, and pxops's own (a copy of deploy/crds/): the local API serves both as a cluster would
    for (String resource : List.of(RESOURCE, PXOPS_RESOURCE)) {
      try (InputStream in = CustomResourceDefinitions.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(resource + " is missing from the class path");
        }
        // SnakeYAML resolves the anchors the file uses to share sub-schemas between versions
        for (Object document : new Yaml(new LoaderOptions()).loadAll(in)) {
          if (document != null) {
            versions.addAll(parse(JSON.valueToTree(document)));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + resource, e);
      }
    }
    return new CustomResourceDefinitions(versions);
  }

  private static List<Version> parse(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    List<Version> out = new ArrayList<>();
    for (JsonNode v : spec.path("versions")) {
      if (!v.path("served").asBoolean(false)) {
        continue;
      }
      List<PrinterColumn> columns = new ArrayList<>();
      for (JsonNode c : v.path("additionalPrinterColumns")) {
        columns.add(new PrinterColumn(c.path("name").asText(), c.path("type").asText("string"),
            c.path("jsonPath").asText(), c.path("description").asText(""), c.path("priority").asInt(0)));
      }
      if (columns.isEmpty()) {
        // what the API server defaults a CRD without printer columns to
        columns.add(new PrinterColumn("Age", "date", ".metadata.creationTimestamp", "", 0));
      }
      out.add(new Version(spec.path("group").asText(), v.path("name").asText(), names.path("kind").asText(),
          names.path("listKind").asText(), names.path("plural").asText(), names.path("singular").asText(),
          "Namespaced".equals(spec.path("scope").asText()), v.path("storage").asBoolean(false),
          v.path("subresources").has("status"), strings(names.path("shortNames")),
          strings(names.path("categories")), v.path("schema").path("openAPIV3Schema"), List.copyOf(columns)));
    }
    return out;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return List.copyOf(out);
  }

  /** The definitions of the kinds among {@code kinds} (matched by group and kind; any served version). */
  CustomResourceDefinitions servedFor(List<ServedKind> kinds) {
    return new CustomResourceDefinitions(versions.stream().filter(v -> kinds.stream()
        .anyMatch(k -> k.group().equals(v.group()) && k.kind().equals(v.kind()))).toList());
  }

  /** Every served version of every kind. */
  List<Version> versions() {
    return versions;
  }

  /** The served version of {@code group/version} whose resource is {@code plural}. */
  Optional<Version> find(String group, String version, String plural) {
    return versions.stream()
        .filter(v -> v.group().equals(group) && v.version().equals(version) && v.plural().equals(plural))
        .findFirst();
  }

  /** The served version of the kind named by {@code apiVersion} and {@code kind}. */
  Optional<Version> findKind(String apiVersion, String kind) {
    return versions.stream().filter(v -> v.groupVersion().equals(apiVersion) && v.kind().equals(kind)).findFirst();
  }

  /** The version objects of {@code group}/{@code plural} are stored in. */
  Optional<Version> storageVersion(String group, String plural) {
    return versions.stream().filter(v -> v.group().equals(group) && v.plural().equals(plural) && v.storage())
        .findFirst();
  }

  /** The versions served for {@code group}, storage versions first (a real server's preferred version). */
  List<String> versionsOf(String group) {
    Map<String, Boolean> out = new LinkedHashMap<>();
    versions.stream().filter(v -> v.group().equals(group) && v.storage()).forEach(v -> out.put(v.version(), true));
    versions.stream().filter(v -> v.group().equals(group)).forEach(v -> out.putIfAbsent(v.version(), true));
    return List.copyOf(out.keySet());
  }
}
