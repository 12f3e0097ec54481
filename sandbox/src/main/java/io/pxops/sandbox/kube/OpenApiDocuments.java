package io.pxops.sandbox.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The API's OpenAPI v3 documents: {@code /openapi/v3} (one entry per group-version) and
 * {@code /openapi/v3/apis/<group>/<version>} (the paths and schemas of that group-version).
 *
 * <p>Why kubectl needs them: before it creates or patches an object with validation on (its default), kubectl reads
 * the group-version's document to learn whether the server validates fields itself: a PATCH operation of that kind
 * with a {@code fieldValidation} query parameter. If so it sends {@code ?fieldValidation=Strict} and leaves the
 * validation to the server ({@link StrictFieldValidation}); if not, it validates on its own side from the OpenAPI v2
 * document (protobuf), which this API does not serve — and refuses to apply anything ("failed to download
 * openapi"). So every group-version the API serves is described here, with that parameter. The schemas of KubeDB's
 * kinds are their CRD schemas ({@code kubectl explain px.spec} reads them); built-in kinds are described by name
 * only, their fields being checked against fabric8's model of them.
 */
final class OpenApiDocuments {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The documents, by group-version path ({@code api/v1}, {@code apis/kubedb.com/v1}), built once. */
  private final Map<String, String> documents = new LinkedHashMap<>();
  private final Map<String, String> hashes = new LinkedHashMap<>();
  private final String root;

  OpenApiDocuments(List<ServedKind> builtIn, CustomResourceDefinitions definitions, String serverVersion) {
    Map<String, ObjectNode> byGroupVersion = new LinkedHashMap<>();
    for (ServedKind k : builtIn) {
      ObjectNode doc = byGroupVersion.computeIfAbsent(gvPath(k.group(), k.version()), p -> newDocument(serverVersion));
      String schemaName = builtInSchemaName(k.group(), k.version(), k.kind());
      ObjectNode schema = JSON.createObjectNode();
      schema.put("type", "object");
      schema.put("description", k.kind() + " (a built-in kind: its fields are those of the Kubernetes API)");
      schema.set("x-kubernetes-group-version-kind", gvkList(k.group(), k.version(), k.kind()));
      addKind(doc, k.group(), k.version(), k.kind(), k.plural(), k.namespaced(), schemaName, schema);
    }
    for (CustomResourceDefinitions.Version v : definitions.versions()) {
      ObjectNode doc = byGroupVersion.computeIfAbsent(gvPath(v.group(), v.version()), p -> newDocument(serverVersion));
      ObjectNode schema = v.schema().deepCopy();
      schema.set("x-kubernetes-group-version-kind", gvkList(v.group(), v.version(), v.kind()));
      addKind(doc, v.group(), v.version(), v.kind(), v.plural(), v.namespaced(), crdSchemaName(v), schema);
    }
    ObjectNode rootPaths = JSON.createObjectNode();
    byGroupVersion.forEach((path, doc) -> {
      String body = doc.toString();
      String hash = sha512(body);
      documents.put(path, body);
      hashes.put(path, hash);
      rootPaths.putObject(path).put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + hash);
    });
    ObjectNode rootNode = JSON.createObjectNode();
    rootNode.set("paths", rootPaths);
    this.root = rootNode.toString();
  }

  /** The body for a GET of {@code path} (without its query), or null when it is not an OpenAPI v3 path. */
  String answer(String path) {
    if (path.equals("/openapi/v3") || path.equals("/openapi/v3/")) {
      return root;
    }
    if (path.startsWith("/openapi/v3/")) {
      return documents.get(path.substring("/openapi/v3/".length()));
    }
    return null;
  }

  private static ObjectNode newDocument(String serverVersion) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", serverVersion);
    doc.putObject("paths");
    doc.putObject("components").putObject("schemas");
    return doc;
  }

  private static void addKind(ObjectNode doc, String group, String version, String kind, String plural,
      boolean namespaced, String schemaName, ObjectNode schema) {
    ((ObjectNode) doc.get("components").get("schemas")).set(schemaName, schema);
    String prefix = "/" + gvPath(group, version) + (namespaced ? "/namespaces/{namespace}/" : "/") + plural;
    ObjectNode paths = (ObjectNode) doc.get("paths");
    ObjectNode collection = paths.putObject(prefix);
    collection.set("get", operation("list", group, version, kind, schemaName, List.of()));
    collection.set("post", operation("post", group, version, kind, schemaName, WRITE_PARAMETERS));
    ObjectNode item = paths.putObject(prefix + "/{name}");
    item.set("get", operation("get", group, version, kind, schemaName, List.of()));
    item.set("put", operation("put", group, version, kind, schemaName, WRITE_PARAMETERS));
    item.set("patch", operation("patch", group, version, kind, schemaName, PATCH_PARAMETERS));
    item.set("delete", operation("delete", group, version, kind, schemaName, List.of("dryRun")));
  }

  private static final List<String> WRITE_PARAMETERS = List.of("dryRun", "fieldManager", "fieldValidation");
  private static final List<String> PATCH_PARAMETERS = List.of("dryRun", "fieldManager", "fieldValidation", "force");

  private static ObjectNode operation(String action, String group, String version, String kind, String schemaName,
      List<String> queryParameters) {
    ObjectNode op = JSON.createObjectNode();
    op.put("operationId", action + kind);
    ArrayNode parameters = op.putArray("parameters");
    for (String name : queryParameters) {
      ObjectNode p = parameters.addObject().put("name", name).put("in", "query");
      if (name.equals("fieldValidation")) {
        p.put("description", "How the server treats unknown fields in the object: Ignore, Warn or Strict.");
      }
      p.putObject("schema").put("type", name.equals("force") ? "boolean" : "string");
    }
    op.putObject("responses").putObject("200").put("description", "OK").putObject("content")
        .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/" + schemaName);
    op.put("x-kubernetes-action", action);
    op.putObject("x-kubernetes-group-version-kind").put("group", group).put("version", version).put("kind", kind);
    return op;
  }

  private static ArrayNode gvkList(String group, String version, String kind) {
    ArrayNode list = JSON.createArrayNode();
    list.addObject().put("group", group).put("kind", kind).put("version", version);
    return list;
  }

  private static String gvPath(String group, String version) {
    return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
  }

  /** {@code io.k8s.api.core.v1.Pod}, {@code io.k8s.api.policy.v1.PodDisruptionBudget}, as the real server names. */
  private static String builtInSchemaName(String group, String version, String kind) {
    String short_ = group.isEmpty() ? "core" : group.replace(".k8s.io", "").replace(".authorization", "");
    return "io.k8s.api." + short_ + "." + version + "." + kind;
  }

  /** {@code com.kubedb.v1.PerconaXtraDB}: the reversed group, as the real server names a CRD's schema. */
  private static String crdSchemaName(CustomResourceDefinitions.Version v) {
    List<String> parts = new java.util.ArrayList<>(List.of(v.group().split("\\.")));
    java.util.Collections.reverse(parts);
    return String.join(".", parts).toLowerCase(Locale.ROOT) + "." + v.version() + "." + v.kind();
  }

  private static String sha512(String body) {
    try {
      return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512")
          .digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is missing from this JVM", e);
    }
  }
}
