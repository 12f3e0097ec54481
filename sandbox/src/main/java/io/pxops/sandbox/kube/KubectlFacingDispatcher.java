package io.pxops.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * In front of {@link LocalApiDispatcher}: what makes kubectl behave against the local API as against a real cluster,
 * all answered from KubeDB's CRDs ({@link CustomResourceDefinitions}):
 * <ul>
 *   <li><b>every served version</b> of KubeDB's kinds ({@code kubedb.com/v1alpha2} as well as {@code v1}): objects
 *       stay stored in the storage version and are converted on the way in and out ({@link VersionConversion}),
 *       including patches (applied to the object as seen in the request's version) and watch events; discovery
 *       lists every version, the storage version preferred, and KubeDB's categories ({@code kubectl get kubedb},
 *       and {@code kubectl get all} with pods and services as on a real server);
 *   <li><b>OpenAPI v3</b> ({@link OpenApiDocuments}) and <b>strict field validation</b> ({@link
 *       StrictFieldValidation}): {@code kubectl apply} validates with no {@code --validate=false}, and an unknown
 *       field is refused (400, {@code ?fieldValidation=Strict}) or warned about ({@code Warn}) as a real server does;
 *   <li><b>tables</b> ({@link TableOutput}) for KubeDB's kinds, pods and PodDisruptionBudgets;
 *   <li><b>strategic merge patch</b> ({@link StrategicMergePatch}) of built-in kinds, so that a second
 *       {@code kubectl apply} of a Pod or a Secret updates it.
 * </ul>
 * Everything else goes to the delegate unchanged. Clients that send no {@code fieldValidation} (the services,
 * fabric8) are not checked, as a real server checks nothing for them beyond its schema.
 */
final class KubectlFacingDispatcher extends Dispatcher {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The core resources a real server puts in category {@code all} (kubectl get all) that this API serves. */
  private static final List<String> IN_CATEGORY_ALL = List.of("pods", "services");
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final Dispatcher delegate;
  private final CustomResourceDefinitions definitions;
  private final List<ServedKind> builtIn;
  private final OpenApiDocuments openApi;
  private final StrictFieldValidation validation;
  private final TableOutput tables;

