package io.pxops.sandbox.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local Kubernetes API: fabric8's mock server in CRUD mode, serving KubeDB's four kinds (with their status
 * subresources) and the core kinds the local world uses, plus what the plain mock lacks to be used by kubectl and
 * for hours on end: discovery documents with short names, a fix for its watch-close stall, and a thread that drains
 * its otherwise unbounded log of recorded requests. In front of it all, {@link KubectlFacingDispatcher} serves
 * KubeDB's kinds as their CRDs declare them: every served version (v1alpha2 converted to the stored v1), the
 * OpenAPI v3 documents and strict field validation kubectl needs to apply with validation on, and the printer
 * columns of {@code kubectl get}.
 *
 * <p>What the API supports is the subset it shares with a real apiserver: create/get/list/delete, PUT with
 * {@code resourceVersion} (409 on conflict), JSON merge patch and JSON patch (and strategic merge patch of built-in
 * kinds), status-subresource writes, watches and informers, equality label selectors. It has no server-side apply,
 * no garbage collection, no admission and no controllers (see {@code io.pxops.sandbox.controllers} for those).
 *
 * <p>In-process for tests: {@link #start()} (a random port). On the command line: {@link #start(int)} on a fixed
 * port plus {@link #writeKubeconfig(Path, String)}.
 */
public final class MockKubernetes implements AutoCloseable {

  /** The mock logs one INFO line per request; held here so that the level set on it is never lost to GC. */
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
  }

  private static final String HOST = "127.0.0.1";
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final KubernetesMockServer server;
  private final List<ServedKind> kinds;
  private final IndexedCrudStore store;
  private final LocalAccessReviews accessReviews = new LocalAccessReviews();
  private final ExecutorService watchCloser;
  private final Thread requestLogDrain;
  private final ApiRequestLog requestLog = new ApiRequestLog();
  private volatile boolean closed;

  // Serialization.jsonMapper() is deprecated for clients, but it is the mapper the mock server itself is built with
  @SuppressWarnings("deprecation")
  private MockKubernetes(List<ServedKind> kinds) {
    this.kinds = List.copyOf(kinds);
    int instance = INSTANCES.incrementAndGet();
    this.watchCloser = Executors.newCachedThreadPool(daemonThreads("mock-kube-" + instance + "-watch-close"));
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    KubernetesMixedDispatcher crud = new KubernetesMixedDispatcher(expectations);
    for (ServedKind k : kinds) {
      if (!k.group().isEmpty()) {
        crud.expectCustomResource(k.definitionContext());
      }
    }
    this.store = IndexedCrudStore.installIn(crud);
    LocalApiDispatcher dispatcher = new LocalApiDispatcher(crud, store, kinds, this::port, this::runWatchClose,
        accessReviews);
    VersionInfo version = new VersionInfo.Builder().withMajor("1").withMinor("30")
        .withGitVersion(LocalApiDispatcher.GIT_VERSION).build();
    this.server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
        expectations, new KubectlFacingDispatcher(dispatcher, kinds, LocalApiDispatcher.GIT_VERSION,
            java.time.Clock.systemUTC()), false, version);
    this.requestLogDrain = daemonThreads("mock-kube-" + instance + "-request-log-drain").newThread(this::drainRequestLog);
  }

  /** Starts an in-process API on a random loopback port, serving KubeDB's kinds and the core ones. */
  public static MockKubernetes start() {
    return start(0);
  }

  /** Starts the API on {@code 127.0.0.1:port} ({@code 0} = a random port). */
  public static MockKubernetes start(int port) {
    List<ServedKind> kinds = new ArrayList<>(ServedKind.CORE);
    kinds.addAll(ServedKind.KUBEDB);
    kinds.addAll(ServedKind.PXOPS);
    kinds.addAll(ServedKind.BUILT_IN);
    return start(port, kinds);
  }

  /** Starts the API on {@code 127.0.0.1:port} serving {@code kinds}. */
  public static MockKubernetes start(int port, List<ServedKind> kinds) {
    MockKubernetes api = new MockKubernetes(kinds);
    try {
      api.server.init(InetAddress.getByName(HOST), port);
    } catch (IOException e) {
      api.close();
      throw new UncheckedIOException("cannot start the local Kubernetes API on port " + port, e);
    } catch (RuntimeException e) {
      api.close();
      throw e;
    }
    api.requestLogDrain.start();
    return api;
  }

  public int port() {
    return server.getPort();
  }

  /** The API's base URL, {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://" + HOST + ":" + port();
  }

  /** The indexed store behind the mock (tests). */
  IndexedCrudStore store() {
    return store;
  }

  /** The tokens and grants this API's TokenReview and SubjectAccessReview answer from (tests set them). */
  public LocalAccessReviews accessReviews() {
    return accessReviews;
  }

  /** The kinds this API serves. */
  public List<ServedKind> kinds() {
    return kinds;
  }

  /** A client configuration for this API with {@code namespace} as the default namespace. */
  public Config config(String namespace) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withNamespace(namespace)
        .withHttp2Disable(true)
        .withRequestRetryBackoffLimit(0)
        .build();
  }

  /** A new client for this API; the caller closes it. */
  public KubernetesClient client(String namespace) {
    return new KubernetesClientBuilder().withConfig(config(namespace)).build();
  }

  /**
   * A kubeconfig for this API (plain HTTP; the token is {@link LocalAccessReviews#ADMIN_TOKEN}, which the API's
   * TokenReview accepts with full rights) with {@code namespace} as the context's namespace.
   */
  public String kubeconfig(String namespace) {
    return kubeconfig(namespace, LocalAccessReviews.ADMIN_TOKEN);
  }

  /**
   * A kubeconfig for this API with {@code namespace} as the context's namespace and {@code token} as the bearer
   * token, e.g. one of {@link #requestLog()}'s, so that the requests of whoever uses it are recorded under its user.
   */
  public String kubeconfig(String namespace, String token) {
    return "apiVersion: v1\n"
        + "kind: Config\n"
        + "clusters:\n"
        + "- name: pxops-local\n"
        + "  cluster:\n"
        + "    server: " + url() + "\n"
        + "contexts:\n"
        + "- name: pxops-local\n"
        + "  context:\n"
        + "    cluster: pxops-local\n"
        + "    user: pxops-local\n"
        + "    namespace: " + namespace + "\n"
        + "current-context: pxops-local\n"
        + "users:\n"
        + "- name: pxops-local\n"
        + "  user:\n"
        + "    token: " + token + "\n";
  }

  /** Writes {@link #kubeconfig(String, String)} to {@code path}, creating its parent directories. */
  public Path writeKubeconfig(Path path, String namespace, String token) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(path, kubeconfig(namespace, token));
    return path;
  }

  /** Who asked this API for what, by the tokens it issued (see {@link ApiRequestLog}). */
  public ApiRequestLog requestLog() {
    return requestLog;
  }

  /** Writes {@link #kubeconfig(String)} to {@code path}, creating its parent directories. */
  public Path writeKubeconfig(Path path, String namespace) throws IOException {
    return writeKubeconfig(path, namespace, LocalAccessReviews.ADMIN_TOKEN);
  }

  /** Stops the server and its helper threads. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    requestLogDrain.interrupt();
    try {
      server.shutdown();
    } finally {
      watchCloser.shutdown();
    }
    // what the drain had not taken yet still belongs in the request log; bounded, as the queue may be long
    try {
      for (int i = 0; i < 100_000; i++) {
        RecordedRequest left = server.takeRequest(1, TimeUnit.MILLISECONDS);
        if (left == null) {
          break;
        }
        recordRequest(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void runWatchClose(Runnable callback) {
    try {
      watchCloser.execute(callback);
    } catch (RejectedExecutionException shuttingDown) {
      callback.run();
    }
  }

  /**
   * The mock keeps every request (with its body) in an unbounded queue: take each one, keep only its attributes in
   * the {@link ApiRequestLog} (when it carries a token the log issued), and drop the rest.
   */
  private void drainRequestLog() {
    while (!closed) {
      try {
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        if (request != null) {
          recordRequest(request);
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void recordRequest(RecordedRequest request) {
    try {
      requestLog.record(request.getMethod(), request.getPath(), request.getHeader("Authorization"));
    } catch (RuntimeException e) {
      // a path the log cannot read must not end the drain (the queue would grow without bound)
      java.util.logging.Logger.getLogger(MockKubernetes.class.getName()).log(Level.WARNING,
          "cannot record the API request " + request.getMethod() + " " + request.getPath(), e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
