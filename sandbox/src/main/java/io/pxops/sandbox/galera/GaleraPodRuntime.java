package io.pxops.sandbox.galera;

import io.pxops.sandbox.runtime.PodIdentity;
import io.pxops.sandbox.runtime.PodProcessState;
import io.pxops.sandbox.runtime.PodProcessState.Phase;
import io.pxops.sandbox.runtime.PodRuntime;
import io.pxops.sandbox.runtime.ServerImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each pod of a PerconaXtraDB PetSet as a real {@link GaleraNode}: the local kubelet's container runtime.
 *
 * <p><b>Pods and nodes.</b> A pod's node lives in {@code <baseDir>/<namespace>/<podName>/}; its data directory is
 * kept across {@link #stop}/{@link #kill} and a later {@link #ensureRunning}, like a PVC. The node listens on the
 * pod's own address ({@link PodIdentity#podIp()}) and finds its peers at {@link PodIdentity#peerIps()}; its
 * Galera cluster is the pod's {@code namespace/database}. The image names the server build
 * ({@link ServerImages}); an image that names no installed build leaves the pod {@link Phase#STUCK} with reason
 * {@code ImagePullBackOff}.
 *
 * <p><b>Per pod, a loop every 100 ms (200 ms once READY)</b> reads the node's status over TCP, caches it for
 * {@link #state} and, while the pod should run but its process does not, starts it when allowed:
 * <ol>
 *   <li><b>Bootstrap rule:</b> a node bootstraps a new primary component ({@code --wsrep-new-cluster}, after
 *       {@code mariadb-install-db} when its data directory is empty, then creating the users) iff no peer of its
 *       cluster has a running process in this runtime. Otherwise it joins: by SST when its data directory is
 *       empty, by IST otherwise. Limits: peers run by another runtime or process are not seen (two runtimes would
 *       bootstrap two clusters of the same name); and when every node was stopped, the first one started
 *       bootstraps from its own data even if another node had committed more (the operator's job to pick the
 *       most advanced node is not done here), with {@code safe_to_bootstrap} forced in its {@code grastate.dat}.</li>
 *   <li><b>Eviction gate:</b> a joiner starts only when no running peer still counts its address as a member
 *       ({@code wsrep_incoming_addresses}). After a SIGKILL the survivors keep the dead member for ~6 s
 *       ({@code evs.suspect_timeout}); a node restarted before they evicted it needs ~15 s more to join. After a
 *       graceful stop the gate is open at once. Meanwhile the pod is STARTING with reason
 *       {@code WaitingForEviction}.</li>
 *   <li><b>Primary gate:</b> a joiner starts only when some running peer is in a primary component (reason
 *       {@code WaitingForPrimary} until then).</li>
 *   <li><b>Crash loop:</b> a process that exits without being asked to is restarted after a back-off (2 s, 4 s, 8 s,
 *       ... up to 60 s), with {@code --wsrep-recover} when it died uncleanly. From the second exit in a row before
 *       reaching Synced the pod is STUCK with reason {@code CrashLoopBackOff} and the tail of its error log; a launch
 *       that fails (an install or a recovery that times out) counts the same way, STUCK with
 *       {@code RunContainerError} from the second in a row ({@link #afterFailure}).</li>
 * </ol>
 * A pod is READY only when {@code wsrep_local_state_comment=Synced} and {@code wsrep_ready=ON}.
 */
public final class GaleraPodRuntime implements PodRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(GaleraPodRuntime.class);
  private static final long POLL_STARTING_MS = 100;
  private static final long POLL_READY_MS = 200;
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
  private static final int ERROR_LOG_LINES = 8;

  private final MariaDbBuilds builds;
  private final Path baseDir;
  private final boolean ownsBaseDir;
  private final ScheduledExecutorService loop;
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();
  private final List<Consumer<PodIdentity>> phaseListeners = new CopyOnWriteArrayList<>();
  private final Object launchLock = new Object();
  private final Thread shutdownHook;
  private volatile boolean closed;

  /**
   * A runtime whose node directories live under {@code baseDir} (kept on {@link #close}). Keep it short: unix
   * socket paths are limited to {@value GaleraNode#MAX_SOCKET_PATH} bytes.
   */
  public GaleraPodRuntime(MariaDbBuilds builds, Path baseDir) {
    this(builds, baseDir, false);
  }

  private GaleraPodRuntime(MariaDbBuilds builds, Path baseDir, boolean ownsBaseDir) {
    this.builds = Objects.requireNonNull(builds, "builds");
    this.baseDir = baseDir.toAbsolutePath().normalize();
    this.ownsBaseDir = ownsBaseDir;
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "galera-pods-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.loop = Executors.newScheduledThreadPool(4, factory);
    this.shutdownHook = new Thread(this::close, "galera-pods-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** A runtime on a fresh {@code <java.io.tmpdir>/pxops-<random>/} directory, deleted again by {@link #close}. */
  public static GaleraPodRuntime withTemporaryDir(MariaDbBuilds builds) {
    return new GaleraPodRuntime(builds, BaseDirs.create(BaseDirs.defaultParent()), true);
  }

  public MariaDbBuilds builds() {
    return builds;
  }

  public Path baseDir() {
    return baseDir;
  }

  /** The node behind a pod, once the pod was started with an image naming an installed build. */
  public Optional<GaleraNode> node(PodIdentity pod) {
    return node(pod.namespace(), pod.podName());
  }

  /** The node behind the pod {@code namespace/podName}, once the pod was started on an installed build. */
  public Optional<GaleraNode> node(String namespace, String podName) {
    Pod p = pods.get(namespace + "/" + podName);
    return p == null ? Optional.empty() : Optional.ofNullable(p.node);
  }

  @Override
  public void ensureRunning(PodIdentity pod, String image) {
    if (closed) {
      throw new IllegalStateException("runtime closed");
    }
    Pod p = pods.computeIfAbsent(pod.key(), k -> new Pod());
    synchronized (p) {
      p.identity = pod;
      if (p.wanted) {
        return; // running, starting or crash-looping: a running container never changes its image
      }
      Optional<String> build = builds.forImage(image);
      if (build.isEmpty()) {
        p.image = image;
        p.state = new PodProcessState(Phase.STUCK, "ImagePullBackOff", "Back-off pulling image \"" + image
            + "\": no local server build for it (installed: "
            + String.join(", ", builds.versions().stream().map(ServerImages::imageFor).toList()) + ")",
            null, null, null);
        return;
      }
      GaleraNodeConfig config = configFor(pod);
      if (p.node == null) {
        p.node = new GaleraNode(config, builds);
      } else if (!p.node.config().equals(config)) {
        p.node.reconfigure(config);
      }
      p.wanted = true;
      p.image = image;
      p.build = build.get();
      p.requestedAt = Instant.now();
      p.crashes = 0;
      p.handledExitPid = -1;
      p.nextAttemptNanos = System.nanoTime();
      p.usersPending = false;
      p.state = new PodProcessState(Phase.STARTING, "ContainerCreating", null, image, null, null);
      int generation = ++p.generation;
      p.tick = loop.schedule(() -> tick(p, generation), 0, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void stop(PodIdentity pod) {
    terminate(pod, false);
  }

  @Override
  public void kill(PodIdentity pod) {
    terminate(pod, true);
  }

  private void terminate(PodIdentity pod, boolean kill) {
    Pod p = pods.get(pod.key());
    if (p == null) {
      return;
    }
    GaleraNode node;
    synchronized (p) {
      p.wanted = false;
      if (p.tick != null) {
        p.tick.cancel(false);
        p.tick = null;
      }
      node = p.node;
    }
    if (node != null) {
      if (kill) {
        node.kill();
      } else {
        node.stop();
      }
    }
    synchronized (p) {
      if (!p.wanted) {
        p.state = new PodProcessState(Phase.STOPPED, kill ? "Killed" : "Stopped", null, null, null, null);
      }
    }
  }

  @Override
  public PodProcessState state(PodIdentity pod) {
    Pod p = pods.get(pod.key());
    return p == null ? PodProcessState.notStarted() : p.state;
  }

  /** Stops every node (SIGTERM, in parallel) and, for {@link #withTemporaryDir}, deletes the base directory. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    loop.shutdownNow();
    List<Thread> stoppers = new ArrayList<>();
    for (Pod p : pods.values()) {
      GaleraNode node;
      synchronized (p) {
        p.wanted = false;
        node = p.node;
      }
      if (node != null && node.running()) {
        Thread t = new Thread(node::stop, "galera-stop-" + node.name());
        t.start();
        stoppers.add(t);
      }
    }
    for (Thread t : stoppers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Pod p : pods.values()) {
      p.state = new PodProcessState(Phase.STOPPED, "Stopped", null, null, null, null);
    }
    if (ownsBaseDir) {
      BaseDirs.delete(baseDir);
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting: the hook runs (or ran) anyway
      }
    }
  }

  // --- the per-pod loop ---

  @Override
  public void onPhaseChange(Consumer<PodIdentity> listener) {
    phaseListeners.add(listener);
  }

  private void tick(Pod p, int generation) {
    if (closed) {
      return;
    }
    long delay = POLL_STARTING_MS;
    Phase before = p.state.phase();
    try {
      GaleraNode node = p.node;
      NodeStatus status = node.running() ? node.status() : null; // outside the lock: up to a few seconds
      synchronized (p) {
        if (!p.wanted || closed || p.generation != generation) {
          return;
        }
        if (node.running()) {
          observeRunning(p, node, status);
          delay = p.state.ready() ? POLL_READY_MS : POLL_STARTING_MS;
        } else if (node.exitedUnexpectedly() && node.lastStart().map(StartRecord::pid).orElse(-1L)
            != p.handledExitPid) {
          observeCrash(p, node);
        } else if (System.nanoTime() - p.nextAttemptNanos >= 0) {
          tryLaunch(p, node);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("pod {}: {}", p.identity.key(), e.toString());
      synchronized (p) {
        if (p.wanted && p.generation == generation) {
          p.crashes++;
          Duration backoff = backoff(p.crashes);
          p.nextAttemptNanos = System.nanoTime() + backoff.toNanos();
          p.state = afterFailure(p.crashes, "RunContainerError", String.valueOf(e.getMessage()), backoff, p.image);
        }
      }
    } finally {
      if (p.state.phase() != before) {
        for (Consumer<PodIdentity> listener : phaseListeners) {
          try {
            listener.accept(p.identity);
          } catch (RuntimeException e) {
            LOG.warn("pod {}: phase listener failed", p.identity.key(), e);
          }
        }
      }
      synchronized (p) {
        if (p.wanted && !closed && p.generation == generation && !loop.isShutdown()) {
          p.tick = loop.schedule(() -> tick(p, generation), delay, TimeUnit.MILLISECONDS);
        }
      }
    }
  }

  private void observeRunning(Pod p, GaleraNode node, NodeStatus status) {
    if (p.usersPending && node.createUsers()) {
      p.usersPending = false;
    }
    if (status != null && status.synced() && !p.usersPending) {
      p.crashes = 0;
      p.state = new PodProcessState(Phase.READY, null, null, p.image, status.version(),
          status.localStateComment());
    } else if (status != null && status.reachable()) {
      p.state = new PodProcessState(Phase.STARTING, status.localStateComment(), status.toString(), p.image,
          status.version(), status.localStateComment());
    } else {
      // not accepting connections yet (starting, or receiving a full state transfer)
      String reason = "Bootstrapping".equals(p.state.reason()) ? "Bootstrapping" : "Starting";
      p.state = new PodProcessState(Phase.STARTING, reason, status == null ? null : status.error(), p.image, null,
          null);
    }
  }

  private void observeCrash(Pod p, GaleraNode node) {
    StartRecord last = node.lastStart().orElseThrow();
    p.handledExitPid = last.pid();
    p.crashes++;
    Duration backoff = backoff(p.crashes);
    p.nextAttemptNanos = System.nanoTime() + backoff.toNanos();
    p.requestedAt = Instant.now();
    String exit = "mariadbd (pid " + last.pid() + ", " + last.build() + ") exited with code "
        + node.exitCode().orElse(-1);
    List<String> tail = node.errorLogTail(ERROR_LOG_LINES);
    LOG.warn("pod {}: {} ({} in a row); restarting in {} s", p.identity.key(), exit, p.crashes,
        backoff.toSeconds());
    p.state = afterFailure(p.crashes, "CrashLoopBackOff", exit + "; last lines of " + node.errorLog().getFileName()
        + ":\n" + String.join("\n", tail), backoff, p.image);
  }

  /**
   * A pod's state after its process failed {@code inARow} times in a row without reaching Synced, as a kubelet
   * reports it: the first failure is a container that errored and is restarted ({@code STARTING}, reason
   * {@code Error}); from the second in a row the pod is stuck with {@code stuckReason}. The same rule for a process
   * that exited and for a launch that failed: a single failure is not a pod that will not start. (A launch that
   * failed once used to make the pod stuck at once: a {@code --wsrep-recover} or an install that timed out on a
   * loaded machine then failed the update's step, though the retry a back-off later would have started it.)
   */
  static PodProcessState afterFailure(int inARow, String stuckReason, String what, Duration backoff, String image) {
    if (inARow >= 2) {
      return new PodProcessState(Phase.STUCK, stuckReason, "back-off " + backoff.toSeconds() + "s restarting failed "
          + "container, " + inARow + " times in a row: " + what, image, null, null);
    }
    return new PodProcessState(Phase.STARTING, "Error", what + "; restarting in " + backoff.toSeconds() + " s", image,
        null, null);
  }

  private void tryLaunch(Pod p, GaleraNode node) {
    synchronized (launchLock) {
      List<Pod> peers = pods.values().stream()
          .filter(q -> q != p && q.identity != null && q.node != null && sameCluster(q.identity, p.identity))
          .toList();
      List<GaleraNode> runningPeers = peers.stream().map(q -> q.node).filter(GaleraNode::running).toList();
      if (runningPeers.isEmpty()) {
        boolean fresh = !node.initialized();
        if (fresh) {
          // pending from before the install: when this launch fails after it (a start that times out on a
          // loaded machine), the retry finds the node initialized and must still create the users — else no
          // TCP client can ever log in ("Host '127.0.0.1' is not allowed") and the pod is never Ready
          p.usersPending = true;
          node.installDb(p.build);
        }
        node.start(p.build, true, p.requestedAt);
        p.state = new PodProcessState(Phase.STARTING, "Bootstrapping", "no peer of " + p.identity.database()
            + " runs: starting a new primary component" + (fresh ? " on a new database" : ""), p.image, null,
            null);
        return;
      }
      boolean primary = false;
      for (GaleraNode peer : runningPeers) {
        NodeStatus s = peer.status(); // fresh: a cached status may predate a graceful leave
        if (s.counts(p.identity.podIp())) {
          p.state = new PodProcessState(Phase.STARTING, "WaitingForEviction", peer.name()
              + " still counts " + p.identity.podIp() + " as a member (cluster size " + s.clusterSize()
              + "); starting once the survivors have evicted it", p.image, null, null);
          return;
        }
        primary |= s.primary();
      }
      if (!primary) {
        p.state = new PodProcessState(Phase.STARTING, "WaitingForPrimary", "no running peer of "
            + p.identity.database() + " is in a primary component yet", p.image, null, null);
        return;
      }
      node.start(p.build, false, p.requestedAt);
      p.state = new PodProcessState(Phase.STARTING, "Starting", (node.initialized() ? "rejoining" : "joining by SST")
          + " " + p.identity.database(), p.image, null, null);
    }
  }

  private GaleraNodeConfig configFor(PodIdentity pod) {
    Path dir = baseDir.resolve(pod.namespace()).resolve(pod.podName());
    if (dir.resolve("mysqld.sock").toString().getBytes(StandardCharsets.UTF_8).length
        > GaleraNode.MAX_SOCKET_PATH) {
      dir = baseDir.resolve("p" + Integer.toHexString(pod.key().hashCode()));
    }
    return new GaleraNodeConfig(pod.database(), pod.podName(), pod.podIp(), pod.peerIps(), dir,
        pod.rootPassword());
  }

  private static boolean sameCluster(PodIdentity a, PodIdentity b) {
    return a.namespace().equals(b.namespace()) && a.database().equals(b.database());
  }

  private static Duration backoff(int crashes) {
    long seconds = FIRST_BACKOFF.toSeconds() << Math.min(Math.max(crashes - 1, 0), 10);
    return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
  }

  /** A pod's bookkeeping; fields guarded by the instance, {@code state} and {@code node} also read without it. */
  private static final class Pod {
    PodIdentity identity;
    volatile GaleraNode node;
    volatile PodProcessState state = PodProcessState.notStarted();
    boolean wanted;
    String image;
    String build;
    Instant requestedAt;
    int crashes;
    long handledExitPid = -1;
    long nextAttemptNanos;
    boolean usersPending;
    int generation;
    ScheduledFuture<?> tick;
  }
}