  KubectlFacingDispatcher(Dispatcher delegate, List<ServedKind> kinds, String serverVersion, Clock clock) {
    this.delegate = delegate;
    this.definitions = CustomResourceDefinitions.kubeDb().servedFor(kinds);
    this.builtIn = kinds.stream().filter(k -> definitions.versions().stream()
        .noneMatch(v -> v.group().equals(k.group()) && v.kind().equals(k.kind()))).toList();
    this.openApi = new OpenApiDocuments(builtIn, definitions, serverVersion);
    this.validation = new StrictFieldValidation(definitions);
    this.tables = new TableOutput(clock);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    int query = path.indexOf('?');
    String bare = query >= 0 ? path.substring(0, query) : path;
    boolean get = "GET".equals(request.getMethod());
    Optional<EventFieldSelector> events = EventFieldSelector.of(request.getMethod(), path);
    if (events.isPresent()) {
      MockResponse all = dispatch(copy(request, HttpMethod.GET, EventFieldSelector.withoutSelector(path),
          new Buffer()));
      JsonNode body = all.code() == 200 ? read(all.getBody()) : null;
      return body == null ? all : json(200, events.get().filter(body).toString());
    }
    if (get) {
      String document = openApi.answer(bare);
      if (document != null) {
        return json(200, document);
      }
      MockResponse discovery = discovery(request, bare);
      if (discovery != null) {
        return discovery;
      }
    }
    ResourcePath resource = ResourcePath.parse(bare);
    if (resource == null) {
      return delegate.dispatch(request);
    }
    Optional<CustomResourceDefinitions.Version> custom =
        definitions.find(resource.group(), resource.version(), resource.plural());
    Optional<ServedKind> core = custom.isPresent() ? Optional.empty() : builtIn.stream()
        .filter(k -> k.group().equals(resource.group()) && k.version().equals(resource.version())
            && k.plural().equals(resource.plural())).findFirst();
    if (custom.isEmpty() && core.isEmpty()) {
      return delegate.dispatch(request);
    }
    String kind = custom.map(CustomResourceDefinitions.Version::kind).orElseGet(() -> core.get().kind());
    List<String> unknown = unknownFields(request, resource, kind);
    String directive = LocalApiDispatcher.queryParameter(path, "fieldValidation");
    if (!unknown.isEmpty() && "Strict".equals(directive)) {
      return json(400, status(400, "BadRequest", kind + " in version \"" + resource.version()
          + "\" cannot be handled as a " + kind + ": strict decoding error: "
          + unknown.stream().map(f -> "unknown field \"" + f + "\"").collect(Collectors.joining(", "))));
    }
    List<String> invalid = custom.isPresent() ? schemaErrors(request, resource, kind) : List.of();
    if (!invalid.isEmpty()) {
      String name = resource.name() != null ? resource.name()
          : Optional.ofNullable(read(request.getBody())).map(b -> b.path("metadata").path("name").asText(""))
              .orElse("");
      return invalid(kind, resource.group(), name, invalid);
    }
    MockResponse response;
    Optional<CustomResourceDefinitions.Version> storage = custom.isPresent() && !custom.get().storage()
        ? definitions.storageVersion(resource.group(), resource.plural()) : Optional.empty();
    if (storage.isPresent()) {
      response = throughStorageVersion(request, resource, storage.get().version());
    } else if (core.isPresent() && "PATCH".equals(request.getMethod())
        && String.valueOf(request.getHeader("Content-Type")).contains("strategic-merge-patch")) {
      response = patchByReadAndWrite(request, resource, request.getPath(), null);
    } else {
      response = delegate.dispatch(request);
    }
    if ("Warn".equals(directive)) {
      for (String field : unknown) {
        response.addHeader("Warning", "299 - \"unknown field \\\"" + field + "\\\"\"");
      }
    }
    if (get && response.getWebSocketListener() == null && response.code() == 200
        && TableOutput.wantsTable(request.getHeader("Accept")) && resource.subresource() == null) {
      JsonNode body = read(response.getBody());
      String includeObject = LocalApiDispatcher.queryParameter(path, "includeObject");
      if (body != null && custom.isPresent()) {
        return json(200, tables.customResources(body, custom.get().columns(), includeObject));
      }
      if (body != null && resource.group().isEmpty() && "pods".equals(resource.plural())) {
        return json(200, tables.pods(body, includeObject));
      }
      if (body != null && resource.group().equals("policy") && "poddisruptionbudgets".equals(resource.plural())) {
        return json(200, tables.podDisruptionBudgets(body, includeObject));
      }
    }
    return response;
  }

