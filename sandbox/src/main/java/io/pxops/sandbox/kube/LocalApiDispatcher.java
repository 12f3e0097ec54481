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
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusDetailsBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetList;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.pxops.kubedb.PetSet;
import io.fabric8.kubernetes.api.model.ServerAddressByClientCIDRBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.AttributeSet;
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
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In front of the mock's CRUD dispatcher: answers the discovery documents kubectl and generic clients need
 * ({@code /version}, {@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/<g>}, {@code /apis/<g>/<v>}, with
 * verbs and short names), answers 404 on {@code /openapi/*} (so kubectl skips schema validation instead of
 * failing to parse), answers the health endpoints, serves pod eviction (deletion under PodDisruptionBudgets), and
 * hands every other
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

  /** How the mock's lists begin and end (their version always empty): see {@link #withListVersion}. */
  private static final String MOCK_LIST_PREFIX = "{\"apiVersion\":\"v1\",\"kind\":\"List\", \"items\": [";
  private static final String MOCK_LIST_SUFFIX = "\"metadata\": {\"resourceVersion\": \"\", \"selfLink\": \"\"}}";
  /** The event a real API sends on a watch from a version older than its cache holds, before it closes the watch. */
  private static final String EXPIRED_EVENT = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
      + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version\",\"reason\":\"Expired\","
      + "\"code\":410}}";

  /** A path of a namespace's budgets (the collection or one of them, with or without a query). */
  private static final Pattern BUDGETS =
      Pattern.compile("/apis/policy/v1/namespaces/([^/?]+)/poddisruptionbudgets(?:[/?].*)?");

  private static final Pattern EVICTION =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/eviction(?:\\?.*)?");

  private final Dispatcher crud;
  private final LocalAccessReviews accessReviews;
  private final IndexedCrudStore store;
  private final List<ServedKind> kinds;
  private final IntSupplier port;
  private final Executor closeExecutor;
  private final KubernetesAttributesExtractor watchAttributes = new KubernetesAttributesExtractor();
  private final Map<String, List<PodDisruptionBudget>> budgetSelectors = new ConcurrentHashMap<>();
  private final AtomicLong budgetWrites = new AtomicLong();

  LocalApiDispatcher(Dispatcher crud, IndexedCrudStore store, List<ServedKind> kinds, IntSupplier port,
      Executor closeExecutor, LocalAccessReviews accessReviews) {
    this.crud = crud;
    this.accessReviews = accessReviews;
    this.store = store;
    this.kinds = List.copyOf(kinds);
    this.port = port;
    this.closeExecutor = closeExecutor;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    MockResponse review = accessReviews.answer(request); // TokenReview and SubjectAccessReview
    if (review != null) {
      return review;
    }
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
    long versionBefore = store.tombstones().currentVersion();
    MockResponse response = store.narrowedTo(indexPath(request), "DELETE".equals(request.getMethod()),
        () -> crud.dispatch(request));
    if (!"GET".equals(request.getMethod())) {
      budgetWritten(request.getPath());
    }
    WebSocketListener watch = response.getWebSocketListener();
    if (watch != null) {
      String path = request.getPath();
      String resourceVersion = queryParameter(path, "resourceVersion");
      AttributeSet watched = watchAttributes.fromPath(path);
      response.withWebSocketUpgrade(new CloseOffEventLoop(watch, closeExecutor,
          () -> store.tombstones().resume(resourceVersion, watched, store::holdsObjectNamedAs)));
    } else if ("GET".equals(request.getMethod())) {
      withListVersion(response, versionBefore);
    }
    return response;
  }

  /**
   * Gives a list the resource version it was read at. The mock answers every list with an empty one, so a client
   * that lists and then watches (an informer, {@code kubectl get -w}) could only watch "from now" and miss what
   * changed in between, or (with no version at all) be owed nothing on a resumed watch. The version read before the
   * list ran is a safe lower bound: the list holds every change up to it.
   */
  private static void withListVersion(MockResponse response, long version) {
    Buffer body = response.getBody();
    if (body == null || response.code() != 200) {
      return;
    }
    String text = new String(body.getBytes(), StandardCharsets.UTF_8);
    if (text.startsWith(MOCK_LIST_PREFIX) && text.endsWith(MOCK_LIST_SUFFIX)) {
      response.setBody(text.substring(0, text.length() - MOCK_LIST_SUFFIX.length())
          + "\"metadata\": {\"resourceVersion\": \"" + version + "\", \"selfLink\": \"\"}}");
    }
  }

  /** The first value of query parameter {@code name} in {@code path}, decoded, or null. */
  static String queryParameter(String path, String name) {
    int query = path.indexOf('?');
    if (query < 0) {
      return null;
    }
    for (String pair : path.substring(query + 1).split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (name.equals(URLDecoder.decode(key, StandardCharsets.UTF_8))) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
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
   * The Eviction subresource ({@code policy/v1}), which the CRUD store lacks, answered as the real API server's
   * {@code pkg/registry/core/pod/storage/eviction.go} does, with no graceful deletion (an allowed eviction deletes
   * the pod at once):
   * <ol>
   *   <li>no such pod: 404;</li>
   *   <li>a pod that is Pending, Succeeded or Failed, or already being deleted, is deleted without looking at
   *       budgets;</li>
   *   <li>the PodDisruptionBudgets of the pod's namespace whose selector selects it: none, the pod is deleted; more
   *       than one, 500 (the real API's refusal);</li>
   *   <li>with one budget, its numbers are computed now ({@link DisruptionBudgets}: the local world has no
   *       disruption controller, so the eviction keeps the budget's {@code status} up to date itself, and a client
   *       that reads the budget after a refusal sees why);</li>
   *   <li>a pod that is not Ready is deleted when the budget is met ({@code currentHealthy >= desiredHealthy},
   *       policy {@code IfHealthyBudget}, the default) or when the policy is {@code AlwaysAllow};</li>
   *   <li>else, no disruption allowed: 429 {@code TooManyRequests} with the real API's message and a
   *       {@code DisruptionBudget} cause naming the budget, and a {@code Retry-After} of 10 s as the real API
   *       sends; else the allowance is spent ({@code disruptionsAllowed - 1}) and the pod deleted: 201.</li>
   * </ol>
   * Serialised, so two evictions at once cannot both spend the last allowed disruption.
   */
  private synchronized MockResponse evict(RecordedRequest request, String namespace, String podName) {
    String podPath = "/api/v1/namespaces/" + namespace + "/pods/" + podName;
    Pod pod = read(request, podPath, Pod.class);
    if (pod == null) {
      return json(404, NOT_FOUND);
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    boolean ignoresBudgets = pod.getMetadata().getDeletionTimestamp() != null || "Pending".equals(phase)
        || "Succeeded".equals(phase) || "Failed".equals(phase);
    if (!ignoresBudgets) {
      List<PodDisruptionBudget> budgets = new ArrayList<>();
      for (PodDisruptionBudget b : budgetsOf(request, namespace)) {
        if (DisruptionBudgets.selects(b, pod)) {
          // the cached copy is for its selector; the numbers and the status write need the budget as it is now
          PodDisruptionBudget now = read(request, budgetsPath(namespace) + "/" + b.getMetadata().getName(),
              PodDisruptionBudget.class);
          if (now != null && DisruptionBudgets.selects(now, pod)) {
            budgets.add(now);
          }
        }
      }
      if (budgets.size() > 1) {
        return json(500, status(500, "InternalError",
            "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
            null, null));
      }
      if (budgets.size() == 1) {
        PodDisruptionBudget pdb = budgets.get(0);
        PodList pods = read(request, "/api/v1/namespaces/" + namespace + "/pods" + labelQuery(pdb), PodList.class);
        List<Pod> matching = pods == null ? List.of()
            : pods.getItems().stream().filter(p -> DisruptionBudgets.selects(pdb, p)).toList();
        DisruptionBudgets.Numbers numbers = DisruptionBudgets.of(pdb, matching, controllerScale(request, pod));
        boolean podHealthy = DisruptionBudgets.healthy(pod);
        String policy = pdb.getSpec().getUnhealthyPodEvictionPolicy();
        boolean unhealthyAllowed = !podHealthy && ("AlwaysAllow".equals(policy)
            || numbers.currentHealthy() >= numbers.desiredHealthy());
        if (!unhealthyAllowed && numbers.disruptionsAllowed() == 0) {
          writeStatus(request, pdb, numbers, numbers.disruptionsAllowed());
          return json(429, status(429, "TooManyRequests", DisruptionBudgets.REFUSAL_MESSAGE,
              DisruptionBudgets.causeMessage(pdb.getMetadata().getName(), numbers), 10))
              .setHeader("Retry-After", "10");
        }
        writeStatus(request, pdb, numbers, unhealthyAllowed ? numbers.disruptionsAllowed()
            : numbers.disruptionsAllowed() - 1);
      }
    }
    RecordedRequest delete = new RecordedRequest(request.getHttpVersion(), HttpMethod.DELETE, podPath,
        request.getHeaders(), new Buffer());
    MockResponse deleted = store.narrowedTo(delete.getPath(), true, () -> crud.dispatch(delete));
    if (deleted.code() >= 200 && deleted.code() < 300) {
      return json(201, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Success\"}");
    }
    return json(404, NOT_FOUND);
  }

  /**
   * The budgets of a namespace, for their selectors: read from the store once, then kept until a budget of the
   * namespace is written through this API ({@link #budgetWritten}). Why: a fleet of 10,000 databases in one
   * namespace has 10,000 budgets, and reading every one of them on every eviction (as the real API's cache makes
   * cheap) made each eviction here take seconds and the fleet's updates thirty times slower.
   */
  private List<PodDisruptionBudget> budgetsOf(RecordedRequest request, String namespace) {
    List<PodDisruptionBudget> cached = budgetSelectors.get(namespace);
    if (cached != null) {
      return cached;
    }
    long version = budgetWrites.get();
    PodDisruptionBudgetList all = read(request, budgetsPath(namespace), PodDisruptionBudgetList.class);
    List<PodDisruptionBudget> budgets = all == null ? List.of() : List.copyOf(all.getItems());
    if (budgetWrites.get() == version) {
      budgetSelectors.put(namespace, budgets); // else a write raced the read: read again next time
    }
    return budgets;
  }

  /** Called after any create, update, patch or delete of budgets through this API: their selectors may differ. */
  private void budgetWritten(String path) {
    Matcher m = BUDGETS.matcher(path);
    if (m.matches()) {
      budgetWrites.incrementAndGet();
      budgetSelectors.remove(m.group(1));
    }
  }

  private static String budgetsPath(String namespace) {
    return "/apis/policy/v1/namespaces/" + namespace + "/poddisruptionbudgets";
  }

  /**
   * The budget's selector as a label query when it is only {@code matchLabels} (KubeDB's is): the store then offers
   * the pods carrying those labels instead of every pod of the namespace. Expressions are matched afterwards, on
   * every pod of the namespace.
   */
  static String labelQuery(PodDisruptionBudget pdb) {
    var selector = pdb.getSpec() == null ? null : pdb.getSpec().getSelector();
    if (selector == null || selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty()
        || (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty())) {
      return "";
    }
    String labels = selector.getMatchLabels().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(","));
    return "?labelSelector=" + java.net.URLEncoder.encode(labels, StandardCharsets.UTF_8);
  }

  /** The replicas of the pod's controlling PetSet, the scale the disruption controller would use; else null. */
  private Integer controllerScale(RecordedRequest request, Pod pod) {
    for (OwnerReference owner : pod.getMetadata().getOwnerReferences()) {
      if (Boolean.TRUE.equals(owner.getController()) && "PetSet".equals(owner.getKind())) {
        PetSet set = read(request, "/apis/" + PetSet.API_VERSION + "/namespaces/" + pod.getMetadata().getNamespace()
            + "/petsets/" + owner.getName(), PetSet.class);
        return set == null || set.getSpec() == null ? null : set.getSpec().replicasOrDefault();
      }
    }
    return null;
  }

  /** Records the budget's numbers in its status, as the disruption controller and the eviction API keep it. */
  @SuppressWarnings("deprecation") // the mapper the mock itself parses bodies with
  private void writeStatus(RecordedRequest request, PodDisruptionBudget pdb, DisruptionBudgets.Numbers numbers,
      int disruptionsAllowed) {
    PodDisruptionBudgetStatus status = pdb.getStatus() == null ? new PodDisruptionBudgetStatus() : pdb.getStatus();
    status.setExpectedPods(numbers.expectedPods());
    status.setDesiredHealthy(numbers.desiredHealthy());
    status.setCurrentHealthy(numbers.currentHealthy());
    status.setDisruptionsAllowed(disruptionsAllowed);
    status.setObservedGeneration(pdb.getMetadata().getGeneration());
    pdb.setStatus(status);
    String path = "/apis/policy/v1/namespaces/" + pdb.getMetadata().getNamespace() + "/poddisruptionbudgets/"
        + pdb.getMetadata().getName();
    RecordedRequest put = new RecordedRequest(request.getHttpVersion(), HttpMethod.PUT, path,
        io.fabric8.mockwebserver.http.Headers.builder().add("Content-Type", "application/json").build(),
        new Buffer().writeUtf8(Serialization.asJson(pdb)));
    store.narrowedTo(path, () -> crud.dispatch(put));
  }

  /** One GET through the CRUD store: the object, or null when it is not there. */
  @SuppressWarnings("deprecation") // the mapper the mock itself parses bodies with
  private <T> T read(RecordedRequest request, String path, Class<T> type) {
    RecordedRequest get = new RecordedRequest(request.getHttpVersion(), HttpMethod.GET, path,
        io.fabric8.mockwebserver.http.Headers.builder().build(), new Buffer());
    MockResponse response = store.narrowedTo(path, () -> crud.dispatch(get));
    if (response.code() != 200 || response.getBody() == null) {
      return null;
    }
    try {
      return Serialization.jsonMapper().readValue(response.getBody().readUtf8(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + " from the store", e);
    }
  }

  /** A failure {@code Status} as the API server writes it. */
  private static String status(int code, String reason, String message, String budgetCause,
      Integer retryAfterSeconds) {
    StatusDetailsBuilder details = new StatusDetailsBuilder();
    if (budgetCause != null) {
      details.addNewCause().withReason(DisruptionBudgets.CAUSE_TYPE).withMessage(budgetCause).endCause();
    }
    if (retryAfterSeconds != null) {
      details.withRetryAfterSeconds(retryAfterSeconds);
    }
    return Serialization.asJson(new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason)
        .withMessage(message).withDetails(details.build()).build());
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

  /**
   * Delegates to the CRUD store's watch listener, running close and failure callbacks off the event loop; and, for
   * a watch resumed from an older version, first sends the deletions it missed (or 410 Gone past the kept window,
   * see {@link WatchTombstones}).
   */
  private static final class CloseOffEventLoop extends WebSocketListener {

    private final WebSocketListener watch;
    private final Executor executor;
    private final Supplier<WatchTombstones.Resume> resume;

    CloseOffEventLoop(WebSocketListener watch, Executor executor, Supplier<WatchTombstones.Resume> resume) {
      this.watch = watch;
      this.executor = executor;
      this.resume = resume;
    }

    @Override
    public void onBeforeAccept(WebSocket ws, Response response) {
      watch.onBeforeAccept(ws, response);
    }

    /**
     * The missed deletions go out before the mock's own listener opens: it then sends ADDED for every object that
     * exists, and only after that the events that came in meanwhile, so whatever raced with this look-up (an
     * object deleted and created again) ends in the watcher's cache as it is in the store.
     */
    @Override
    public void onOpen(WebSocket ws, Response response) {
      WatchTombstones.Resume owed = resume.get();
      if (owed.expired()) {
        ws.send(EXPIRED_EVENT);
        ws.close(1000, "too old resource version");
        // the mock's listener never opened: close it too, or it would queue every later event for nobody
        executor.execute(() -> watch.onClosed(ws, 1000, "too old resource version"));
        return;
      }
      for (String event : owed.deletedEvents()) {
        ws.send(event);
      }
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
