package io.pxops.sandbox.world;

import io.pxops.events.TopicSpec;
import io.pxops.events.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The pxops services on the local world, each in its own JVM ({@link ServiceProcess}), configured the way a user
 * would configure them: Kafka's bootstrap address and a kubeconfig in the environment — each service its own, with
 * its own token, so that the local API records its requests under its service account ({@link #serviceAccountOf}).
 * The classes are named, not linked: whoever starts the pipeline (the system tests, the CLI's demo, the benchmarks)
 * has them on its class path.
 *
 * <p>Start order: the coordinator first (it creates the topics), then the ingest, the runners, the verifier and the
 * projector; {@link #start} returns when every service says it is ready ({@code /readyz}).
 *
 * <p>Each process gets its own health port ({@link #healthUrl}) and its own instance id (its name), which is its Kafka
 * {@code group.instance.id}: {@link #restart} starts a service again under the same id, as a StatefulSet restarts a
 * pod under the same name.
 */
public final class LocalPipeline implements AutoCloseable {

  public static final String INGEST = "io.pxops.requestingest.IngestMain";
  public static final String COORDINATOR = "io.pxops.steprunners.coordinator.CoordinatorMain";
  public static final String RUNNERS = "io.pxops.steprunners.runners.StepRunnerMain";
  public static final String VERIFIER = "io.pxops.verifier.VerifierMain";
  public static final String PROJECTOR = "io.pxops.statusprojector.ProjectorMain";

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path dir;
  private final LocalWorld world;
  private final Map<String, Path> kubeconfigs = new HashMap<>();
  private final Map<String, String> mains;
  private final Map<String, String> commonEnv;
  private final int ingestPort;
  private final int statusPort;
  private final Map<String, ServiceProcess> services = new HashMap<>();
  private final Map<String, Launch> launches = new HashMap<>();
  private final Map<String, Integer> healthPorts = new HashMap<>();
  private int runnerGeneration;

  /** How a service was started, to start it again. */
  private record Launch(String mainClass, Map<String, String> env) {
  }

  private LocalPipeline(LocalWorld world, Path dir, Map<String, String> commonEnv, int ingestPort, int statusPort,
      Map<String, String> mains) {
    this.world = world;
    this.mains = mains;
    this.dir = dir;
    this.commonEnv = commonEnv;
    this.ingestPort = ingestPort;
    this.statusPort = statusPort;
  }

  /**
   * Starts every service against {@code world}.
   *
   * @param world a started world with Kafka
   * @param dir where the kubeconfig, the state directories and each service's log go
   * @param extraEnv added to every service's environment (e.g. faster ticks for tests)
   */
  public static LocalPipeline start(LocalWorld world, Path dir, Map<String, String> extraEnv) throws IOException {
    return start(world, dir, extraEnv, ALL);
  }

  /** Every service, by the names {@link #start(LocalWorld, Path, Map, Set)} takes. */
  public static final Set<String> ALL = Set.of("coordinator", "ingest", "runners", "verifier", "projector");

  /**
   * Starts some of the services (the coordinator always: it creates the topics), e.g. the coordinator alone for a
   * latency benchmark whose harness answers the commands itself.
   *
   * @param services a subset of {@link #ALL}
   */
  public static LocalPipeline start(LocalWorld world, Path dir, Map<String, String> extraEnv, Set<String> services)
      throws IOException {
    return start(world, dir, extraEnv, services, Map.of(), 1);
  }

  /**
   * Starts some of the services, some of them from a main class of the caller's instead of the production one: a
   * test's or a benchmark's main that plugs a test double into the service's seam (the runners'
   * {@code EvictionListener}, the verifier's {@code NodeStatusSource}), so that no test hook lives in the
   * production services.
   *
   * @param services a subset of {@link #ALL}
   * @param mains main class by service name (e.g. {@code "verifier"}), on the caller's class path
   */
  public static LocalPipeline start(LocalWorld world, Path dir, Map<String, String> extraEnv, Set<String> services,
      Map<String, String> mains) throws IOException {
    return start(world, dir, extraEnv, services, mains, 1);
  }

  /**
   * As {@link #start(LocalWorld, Path, Map, Set)} with {@code instances} (1 or 2) processes of each service. A
   * second instance is named {@code <service>-2} ({@code runners-2} for the runners), has its own state directory,
   * HTTP port and instance id, and shares the work through the consumer group: when one instance dies the other
   * carries on. {@link #ingestUrl()} and {@link #statusUrl()} stay those of the first instances.
   */
  public static LocalPipeline start(LocalWorld world, Path dir, Map<String, String> extraEnv, Set<String> services,
      int instances) throws IOException {
    return start(world, dir, extraEnv, services, Map.of(), instances);
  }

  private static LocalPipeline start(LocalWorld world, Path dir, Map<String, String> extraEnv, Set<String> services,
      Map<String, String> mains, int instances) throws IOException {
    if (instances < 1 || instances > 2) {
      throw new IllegalArgumentException("instances must be 1 or 2: " + instances);
    }
    // the local world's own kubeconfig (its admin token) in dir, as a user's kubectl and the CLI would use it; the
    // services get kubeconfigs of their own (kubeconfigOf)
    world.kubernetes().writeKubeconfig(dir.resolve("kubeconfig"), world.namespace());
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", world.kafka().bootstrapServers());
    env.put("PXOPS_REPLICATION_FACTOR", "1");
    // the local world runs no KubeDB Ops Manager, so KubeDB's own YAML (unlabelled) is pxops' to run
    env.put("PXOPS_CLAIM", "all");
    env.putAll(extraEnv);
    LocalPipeline p = new LocalPipeline(world, dir, Map.copyOf(env), freePort(), freePort(), Map.copyOf(mains));
    try {
      for (int i = 1; i <= instances; i++) {
        String n = i == 1 ? "" : "-" + i;
        p.launch("coordinator" + n, p.mains.getOrDefault("coordinator", COORDINATOR),
            Map.of("PXOPS_STATE_DIR", dir.resolve("state/coordinator" + n).toString()));
      }
      p.awaitTopics(world.kafka().bootstrapServers());
      for (int i = 1; i <= instances; i++) {
        String n = i == 1 ? "" : "-" + i;
        int ingestPort = i == 1 ? p.ingestPort : freePort();
        int statusPort = i == 1 ? p.statusPort : freePort();
        if (services.contains("ingest")) {
          p.launch("ingest" + n, p.mains.getOrDefault("ingest", INGEST), Map.of("PXOPS_HTTP_PORT", String.valueOf(ingestPort),
              "PXOPS_STATUS_URL", p.statusUrl()));
        }
        if (services.contains("runners")) {
          p.startRunners(Map.of());
        }
        if (services.contains("verifier")) {
          p.launch("verifier" + n, p.mains.getOrDefault("verifier", VERIFIER), Map.of());
        }
        if (services.contains("projector")) {
          p.launch("projector" + n, p.mains.getOrDefault("projector", PROJECTOR), Map.of("PXOPS_HTTP_PORT", String.valueOf(statusPort),
              "PXOPS_HTTP_HOST", "127.0.0.1", "PXOPS_ADVERTISED_HOST", "127.0.0.1",
              "PXOPS_STATE_DIR", dir.resolve("state/status-projector" + n).toString(),
              "PXOPS_DASHBOARD_INGEST_URL", p.ingestUrl()));
        }
      }
      for (String name : List.copyOf(p.services.keySet())) {
        p.awaitReady(name);
      }
      return p;
    } catch (RuntimeException | IOException e) {
      p.close();
      throw e;
    }
  }

  /** Starts (another) step-runner process with these extra environment variables; returns it. */
  public ServiceProcess startRunners(Map<String, String> env) throws IOException {
    return startRunners(mains.getOrDefault("runners", RUNNERS), env);
  }

  /**
   * Starts (another) step-runner process from {@code mainClass} (a test's main wiring a seam, e.g. one that pauses
   * after each eviction), with these extra environment variables; returns it.
   */
  public ServiceProcess startRunners(String mainClass, Map<String, String> env) throws IOException {
    return launch(runnerGeneration++ == 0 ? "runners" : "runners-" + runnerGeneration, mainClass, env);
  }

  private ServiceProcess launch(String name, String mainClass, Map<String, String> env) throws IOException {
    launches.put(name, new Launch(mainClass, Map.copyOf(env)));
    Map<String, String> all = new HashMap<>();
    // each service its own token, as each has its own service account on a cluster (a caller's KUBECONFIG wins)
    all.put("KUBECONFIG", kubeconfigOf(name).toString());
    all.putAll(commonEnv);
    // the instance id is the process's name: unique among the processes of one group (two runners under one id
    // would fence each other), and the same when the service is restarted
    all.put("PXOPS_INSTANCE_ID", name);
    all.putAll(env);
    boolean servesHttp = mainClass.equals(INGEST) || mainClass.equals(PROJECTOR);
    // the ingest and the projector answer the probes on their own HTTP port; a restart keeps every port
    int healthPort = servesHttp ? Integer.parseInt(all.getOrDefault("PXOPS_HTTP_PORT",
        String.valueOf(mainClass.equals(INGEST) ? ingestPort : statusPort)))
        : healthPorts.containsKey(name) ? healthPorts.get(name) : freePort();
    if (!servesHttp) {
      all.put("PXOPS_HEALTH_PORT", String.valueOf(healthPort));
    }
    healthPorts.put(name, healthPort);
    ServiceProcess s = ServiceProcess.start(name, mainClass, all, dir.resolve("logs"));
    services.put(name, s);
    launches.put(name, new Launch(mainClass, Map.copyOf(env)));
    return s;
  }

  /**
   * The service account each service runs as in {@code deploy/}, by the service's name here ({@code runners-2} is
   * a runner): the local API records each service's requests under it, as a real API server maps a service
   * account's token to that account, so that a test can check them against the account's RBAC rules.
   */
  public static String serviceAccountOf(String name) {
    String service = name.replaceFirst("-\\d+$", "");
    return "system:serviceaccount:pxops:pxops-" + switch (service) {
      case "ingest" -> "request-ingest";
      case "coordinator" -> "coordinator";
      case "runners" -> "step-runners";
      case "verifier" -> "verifier";
      case "projector" -> "status-projector";
      default -> throw new IllegalArgumentException("no service account for a service named " + name);
    };
  }

  /**
   * The kubeconfig of a service: its own token of the local API's request log (one per service account, shared by
   * its instances), so that every request it makes is recorded under its service account.
   */
  private Path kubeconfigOf(String name) throws IOException {
    String account = serviceAccountOf(name);
    Path existing = kubeconfigs.get(account);
    if (existing != null) {
      return existing;
    }
    String token = world.kubernetes().requestLog().issueToken(account);
    Path file = world.kubernetes().writeKubeconfig(
        dir.resolve("kubeconfig-" + account.substring(account.lastIndexOf(':') + 1)), world.namespace(), token);
    kubeconfigs.put(account, file);
    return file;
  }

  /**
   * Starts a service again under its name and instance id, after it was killed or stopped (as Kubernetes restarts
   * a pod of a StatefulSet). Returns at once, without waiting for it to be ready; the log goes on in the same file.
   *
   * @param name a service started before, e.g. {@code coordinator}
   */
  public ServiceProcess restart(String name) throws IOException {
    ServiceProcess old = services.get(name);
    if (old == null || old.alive()) {
      throw new IllegalStateException(name + " is not a stopped service of this pipeline: " + old);
    }
    Launch launch = launches.get(name);
    return launch(name, launch.mainClass(), launch.env());
  }

  /** A service's health probes, e.g. {@code healthUrl("coordinator") + "/readyz"}. */
  public String healthUrl(String name) {
    Integer port = healthPorts.get(name);
    if (port == null) {
      throw new IllegalArgumentException("no service " + name);
    }
    return "http://127.0.0.1:" + port;
  }

  /** Waits (at most 60 s) until the service answers {@code /readyz} with 200; fails if it exits meanwhile. */
  public void awaitReady(String name) {
    awaitHttp(healthUrl(name) + "/readyz", name);
  }

  /**
   * Kills the named service with SIGKILL (a crash: no shutdown hook runs) and waits until it is gone; the chaos
   * trials use it. The service stays down until {@link #relaunch(String)}.
   */
  public void kill(String name) throws InterruptedException {
    ServiceProcess s = services.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no service named " + name + "; running: " + services.keySet());
    }
    s.kill();
  }

  /**
   * Starts the named service again exactly as it was first launched (same environment, state directory, ports and
   * instance id), as Kubernetes restarts a crashed container; its log continues in the same file.
   */
  public ServiceProcess relaunch(String name) throws IOException {
    Launch l = launches.get(name);
    if (l == null) {
      throw new IllegalArgumentException("no service named " + name + "; known: " + launches.keySet());
    }
    ServiceProcess old = services.get(name);
    if (old != null && old.alive()) {
      throw new IllegalStateException(name + " is still running: " + old);
    }
    return launch(name, l.mainClass(), l.env());
  }

  private void awaitTopics(String bootstrap) {
    Set<String> wanted = Set.copyOf(Topics.all().stream().map(TopicSpec::name).toList());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      while (System.nanoTime() < deadline) {
        try {
          if (admin.listTopics().names().get(5, TimeUnit.SECONDS).containsAll(wanted)) {
            return;
          }
        } catch (Exception e) {
          // the broker answers soon; try again
        }
        checkAlive("coordinator");
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      }
    }
    throw new IllegalStateException("the coordinator did not create the topics in 60 s:\n"
        + services.get("coordinator").logText());
  }

  private void awaitHttp(String url, String service) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
            .build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      checkAlive(service);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
    throw new IllegalStateException(service + " did not answer " + url + " in 60 s:\n"
        + services.get(service).logText());
  }

  private void checkAlive(String service) {
    ServiceProcess s = services.get(service);
    if (!s.alive()) {
      throw new IllegalStateException(service + " exited:\n" + s.logText());
    }
  }

  /** The ingest's HTTP API. */
  public String ingestUrl() {
    return "http://127.0.0.1:" + ingestPort;
  }

  /** The status projector's HTTP API. */
  public String statusUrl() {
    return "http://127.0.0.1:" + statusPort;
  }

  /** A running service by name: ingest, coordinator, runners (the first), verifier, projector. */
  public ServiceProcess service(String name) {
    return services.get(name);
  }

  /** Every service started, by name. */
  public Map<String, ServiceProcess> services() {
    return Map.copyOf(services);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops every service with SIGTERM, in reverse start order. */
  @Override
  public void close() {
    List<ServiceProcess> all = new ArrayList<>(services.values());
    for (ServiceProcess s : all) {
      try {
        s.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