  /**
   * 422 Invalid as the API server answers a schema violation: the message, and the details (kind, name, one cause per
   * field) from which kubectl words "The PerconaXtraDB "x" is invalid: spec.…: Unsupported value: …".
   */
  private static MockResponse invalid(String kind, String group, String name, List<String> errors) {
    ObjectNode refusal = JSON.createObjectNode();
    refusal.put("kind", "Status").put("apiVersion", "v1");
    refusal.putObject("metadata");
    refusal.put("status", "Failure").put("message", kind + "." + group + " \"" + name + "\" is invalid: "
        + (errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]"))
        .put("reason", "Invalid");
    ObjectNode details = refusal.putObject("details").put("name", name).put("group", group).put("kind", kind);
    ArrayNode causes = details.putArray("causes");
    for (String error : errors) {
      int colon = error.indexOf(": ");
      causes.addObject().put("reason", error.contains("Unsupported value") ? "FieldValueNotSupported"
          : "FieldValueInvalid").put("message", error.substring(colon + 2)).put("field", error.substring(0, colon));
    }
    refusal.put("code", 422);
    return json(422, refusal.toString());
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public void releaseResources() {
    delegate.releaseResources();
  }

  /**
   * The CRD schema's type and enum errors of a create, update or merge patch of a custom resource, checked only for
   * clients that ask for field validation (kubectl): the services' own writes are never refused by a schema trimmed
   * from KubeDB's, which a real server would check them against too.
   */
  private List<String> schemaErrors(RecordedRequest request, ResourcePath resource, String kind) {
    JsonNode candidate = validationCandidate(request, resource, kind);
    return candidate == null ? List.of() : validation.schemaErrors(candidate);
  }

  /** The fields of a create, update or merge patch that {@code kind} does not declare (only when asked to check). */
  private List<String> unknownFields(RecordedRequest request, ResourcePath resource, String kind) {
    JsonNode candidate = validationCandidate(request, resource, kind);
    return candidate == null ? List.of() : validation.unknownFields(candidate);
  }

  /** The body to validate, with the path's kind, when the client asked for field validation; else null. */
  private JsonNode validationCandidate(RecordedRequest request, ResourcePath resource, String kind) {
    String method = request.getMethod();
    String directive = LocalApiDispatcher.queryParameter(request.getPath(), "fieldValidation");
    if (!("Strict".equals(directive) || "Warn".equals(directive))
        || !(method.equals("POST") || method.equals("PUT") || method.equals("PATCH"))) {
      return null;
    }
    if (method.equals("PATCH") && !String.valueOf(request.getHeader("Content-Type")).contains("merge-patch")) {
      return null; // a JSON patch names paths, not fields; a real server checks its result, this one does not
    }
    JsonNode body = read(request.getBody());
    if (body == null || !body.isObject()) {
      return null;
    }
    ObjectNode candidate = ((ObjectNode) body).deepCopy();
    if (String.valueOf(request.getHeader("Content-Type")).contains("strategic-merge-patch")) {
      dropDirectives(candidate); // $setElementOrder/…, $patch, …: instructions to the merge, not fields
    }
    candidate.put("apiVersion", resource.groupVersion());
    candidate.put("kind", kind);
    return candidate;
  }

  private static void dropDirectives(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.properties().removeIf(e -> e.getKey().startsWith("$"));
      object.forEach(KubectlFacingDispatcher::dropDirectives);
    } else if (node.isArray()) {
      node.forEach(KubectlFacingDispatcher::dropDirectives);
    }
  }

  // ---- versions ------------------------------------------------------------------------------------------------

  /** A request to a served version that is not the storage version: converted to it and back. */
  private MockResponse throughStorageVersion(RecordedRequest request, ResourcePath resource, String storageVersion) {
    String requested = resource.version();
    String storagePath = request.getPath().replaceFirst("^/apis/" + java.util.regex.Pattern.quote(resource.group())
        + "/" + java.util.regex.Pattern.quote(requested) + "/", "/apis/" + resource.group() + "/" + storageVersion + "/");
    String method = request.getMethod();
    if (method.equals("PATCH")) {
      return patchByReadAndWrite(request, resource, storagePath, storageVersion);
    }
    Buffer body = request.getBody();
    if (method.equals("POST") || method.equals("PUT")) {
      JsonNode object = read(body);
      if (object != null && object.isObject()) {
        body = new Buffer().writeUtf8(VersionConversion.convert(object, resource.group(), storageVersion).toString());
      }
    }
    MockResponse response = delegate.dispatch(copy(request, HttpMethod.valueOf(method), storagePath, body));
    WebSocketListener watch = response.getWebSocketListener();
    if (watch != null) {
      return response.withWebSocketUpgrade(new ConvertingWatch(watch, resource.group(), requested));
    }
    return convertBody(response, resource.group(), storageVersion, requested);
  }

  /**
   * A patch applied as the API server applies it: read the object (as seen in the requested version), apply the
   * patch, write the result (in the storage version). Used for patches in a version other than the storage version
   * (they name the requested version's fields) and for strategic merge patches of built-in kinds, which the store
   * does not understand. A patch that carries no {@code resourceVersion} is retried when the object changed in
   * between (as the real server retries); one that carries one gets the 409.
   *
   * @param storageVersion the version to convert to and from, or null when the request is in the storage version
   */
  private MockResponse patchByReadAndWrite(RecordedRequest request, ResourcePath resource, String storagePath,
      String storageVersion) {
    JsonNode patch = read(request.getBody());
    String contentType = String.valueOf(request.getHeader("Content-Type"));
    boolean jsonPatch = contentType.contains("json-patch");
    boolean strategic = contentType.contains("strategic-merge-patch");
    boolean converted = storageVersion != null;
    if (patch == null || !(jsonPatch || contentType.contains("merge-patch")) || (strategic && converted)) {
      return json(415, status(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
          + "accepted media types include: application/json-patch+json, application/merge-patch+json"
          + (converted ? "" : ", application/strategic-merge-patch+json")));
    }
    int query = storagePath.indexOf('?');
    String itemPath = (query >= 0 ? storagePath.substring(0, query) : storagePath)
        .replaceFirst("/(status|scale)$", "");
    boolean pinned = !jsonPatch && patch.path("metadata").has("resourceVersion");
    MockResponse response = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      MockResponse current = delegate.dispatch(copy(request, HttpMethod.GET, itemPath, new Buffer()));
      JsonNode stored = current.code() == 200 ? read(current.getBody()) : null;
      if (stored == null) {
        return converted ? convertBody(current, resource.group(), storageVersion, resource.version()) : current;
      }
      JsonNode seen = converted ? VersionConversion.convert(stored, resource.group(), resource.version()) : stored;
      JsonNode patched;
      try {
        patched = jsonPatch ? JsonPatch.apply(patch, seen)
            : strategic ? StrategicMergePatch.apply(seen, patch) : mergePatch(seen, patch);
      } catch (RuntimeException e) {
        return json(422, status(422, "Invalid", "the patch could not be applied: " + e.getMessage()));
      }
      if (!patched.isObject()) {
        return json(422, status(422, "Invalid", "the patch does not leave an object"));
      }
      ObjectNode toStore = converted ? VersionConversion.convert(patched, resource.group(), storageVersion)
          : (ObjectNode) patched;
      if (!pinned && !jsonPatch) {
        toStore.withObjectProperty("metadata")
            .put("resourceVersion", stored.path("metadata").path("resourceVersion").asText());
      }
      response = delegate.dispatch(copy(request, HttpMethod.PUT, storagePath,
          new Buffer().writeUtf8(toStore.toString())));
      if (response.code() != 409 || pinned) {
        break;
      }
    }
    return converted ? convertBody(response, resource.group(), storageVersion, resource.version()) : response;
  }

