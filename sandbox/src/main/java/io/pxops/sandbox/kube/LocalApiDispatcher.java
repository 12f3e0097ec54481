package io.pxops.sandbox.kube;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.api.model.ServerAddressByClientCIDRBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In front of the mock's CRUD dispatcher: answers the discovery documents kubectl and generic clients need
 * ({@code /version}, {@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/<g>}, {@code /apis/<g>/<v>}, with
 * verbs and short names), answers 404 on {@code /openapi/*} (so kubectl skips schema validation instead of
 * failing to parse), answers the health endpoints, serves pod eviction (as deletion), and hands every other
 * request to the CRUD store.
 *
 * <p>It also works around a bug of fabric8's mock web server (seen in 7.8.0 to 8.0.0): closing a watch while the
 * server writes an event blocks a Vert.x event loop for 30 s, because the close callback waits, on the event loop,
 * for a send that only that event loop can complete. Every watch listener is wrapped so that its close and failure
 * callbacks run on {@code closeExecutor} instead.
 */
final class LocalApiDispatcher extends Dispatcher {

  static final String GIT_VERSION = "v1.30.0-mock";
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");
  private static final String NOT_FOUND = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
      + "\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}";

  private static final Pattern EVICTION =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/eviction(?:\\?.*)?");

  private final Dispatcher crud;
  private final IndexedCrudStore store;
  private final List<ServedKind> kinds;
  private final IntSupplier port;
  private final Executor closeExecutor;

  LocalApiDispatcher(Dispatcher crud, IndexedCrudStore store, List<ServedKind> kinds, IntSupplier port,
      Executor closeExecutor) {
    this.crud = crud;
    this.store = store;
    this.kinds = List.copyOf(kinds);
    this.port = port;
    this.closeExecutor = closeExecutor;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if ("POST".equals(request.getMethod())) {
      Matcher eviction = EVICTION.matcher(request.getPath());
      if (eviction.matches()) {
        return evict(request, eviction.group(1), eviction.group(2));
      }
    }
    if ("GET".equals(request.getMethod())) {
      String path = request.getPath();
      int query = path.indexOf('?');
      MockResponse discovery = discovery(query >= 0 ? path.substring(0, query) : path);
      if (discovery != null) {
        return discovery;
      }
    }
    MockResponse response = store.narrowedTo(indexPath(request), () -> crud.dispatch(request));
    WebSocketListener watch = response.getWebSocketListener();
    if (watch != null) {
      response.withWebSocketUpgrade(new CloseOffEventLoop(watch, closeExecutor));
    }
    return response;
  }

  /**
   * The path the store is narrowed to: the request's own, except for a create, whose path names no object while
   * the mock looks for one of the new object's name (to answer 409): the body's name is added, so the look-up
   * stays O(1) instead of O(objects of the kind in the namespace).
   */
  @SuppressWarnings("deprecation") // the mapper the mock itself parses bodies with
  private static String indexPath(RecordedRequest request) {
    String path = request.getPath();
    if (!"POST".equals(request.getMethod())) {
      return path;
    }
    String name;
    try {
      name = Serialization.jsonMapper().readTree(request.getBody().getBytes()).path("metadata").path("name")
          .asText("");
    } catch (IOException | RuntimeException notJson) {
      return path;
    }
    if (name.isEmpty() || name.contains("/") || name.contains("?")) {
      return path;
    }
    int query = path.indexOf('?');
    return query < 0 ? path + "/" + name : path.substring(0, query) + "/" + name + path.substring(query);
  }

  @Override
  public void shutdown() {
    crud.shutdown();
  }

  @Override
  public void releaseResources() {
    crud.releaseResources();
  }

  /**
   * The Eviction subresource, which the CRUD store lacks: with no PodDisruptionBudgets and no graceful deletion
   * here, an eviction is a deletion of the pod; answered like a real apiserver (201 Success, or 404).
   */
  private MockResponse evict(RecordedRequest request, String namespace, String pod) {
    RecordedRequest delete = new RecordedRequest(request.getHttpVersion(), HttpMethod.DELETE,
        "/api/v1/namespaces/" + namespace + "/pods/" + pod, request.getHeaders(), new Buffer());
    MockResponse deleted = store.narrowedTo(delete.getPath(), () -> crud.dispatch(delete));
    if (deleted.code() >= 200 && deleted.code() < 300) {
      return json(201, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Success\"}");
    }
    return json(404, NOT_FOUND);
  }

  private MockResponse discovery(String path) {
    if (path.startsWith("/openapi/")) {
      return json(404, NOT_FOUND);
    }
    switch (path) {
      case "/healthz":
      case "/livez":
      case "/readyz":
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain").setBody("ok");
      case "/version":
        return json(200, "{\"major\":\"1\",\"minor\":\"30\",\"gitVersion\":\"" + GIT_VERSION + "\","
            + "\"platform\":\"linux/amd64\"}");
      case "/api":
        return json(200, Serialization.asJson(new APIVersionsBuilder().withVersions("v1")
            .withServerAddressByClientCIDRs(new ServerAddressByClientCIDRBuilder().withClientCIDR("0.0.0.0/0")
                .withServerAddress("127.0.0.1:" + port.getAsInt()).build())
            .build()));
      case "/apis":
        return json(200, Serialization.asJson(new APIGroupListBuilder().withGroups(groups()).build()));
      default:
        break;
    }
    if (path.equals("/api/v1")) {
      return json(200, resourceList("", "v1"));
    }
    for (APIGroup group : groups()) {
      if (path.equals("/apis/" + group.getName())) {
        return json(200, Serialization.asJson(group));
      }
      for (GroupVersionForDiscovery gv : group.getVersions()) {
        if (path.equals("/apis/" + gv.getGroupVersion())) {
          return json(200, resourceList(group.getName(), gv.getVersion()));
        }
      }
    }
    return null;
  }

  private String resourceList(String group, String version) {
    List<APIResource> resources = new ArrayList<>();
    for (ServedKind k : kinds) {
      if (k.group().equals(group) && k.version().equals(version)) {
        resources.add(new APIResourceBuilder().withName(k.plural()).withKind(k.kind())
            .withSingularName(k.kind().toLowerCase(Locale.ROOT)).withNamespaced(k.namespaced())
            .withVerbs(VERBS).withShortNames(k.shortNames()).build());
        if (k.statusSubresource()) {
          resources.add(new APIResourceBuilder().withName(k.plural() + "/status").withKind(k.kind())
              .withSingularName("").withNamespaced(k.namespaced()).withVerbs(STATUS_VERBS).build());
        }
        if (k.group().isEmpty() && "pods".equals(k.plural())) {
          resources.add(new APIResourceBuilder().withName("pods/eviction").withKind("Eviction").withGroup("policy")
              .withVersion("v1").withSingularName("").withNamespaced(true).withVerbs(List.of("create")).build());
        }
      }
    }
    String groupVersion = group.isEmpty() ? version : group + "/" + version;
    return Serialization.asJson(new APIResourceListBuilder().withGroupVersion(groupVersion)
        .withResources(resources).build());
  }

  private List<APIGroup> groups() {
    Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
    for (ServedKind k : kinds) {
      if (!k.group().isEmpty()) {
        List<String> versions = versionsByGroup.computeIfAbsent(k.group(), g -> new ArrayList<>());
        if (!versions.contains(k.version())) {
          versions.add(k.version());
        }
      }
    }
    List<APIGroup> groups = new ArrayList<>();
    versionsByGroup.forEach((group, versions) -> {
      List<GroupVersionForDiscovery> gvs = new ArrayList<>();
      for (String v : versions) {
        gvs.add(new GroupVersionForDiscoveryBuilder().withGroupVersion(group + "/" + v).withVersion(v).build());
      }
      groups.add(new APIGroupBuilder().withName(group).withVersions(gvs).withPreferredVersion(gvs.get(0)).build());
    });
    return groups;
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
  }

  /** Delegates to the CRUD store's watch listener, running close and failure callbacks off the event loop. */
  private static final class CloseOffEventLoop extends WebSocketListener {

    private final WebSocketListener watch;
    private final Executor executor;

    CloseOffEventLoop(WebSocketListener watch, Executor executor) {
      this.watch = watch;
      this.executor = executor;
    }

    @Override
    public void onBeforeAccept(WebSocket ws, Response response) {
      watch.onBeforeAccept(ws, response);
    }

    @Override
    public void onOpen(WebSocket ws, Response response) {
      watch.onOpen(ws, response);
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
      watch.onMessage(ws, text);
    }

    @Override
    @SuppressWarnings("deprecation") // still part of the listener contract in 7.9.0; forwarded so nothing is lost
    public void onMessage(WebSocket ws, ByteString bytes) {
      watch.onMessage(ws, bytes);
    }

    @Override
    public void onMessage(WebSocket ws, byte[] bytes) {
      watch.onMessage(ws, bytes);
    }

    @Override
    public void onClosing(WebSocket ws, int code, String reason) {
      watch.onClosing(ws, code, reason);
    }

    @Override
    public void onClosed(WebSocket ws, int code, String reason) {
      executor.execute(() -> watch.onClosed(ws, code, reason));
    }

    @Override
    public void onFailure(WebSocket ws, Throwable t, Response response) {
      executor.execute(() -> watch.onFailure(ws, t, response));
    }
  }
}
