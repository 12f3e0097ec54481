package io.pxops.sandbox.world;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.pxops.kubedb.KubeDbNames;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBSpec;
import io.pxops.kubedb.PerconaXtraDBVersion;
import io.pxops.sandbox.controllers.LocalCatalog;
import io.pxops.sandbox.controllers.LocalControllers;
import io.pxops.sandbox.controllers.SimulatedPodRuntime;
import io.pxops.sandbox.galera.GaleraPodRuntime;
import io.pxops.sandbox.galera.MariaDbBuilds;
import io.pxops.sandbox.kafka.KafkaBroker;
import io.pxops.sandbox.kafka.KafkaBrokers;
import io.pxops.sandbox.kafka.KafkaProcess;
import io.pxops.sandbox.kube.MockKubernetes;
import io.pxops.sandbox.runtime.PodRuntime;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded local world: a Kafka broker, a Kubernetes API with KubeDB's kinds, the local controllers that
 * KubeDB's community operator, the PetSet controller and the kubelet would provide, a catalog entry per local
 * MariaDB server build, and pods backed by real MariaDB+Galera node processes (or, for fleet-scale runs, by a
 * simulation that says so).
 *
 * <p>The demo, the integration tests and the benchmarks all start the world through this one class, so they
 * exercise the same parts. Kafka and the Kubernetes side start concurrently; each part's start time is kept in
 * {@link #startTimes()}.
 */
public final class LocalWorld implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalWorld.class);

  /** What runs behind each pod. */
  public enum Pods {
    /** Real MariaDB+Galera node processes (the default). */
    GALERA,
    /** No processes: pods become Ready after a short delay. Only for fleet-scale runs; reports say so. */
    SIMULATED
  }

  private final String namespace;
  private final KafkaBroker kafka;
  private final MockKubernetes kubernetes;
  private final KubernetesClient client;
  private final PodRuntime runtime;
  private final LocalControllers controllers;
  private final MariaDbBuilds builds;
  private final List<PerconaXtraDBVersion> catalog;
  private final Pods pods;
  private final Map<String, Duration> startTimes;

  private LocalWorld(Builder b, KafkaBroker kafka, MockKubernetes kubernetes, KubernetesClient client,
      PodRuntime runtime, LocalControllers controllers, MariaDbBuilds builds, List<PerconaXtraDBVersion> catalog,
      Map<String, Duration> startTimes) {
    this.namespace = b.namespace;
    this.kafka = kafka;
    this.kubernetes = kubernetes;
    this.client = client;
    this.runtime = runtime;
    this.controllers = controllers;
    this.builds = builds;
    this.catalog = catalog;
    this.pods = b.pods;
    this.startTimes = startTimes;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** How to start a world. */
  public static final class Builder {
    private String namespace = "demo";
    private int kubernetesPort = 0;
    private boolean kafka = true;
    private boolean kafkaProcess = false;
    private Pods pods = Pods.GALERA;
    private Duration simulatedReadyDelay = Duration.ofMillis(200);

    private Builder() {
    }

    /** The namespace the world creates and the clients default to (default {@code demo}). */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** A fixed port on 127.0.0.1 for the Kubernetes API (default 0: any free port). */
    public Builder kubernetesPort(int port) {
      this.kubernetesPort = port;
      return this;
    }

    /** Whether to start (or connect to) a Kafka broker (default true). */
    public Builder kafka(boolean kafka) {
      this.kafka = kafka;
      return this;
    }

    /**
     * Runs the Kafka broker in a JVM of its own ({@link KafkaProcess}: fixed ports and directory), so that it can be
     * killed with SIGKILL and started again, instead of in this JVM (default false: the in-process broker, or the
     * one {@link KafkaBrokers} picks from the environment).
     */
    public Builder kafkaProcess(boolean kafkaProcess) {
      this.kafkaProcess = kafkaProcess;
      return this;
    }

    /** What runs behind each pod (default {@link Pods#GALERA}). */
    public Builder pods(Pods pods) {
      this.pods = pods;
      return this;
    }

    /** For {@link Pods#SIMULATED}: how long a pod takes to become Ready. */
    public Builder simulatedReadyDelay(Duration delay) {
      this.simulatedReadyDelay = delay;
      return this;
    }

    /** Starts every part; on any failure what was started is stopped again and the failure is thrown. */
    public LocalWorld start() {
      Map<String, Duration> times = new LinkedHashMap<>();
      long t0 = System.nanoTime();
      CompletableFuture<KafkaBroker> kafkaStart = kafka
          ? CompletableFuture.supplyAsync(() -> timed(times, "kafka",
              kafkaProcess ? KafkaProcess::start : KafkaBrokers::fromEnvironment))
          : CompletableFuture.completedFuture(null);
      MockKubernetes kube = null;
      KubernetesClient client = null;
      PodRuntime runtime = null;
      LocalControllers controllers = null;
      try {
        MariaDbBuilds builds = pods == Pods.GALERA ? MariaDbBuilds.discover() : null;
        List<String> versions = builds != null ? builds.versions() : List.of("10.11.18", "10.11.19");
        kube = timed(times, "kubernetes-api", () -> MockKubernetes.start(kubernetesPort));
        client = kube.client(namespace);
        KubernetesClient c = client;
        c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
            .create();
        List<PerconaXtraDBVersion> catalog = LocalCatalog.seed(c, versions);
        runtime = pods == Pods.GALERA
            ? GaleraPodRuntime.withTemporaryDir(builds)
            : new SimulatedPodRuntime(simulatedReadyDelay, Set.copyOf(versions), Clock.systemUTC());
        PodRuntime r = runtime;
        controllers = timed(times, "controllers", () -> LocalControllers.start(c, r));
        KafkaBroker broker = kafkaStart.join();
        times.put("world", Duration.ofNanos(System.nanoTime() - t0));
        LocalWorld world = new LocalWorld(this, broker, kube, client, runtime, controllers, builds, catalog, times);
        LOG.info("local world up in {} ms: {}", times.get("world").toMillis(), world.describe());
        return world;
      } catch (RuntimeException | Error e) {
        closeQuietly(controllers);
        closeQuietly(runtime);
        closeQuietly(client);
        closeQuietly(kube);
        try {
          closeQuietly(kafkaStart.join());
        } catch (CompletionException ignored) {
          // the broker failed to start too; the first failure is what matters
        }
        if (e instanceof CompletionException && e.getCause() instanceof RuntimeException cause) {
          throw cause;
        }
        throw e;
      }
    }
  }

  private static <T> T timed(Map<String, Duration> times, String part, java.util.function.Supplier<T> start) {
    long t = System.nanoTime();
    T value = start.get();
    synchronized (times) {
      times.put(part, Duration.ofNanos(System.nanoTime() - t));
    }
    return value;
  }

  /** The namespace the world created and its clients default to. */
  public String namespace() {
    return namespace;
  }

  /** The Kafka broker, or null when the world was started without one. */
  public KafkaBroker kafka() {
    return kafka;
  }

  public MockKubernetes kubernetes() {
    return kubernetes;
  }

  /** A client of the world's Kubernetes API, defaulting to {@link #namespace()}. Closed with the world. */
  /**
   * The bearer token of this world's admin (full rights), which its API's TokenReview accepts and its kubeconfig
   * carries: what the demo and test helpers present to the HTTP doors.
   */
  public String adminToken() {
    return io.pxops.sandbox.kube.LocalAccessReviews.ADMIN_TOKEN;
  }

  public KubernetesClient client() {
    return client;
  }

  public PodRuntime podRuntime() {
    return runtime;
  }

  public LocalControllers controllers() {
    return controllers;
  }

  /** The local server builds (null for a simulated world). */
  public MariaDbBuilds builds() {
    return builds;
  }

  /** The catalog entries the world seeded, oldest first. */
  public List<PerconaXtraDBVersion> catalog() {
    return catalog;
  }

  /**
   * Creates or replaces a catalog entry: {@code version} with {@code image} and the local constraints. An image that
   * names no local build cannot start (its pod waits with ImagePullBackOff), so this makes a broken target — and,
   * called again with a good image, its fix.
   */
  public PerconaXtraDBVersion putCatalogEntry(String version, String image) {
    PerconaXtraDBVersion entry = LocalCatalog.entryFor(version);
    entry.getSpec().getDb().setImage(image);
    return client.resources(PerconaXtraDBVersion.class).resource(entry)
        .createOr(NonDeletingOperation::update);
  }

  /** {@code SELECT VERSION()} of each of the database's pods, by ordinal, read over JDBC as root. */
  public List<String> serverVersions(String database) throws SQLException {
    List<String> versions = new ArrayList<>();
    for (Pod p : podsOf(database)) {
      try (Connection c = DriverManager.getConnection(jdbcUrl(p), "root", rootPassword(database));
          Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
        rs.next();
        versions.add(rs.getString(1));
      }
    }
    return versions;
  }

  /** The catalog name of the oldest local server build. */
  public String olderVersion() {
    return catalog.get(0).getMetadata().getName();
  }

  /** The catalog name of the newest local server build (equal to {@link #olderVersion()} with one build). */
  public String newerVersion() {
    return catalog.get(catalog.size() - 1).getMetadata().getName();
  }

  public Pods pods() {
    return pods;
  }

  /** How long each part took to start, and the whole world ({@code world}). */
  public Map<String, Duration> startTimes() {
    return Map.copyOf(startTimes);
  }

  /** Creates a PerconaXtraDB object, as a user would with {@code kubectl apply}. */
  public PerconaXtraDB createDatabase(String name, int replicas, String version) {
    PerconaXtraDB db = new PerconaXtraDB();
    db.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    PerconaXtraDBSpec spec = new PerconaXtraDBSpec();
    spec.setVersion(version);
    spec.setReplicas(replicas);
    spec.setStorageType("Durable");
    spec.setDeletionPolicy("WipeOut");
    db.setSpec(spec);
    return client.resources(PerconaXtraDB.class).inNamespace(namespace).resource(db).create();
  }

  /** The database's pods, ordered by ordinal. */
  public List<Pod> podsOf(String database) {
    List<Pod> list = new ArrayList<>(client.pods().inNamespace(namespace)
        .withLabel(KubeDbNames.LABEL_INSTANCE, database).list().getItems());
    list.sort(Comparator.comparingInt(p -> ordinalOf(p.getMetadata().getName())));
    return list;
  }

  /** The root password from the database's auth Secret. */
  public String rootPassword(String database) {
    Secret s = client.secrets().inNamespace(namespace).withName(KubeDbNames.defaultAuthSecretName(database)).get();
    if (s == null || s.getData() == null || s.getData().get(KubeDbNames.SECRET_PASSWORD_KEY) == null) {
      throw new IllegalStateException("no auth secret with a password for " + namespace + "/" + database);
    }
    byte[] password = Base64.getDecoder().decode(s.getData().get(KubeDbNames.SECRET_PASSWORD_KEY));
    return new String(password, StandardCharsets.UTF_8);
  }

  /** A JDBC URL for one pod (its own loopback address, port 3306). */
  public static String jdbcUrl(Pod pod) {
    return "jdbc:mysql://" + pod.getStatus().getPodIP() + ":" + KubeDbNames.MYSQL_PORT
        + "/?connectTimeout=2000&socketTimeout=10000&sslMode=DISABLED&allowPublicKeyRetrieval=true";
  }

  /** True when the pod is Ready, by its Ready condition. */
  public static boolean isReady(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The image of the pod's database container. */
  public static String imageOf(Pod pod) {
    return pod.getSpec().getContainers().stream()
        .filter(c -> KubeDbNames.CONTAINER.equals(c.getName())).findFirst()
        .orElseThrow().getImage();
  }

  static int ordinalOf(String podName) {
    return Integer.parseInt(podName.substring(podName.lastIndexOf('-') + 1));
  }

  /** A condition for waits: all {@code replicas} pods of the database exist and are Ready. */
  public BooleanSupplier allPodsReady(String database, int replicas) {
    return () -> {
      List<Pod> list = podsOf(database);
      return list.size() == replicas && list.stream().allMatch(LocalWorld::isReady);
    };
  }

  /** One line per part: where to reach it. */
  public String describe() {
    return "kafka=" + (kafka == null ? "none" : kafka.bootstrapServers())
        + " kubernetes=" + kubernetes.url() + " namespace=" + namespace
        + " pods=" + (pods == Pods.GALERA ? "galera " + builds.versions() : "simulated (no database processes)");
  }

  /**
   * The system property naming a file to which a closing world appends its API request log (the requests of the
   * pxops services it served, see {@link io.pxops.sandbox.kube.ApiRequestLog}); unset, nothing is written. The
   * system tests set it, and a test after them checks every request against the RBAC rules in {@code deploy/}.
   */
  public static final String API_REQUEST_LOG_PROPERTY = "pxops.apiRequestLog";

  @Override
  public void close() {
    // controllers first, so that nothing re-creates pods while their processes stop
    closeQuietly(controllers);
    closeQuietly(runtime);
    closeQuietly(client);
    closeQuietly(kubernetes);
    closeQuietly(kafka);
    String requestLogFile = System.getProperty(API_REQUEST_LOG_PROPERTY, "");
    if (!requestLogFile.isBlank()) {
      try {
        kubernetes.requestLog().appendTo(java.nio.file.Path.of(requestLogFile));
      } catch (java.io.IOException | RuntimeException e) {
        LOG.warn("cannot append the API request log to {}: {}", requestLogFile, e.toString());
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
    }
  }
}