  /** RFC 7386 JSON merge patch. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
        : JSON.createObjectNode();
    patch.properties().forEach(e -> {
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
      }
    });
    return result;
  }

  private static MockResponse convertBody(MockResponse response, String group, String from, String to) {
    JsonNode body = read(response.getBody());
    if (body == null || !body.isObject()) {
      return response;
    }
    return response.setBody(convertObjects(body, group, from, to).toString());
  }

  /** The object, or the items of a list, in version {@code to} where they are in {@code from}. */
  private static JsonNode convertObjects(JsonNode body, String group, String from, String to) {
    String stored = group + "/" + from;
    if (body.has("items") && body.get("items").isArray()) {
      ObjectNode list = ((ObjectNode) body).deepCopy();
      ArrayNode items = list.putArray("items");
      for (JsonNode item : body.get("items")) {
        items.add(stored.equals(item.path("apiVersion").asText()) ? VersionConversion.convert(item, group, to) : item);
      }
      return list;
    }
    return stored.equals(body.path("apiVersion").asText()) ? VersionConversion.convert(body, group, to) : body;
  }

  // ---- discovery -----------------------------------------------------------------------------------------------

  /** Discovery of KubeDB's groups, from their CRDs; {@code /apis} from the delegate with their versions filled in. */
  private MockResponse discovery(RecordedRequest request, String path) {
    if (path.equals("/apis")) {
      MockResponse response = delegate.dispatch(request);
      JsonNode groups = read(response.getBody());
      if (response.code() != 200 || groups == null) {
        return response;
      }
      ArrayNode out = JSON.createArrayNode();
      for (JsonNode g : groups.path("groups")) {
        String name = g.path("name").asText();
        out.add(definitions.versionsOf(name).isEmpty() ? g : group(name));
      }
      ((ObjectNode) groups).set("groups", out);
      return json(200, groups.toString());
    }
    if (path.equals("/api/v1")) {
      MockResponse response = delegate.dispatch(request);
      JsonNode resources = read(response.getBody());
      if (response.code() != 200 || resources == null) {
        return response;
      }
      for (JsonNode r : resources.path("resources")) {
        if (IN_CATEGORY_ALL.contains(r.path("name").asText())) {
          ((ObjectNode) r).putArray("categories").add("all");
        }
      }
      return json(200, resources.toString());
    }
    if (!path.startsWith("/apis/")) {
      return null;
    }
    String[] parts = path.substring("/apis/".length()).split("/");
    if (parts.length == 1 && !definitions.versionsOf(parts[0]).isEmpty()) {
      return json(200, group(parts[0]).toString());
    }
    if (parts.length == 2 && definitions.versionsOf(parts[0]).contains(parts[1])) {
      ObjectNode list = JSON.createObjectNode();
      list.put("kind", "APIResourceList");
      list.put("apiVersion", "v1");
      list.put("groupVersion", parts[0] + "/" + parts[1]);
      ArrayNode resources = list.putArray("resources");
      for (CustomResourceDefinitions.Version v : definitions.versions()) {
        if (v.group().equals(parts[0]) && v.version().equals(parts[1])) {
          ObjectNode r = resources.addObject();
          r.put("name", v.plural()).put("singularName", v.singular()).put("namespaced", v.namespaced())
              .put("kind", v.kind());
          VERBS.forEach(r.putArray("verbs")::add);
          if (!v.shortNames().isEmpty()) {
            v.shortNames().forEach(r.putArray("shortNames")::add);
          }
          if (!v.categories().isEmpty()) {
            v.categories().forEach(r.putArray("categories")::add);
          }
          if (v.statusSubresource()) {
            ObjectNode s = resources.addObject();
            s.put("name", v.plural() + "/status").put("singularName", "").put("namespaced", v.namespaced())
                .put("kind", v.kind());
            List.of("get", "patch", "update").forEach(s.putArray("verbs")::add);
          }
        }
      }
      return json(200, list.toString());
    }
    return null;
  }

  private ObjectNode group(String name) {
    ObjectNode g = JSON.createObjectNode();
    g.put("kind", "APIGroup");
    g.put("apiVersion", "v1");
    g.put("name", name);
    ArrayNode versions = g.putArray("versions");
    for (String v : definitions.versionsOf(name)) {
      versions.addObject().put("groupVersion", name + "/" + v).put("version", v);
    }
    g.set("preferredVersion", versions.get(0));
    return g;
  }

  // ---- plumbing ------------------------------------------------------------------------------------------------

  private static RecordedRequest copy(RecordedRequest request, HttpMethod method, String path, Buffer body) {
    return new RecordedRequest(request.getHttpVersion(), method, path, request.getHeaders(), body);
  }

  private static JsonNode read(Buffer body) {
    if (body == null) {
      return null;
    }
    try {
      byte[] bytes = body.getBytes();
      return bytes.length == 0 ? null : JSON.readTree(bytes);
    } catch (IOException | RuntimeException notJson) {
      return null;
    }
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
  }

  private static String status(int code, String reason, String message) {
    ObjectNode s = JSON.createObjectNode();
    s.put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    return s.toString();
  }

  /** A request path of a resource: {@code /api/v1/…} or {@code /apis/<group>/<version>/…}. */
  record ResourcePath(String group, String version, String namespace, String plural, String name,
      String subresource) {

    String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    static ResourcePath parse(String path) {
      String[] p = path.split("/");
      int i;
      String group;
      if (p.length >= 4 && p[1].equals("api")) {
        group = "";
        i = 2;
      } else if (p.length >= 5 && p[1].equals("apis")) {
        group = p[2];
        i = 3;
      } else {
        return null;
      }
      String version = p[i++];
      String namespace = null;
      if (p.length > i + 1 && p[i].equals("namespaces") && p.length >= i + 3) {
        namespace = p[i + 1];
        i += 2;
      }
      if (p.length <= i) {
        return null;
      }
      String plural = p[i++];
      String name = p.length > i ? p[i++] : null;
      String sub = p.length > i ? p[i] : null;
      return new ResourcePath(group, version, namespace, plural, name, sub);
    }
  }

  /** A watch in a non-storage version: every event's object converted before it is sent. */
  private static final class ConvertingWatch extends WebSocketListener {

    private final WebSocketListener watch;
    private final String group;
    private final String version;
    private volatile WebSocket converting;

    ConvertingWatch(WebSocketListener watch, String group, String version) {
      this.watch = watch;
      this.group = group;
      this.version = version;
    }

    private WebSocket wrap(WebSocket ws) {
      WebSocket w = converting;
      if (w == null) {
        w = new ConvertingSocket(ws);
        converting = w;
      }
      return w;
    }

    @Override
    public void onBeforeAccept(WebSocket ws, Response response) {
      watch.onBeforeAccept(wrap(ws), response);
    }

    @Override
    public void onOpen(WebSocket ws, Response response) {
      watch.onOpen(wrap(ws), response);
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
      watch.onMessage(wrap(ws), text);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void onMessage(WebSocket ws, ByteString bytes) {
      watch.onMessage(wrap(ws), bytes);
    }

    @Override
    public void onMessage(WebSocket ws, byte[] bytes) {
      watch.onMessage(wrap(ws), bytes);
    }

    @Override
    public void onClosing(WebSocket ws, int code, String reason) {
      watch.onClosing(wrap(ws), code, reason);
    }

    @Override
    public void onClosed(WebSocket ws, int code, String reason) {
      watch.onClosed(wrap(ws), code, reason);
    }

    @Override
    public void onFailure(WebSocket ws, Throwable t, Response response) {
      watch.onFailure(wrap(ws), t, response);
    }

    private final class ConvertingSocket implements WebSocket {
      private final WebSocket ws;

      ConvertingSocket(WebSocket ws) {
        this.ws = ws;
      }

      @Override
      public RecordedRequest request() {
        return ws.request();
      }

      @Override
      public boolean send(String text) {
        try {
          JsonNode event = JSON.readTree(text);
          JsonNode object = event.path("object");
          if (object.isObject() && object.path("apiVersion").asText().startsWith(group + "/")
              && !object.path("apiVersion").asText().equals(group + "/" + version)) {
            ((ObjectNode) event).set("object", VersionConversion.convert(object, group, version));
            return ws.send(event.toString());
          }
        } catch (IOException | RuntimeException notAnEvent) {
          // sent as it is: the watcher sees what the store sent
        }
        return ws.send(text);
      }

      @Override
      public boolean send(byte[] bytes) {
        return ws.send(bytes);
      }

      @Override
      public boolean close(int code, String reason) {
        return ws.close(code, reason);
      }
    }
  }
}
