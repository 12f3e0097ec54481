package io.pxops.verifier;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.events.ClusterVerified;
import io.pxops.events.Command;
import io.pxops.events.Envelope;
import io.pxops.events.NodeObservation;
import io.pxops.events.PodVerified;
import io.pxops.events.RunPreflight;
import io.pxops.events.VerifyCluster;
import io.pxops.events.VerifyPod;
import io.pxops.kubedb.KubeDbNames;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PodHealth;
import io.pxops.pipeline.steps.Attempt;
import io.pxops.pipeline.steps.CommandHandler;
import io.pxops.pipeline.steps.ConcurrentReads;
import io.pxops.pipeline.steps.FatalStepException;
import io.pxops.verifier.ClusterCheck.Broken;
import io.pxops.verifier.ClusterCheck.Healthy;
import io.pxops.verifier.ClusterCheck.NodeReading;
import io.pxops.verifier.ClusterCheck.Unreached;
import io.pxops.verifier.ClusterCheck.Verdict;
import io.pxops.verifier.ClusterCheck.Waiting;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers {@link VerifyCluster} and {@link VerifyPod}: reads every node of the database over JDBC (credentials from
 * its auth Secret, each node at its own pod address, through a connection kept across looks), judges the readings
 * with {@link ClusterCheck}, and answers only when the verdict was held. The answer carries what was read on every
 * node.
 *
 * <p><b>The hold, in Galera's terms.</b> A verdict passes after {@code holdPolls} consecutive healthy looks (every
 * node Synced, Primary, ready, connected, the full cluster size, one cluster state uuid) in which nothing about the
 * cluster's membership changed: every node reports the same {@code wsrep_cluster_conf_id} in every look, and every
 * node was read through the same connection (the same session) in every look; then the data check, once, must find
 * every node's data equal. The looks are taken back to back, as fast as the nodes answer, instead of
 * {@code recheck} apart; {@code holdFor} (default 0) can demand that the unchanged view also lasted a while.
 *
 * <p>The failure it prevents: a crash-looping joiner that is briefly Synced. Before, three looks 0.2–1 s apart were
 * the guard, and a node that left and came back between two looks passed them. Now any join or leave, even between
 * two looks, moves {@code wsrep_cluster_conf_id} on every member, and a node's process that dies breaks the
 * verifier's connection to it at once (the next read fails, or reconnects under a new session) — without waiting
 * for Galera's {@code evs.suspect_timeout} (5 s) to move the others' view. Either restarts the hold. What the hold
 * cannot see is a node that drops after the verdict: for every pod but the last, the next steps catch it — the next
 * eviction is refused by the PodDisruptionBudget while that pod is not Ready, and the next pod's VerifyPod holds the
 * whole cluster again (a view changed by then, 5 s after a silent drop at most, fails its hold); after the last
 * pod's verdict nothing in the update looks again, as before (the old hold covered 0.4–2 s of it; set
 * {@code PXOPS_VERIFY_HOLD_FOR} to demand a longer stable view). A source that cannot tell a node's view or session
 * (simulated nodes) gets the old rule: one look per attempt, {@code recheck} apart.
 *
 * <p>Waiting is progress-aware: a joining or donor node, or a change in what is awaited (a pod starting, then
 * running, then Ready), is progress (the service reports it, which moves the step's deadline); the same not-Ready
 * pod look after look is not; a stuck pod fails the step at once; anything else unhealthy fails it with the
 * values read once it has lasted {@code 80 %} of the step's timeout without progress, so the request's reason says
 * what was wrong instead of a bare timeout.
 */
public final class GaleraVerifier implements CommandHandler {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GaleraVerifier.class);

  /** The share of the step timeout that may pass without progress before the verifier gives up itself. */
  private static final double STALL_SHARE = 0.8;
  private static final Duration FORGET_AFTER = Duration.ofHours(1);

  /**
   * What this instance remembers of one command between looks: the healthy looks held in one view and since when,
   * and the last waiting detail, to tell a change.
   */
  private record Hold(ViewHold held, Instant lastProgress, Instant touched, String lastDetail) {

    Hold(Instant lastProgress, Instant touched, String lastDetail) {
      this(ViewHold.NONE, lastProgress, touched, lastDetail);
    }
  }

  private final KubernetesClient client;
  private final Clock clock;
  private final VerifierConfig config;
  private final NodeStatusSource nodes;
  private final Map<String, Hold> holds = new ConcurrentHashMap<>();
  /** Databases being connected to ahead of their verdict ({@link #foresee}). */
  private final AtomicInteger warming = new AtomicInteger();
  /**
   * One look at a database at a time, by database: a look reads each node through the connection kept for it, and a
   * JDBC connection used by two threads at once breaks inside the driver (seen in a CI run: the connections opened
   * ahead for a RunPreflight were still reading when the VerifyCluster's look began on the same connections, and the
   * driver threw {@code NullPointerException: "this.columnDefinition" is null}, which failed the step). A verdict
   * waits for a look ahead to end (bounded by the connect and query timeouts); a look ahead skips a database
   * being looked at.
   */
  private final Map<String, java.util.concurrent.locks.ReentrantLock> looking = new ConcurrentHashMap<>();
  static final int MAX_WARMING = 2;
  /**
   * The threads a look reads its nodes on: at most one per node of the looks under way (the service runs a few
   * attempts at a time), idle ones end after a minute; daemons, so they never hold the process open.
   */
  private final ExecutorService readers = Executors.newCachedThreadPool(new ThreadFactory() {
    private final AtomicInteger n = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "verifier-read-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  });

  /** The production verifier: every node read over JDBC. */
  public GaleraVerifier(KubernetesClient client, Clock clock, VerifierConfig config) {
    this(client, clock, config, new JdbcNodeStatus(config));
  }

  /** A verifier reading the nodes from {@code nodes} (a test seam; production: {@link JdbcNodeStatus}). */
  public GaleraVerifier(KubernetesClient client, Clock clock, VerifierConfig config, NodeStatusSource nodes) {
    this.client = client;
    this.clock = clock;
    this.config = config;
    this.nodes = nodes;
    VerdictMeters.initialize();
  }

  @Override
  public boolean handles(Command command) {
    return command instanceof VerifyCluster || command instanceof VerifyPod;
  }

  /**
   * An update's RunPreflight is the hint that its VerifyCluster follows in a moment: the verifier connects to the
   * database's Ready nodes now, with one status read each, so the verdict finds its connections open (a first
   * connection per node is a TCP handshake, an authentication and the driver's session set-up: most of a first
   * verdict on an empty database, measured at 0.1–0.2 s on a loaded machine, on the update's critical path). It
   * only prepares: the verdict makes every check itself, and a connection it finds stale it replaces. At most
   * {@value #MAX_WARMING} databases are warmed at once; the hint is dropped beyond that (a fleet starting together
   * would otherwise open every node's connection at once, past the connections kept), and any failure is ignored.
   */
  @Override
  public void foresee(Envelope envelope) {
    if (!(envelope.payload() instanceof RunPreflight)) {
      return;
    }
    if (warming.incrementAndGet() > MAX_WARMING) {
      warming.decrementAndGet();
      return;
    }
    try {
      readers.execute(() -> {
        try {
          warm(envelope.database());
        } catch (RuntimeException e) {
          LOG.debug("could not connect to {} ahead of its verdict: {}", envelope.database(), e.toString());
        } finally {
          warming.decrementAndGet();
        }
      });
    } catch (RuntimeException e) {
      warming.decrementAndGet();
    }
  }

  private void warm(String ref) {
    java.util.concurrent.locks.ReentrantLock lock = lockOf(ref);
    if (!lock.tryLock()) {
      return; // a verdict is looking at it: it connects by itself
    }
    try {
      warmLocked(ref);
    } finally {
      lock.unlock();
    }
  }

  private java.util.concurrent.locks.ReentrantLock lockOf(String database) {
    return looking.computeIfAbsent(database, d -> new java.util.concurrent.locks.ReentrantLock());
  }

  private void warmLocked(String ref) {
    String ns = ref.substring(0, ref.indexOf('/'));
    String db = ref.substring(ref.indexOf('/') + 1);
    PerconaXtraDB database = client.resources(PerconaXtraDB.class).inNamespace(ns).withName(db).get();
    if (database == null) {
      return;
    }
    Map<String, Pod> pods = new LinkedHashMap<>();
    Map<String, PodHealth.Verdict> health = new LinkedHashMap<>();
    for (Pod p : client.pods().inNamespace(ns).withLabels(KubeDbNames.selectorLabels(db)).list().getItems()) {
      pods.put(p.getMetadata().getName(), p);
      health.put(p.getMetadata().getName(), PodHealth.of(p, clock.instant(), config.stuckGrace()));
    }
    int readyPods = (int) health.values().stream().filter(h -> h.state() == PodHealth.State.READY).count();
    try (NodeStatusSource.Look look = nodes.open(client, database)) {
      readEveryNode(pods, health, look, readyPods);
    }
  }

  @Override
  public Attempt attempt(Envelope envelope) {
    java.util.concurrent.locks.ReentrantLock lock = lockOf(envelope.database());
    lock.lock();
    try {
      return attemptOnce(envelope);
    } catch (FatalStepException e) {
      VerdictMeters.failed(envelope.payload(), e.reason());
      throw e;
    } finally {
      lock.unlock();
    }
  }

  private Attempt attemptOnce(Envelope envelope) {
    String ns = envelope.database().substring(0, envelope.database().indexOf('/'));
    String db = envelope.database().substring(envelope.database().indexOf('/') + 1);
    Command command = (Command) envelope.payload();
    int replicas = command instanceof VerifyPod p ? p.replicas() : ((VerifyCluster) command).replicas();
    Instant now = clock.instant();
    Instant forgetBefore = now.minus(FORGET_AFTER);
    holds.values().removeIf(h -> h.touched().isBefore(forgetBefore));
    Hold hold = holds.getOrDefault(envelope.eventId(), new Hold(now, now, null));

    // The pods are read once per attempt: the looks of one attempt are milliseconds apart, and what could change
    // in between (a node leaving, its process restarting) is what the view and the sessions show. Then up to
    // holdPolls looks back to back: each healthy look in the held view counts, a changed view starts again.
    // They are listed while the database is read and the look opens (its credentials are a read of the
    // Secret): side by side, not in a row, on the critical path of every verdict
    CompletableFuture<List<Pod>> listed = ConcurrentReads.start(() -> client.pods().inNamespace(ns)
        .withLabels(KubeDbNames.selectorLabels(db)).list().getItems());
    PerconaXtraDB database = client.resources(PerconaXtraDB.class).inNamespace(ns).withName(db).get();
    if (database == null) {
      throw new FatalStepException("DatabaseNotFound", "PerconaXtraDB " + ns + "/" + db + " does not exist");
    }
    NodeStatusSource.Look opened;
    try {
      opened = nodes.open(client, database);
    } catch (RuntimeException e) {
      listed.cancel(false);
      throw e;
    }
    Map<String, Pod> pods = new LinkedHashMap<>();
    for (int i = 0; i < replicas; i++) {
      pods.put(KubeDbNames.podName(db, i), null);
    }
    try {
      for (Pod p : ConcurrentReads.join(listed)) {
        pods.put(p.getMetadata().getName(), p);
      }
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
    Map<String, PodHealth.Verdict> health = new LinkedHashMap<>();
    pods.forEach((name, pod) -> health.put(name, pod == null ? null
        : PodHealth.of(pod, clock.instant(), config.stuckGrace())));
    int readyPods = (int) health.values().stream()
        .filter(h -> h != null && h.state() == PodHealth.State.READY).count();
    try (NodeStatusSource.Look look = opened) {
      for (int i = 0; i < config.holdPolls(); i++) {
        List<NodeReading> readings = readEveryNode(pods, health, look, readyPods);
        Verdict verdict = ClusterCheck.judgeStatus(replicas, readings);
        now = clock.instant();
        String waitingFor = VerdictMeters.NOT_READY;
        if (verdict instanceof Healthy) {
          Optional<String> split = ViewHold.split(readings);
          if (split.isPresent()) {
            verdict = new Waiting(split.get(), false);
            waitingFor = VerdictMeters.VIEW_SPLIT;
          }
        }
        if (!(verdict instanceof Healthy)) {
          return unhealthy(envelope, command, verdict, hold, now, waitingFor);
        }
        ViewHold held = hold.held().after(ViewHold.View.of(readings), now);
        if (held.passes(config.holdPolls(), config.holdFor(), now)) {
          // the data check once per verdict, at the look that completes the hold: a real divergence is still
          // there then, and a transient one (a row committed between two nodes' reads) restarts the hold
          List<NodeObservation> observed = new ArrayList<>();
          Optional<String> wrong = dataCheck(look, readings, observed);
          if (wrong.isPresent()) {
            return unhealthy(envelope, command, new Waiting(wrong.get(), false), hold, now,
                VerdictMeters.DATA_CHECK);
          }
          holds.remove(envelope.eventId());
          VerdictMeters.healthy(command);
          return new Attempt.Done(command instanceof VerifyPod p ? new PodVerified(p.pod(), observed)
              : new ClusterVerified(observed));
        }
        // a healthy status is no progress by itself: a data check that keeps failing must still end the step
        hold = new Hold(held, hold.lastProgress(), now, null);
        holds.put(envelope.eventId(), hold);
        if (held.view() == null || held.looks() >= config.holdPolls()) {
          break; // the rest of the hold is time: the next attempt, at recheck or when a pod changes
        }
      }
    }
    VerdictMeters.waiting(command, VerdictMeters.HOLDING);
    return new Attempt.NotYet(hold.held().describe(config.holdPolls(), config.holdFor(), now), false);
  }

  private Attempt unhealthy(Envelope envelope, Command command, Verdict verdict, Hold hold, Instant now,
      String waitingFor) {
    if (verdict instanceof Broken b) {
      holds.remove(envelope.eventId());
      throw new FatalStepException(b.reason(), b.message());
    }
    Waiting w = (Waiting) verdict;
    // Progress is a node transferring state (it vouches for its own movement), or a CHANGE in what is awaited. A
    // pod that stays not Ready in the same way is no progress: on main a "starting" pod was progress on every
    // look, so a node cut off from the others (non-Primary, its pod not Ready for good) held VerifyPod — and the
    // line — forever.
    VerdictMeters.waiting(command, w.transferring() ? VerdictMeters.STATE_TRANSFER : waitingFor);
    if (w.transferring() || (w.progress() && !w.detail().equals(hold.lastDetail()))) {
      holds.put(envelope.eventId(), new Hold(now, now, w.detail()));
      return new Attempt.NotYet(w.detail(), true);
    }
    Duration stalled = Duration.between(hold.lastProgress(), now);
    if (stalled.toMillis() > command.timeout().toMillis() * STALL_SHARE) {
      holds.remove(envelope.eventId());
      throw new FatalStepException(w.detail().startsWith("table ") || w.detail().startsWith("the sampled")
          ? "DataMismatch" : "ClusterUnhealthy", "no progress for " + stalled.toSeconds() + " s: " + w.detail());
    }
    holds.put(envelope.eventId(), new Hold(hold.lastProgress(), now, w.detail()));
    return new Attempt.NotYet(w.detail(), false);
  }

  /** The data check of a healthy look: fills {@code observed}, or says why the nodes' data cannot pass. */
  private static Optional<String> dataCheck(NodeStatusSource.Look look, List<NodeReading> readings,
      List<NodeObservation> observed) {
    try {
      observed.addAll(look.dataCheck(readings));
    } catch (SQLException | RuntimeException ex) {
      // a driver that breaks on a connection throws its own exceptions too: a read that failed, not a verdict (and
      // a failure that lasts still ends the step, with this reason, at the stall limit)
      observed.clear();
      return Optional.of("the data check could not read: " + ex);
    }
    Optional<String> mismatch = ClusterCheck.compareData(observed);
    if (mismatch.isPresent()) {
      observed.clear();
    }
    return mismatch;
  }

  /**
   * One look: every node read at once, each on its own connection, so a look (and a first look's connects, and a node
   * that answers slowly) costs the slowest node's time rather than the sum of all; the readings in pod order.
   */
  private List<NodeReading> readEveryNode(Map<String, Pod> pods, Map<String, PodHealth.Verdict> health,
      NodeStatusSource.Look look, int readyPods) {
    List<CompletableFuture<NodeReading>> reads = new ArrayList<>();
    for (Map.Entry<String, Pod> e : pods.entrySet()) {
      reads.add(CompletableFuture.supplyAsync(() -> read(e.getKey(), e.getValue(), health.get(e.getKey()), look,
          readyPods), readers));
    }
    List<NodeReading> readings = new ArrayList<>();
    for (CompletableFuture<NodeReading> r : reads) {
      try {
        readings.add(r.join());
      } catch (CompletionException e) {
        // what a read throws (a fatal step error) is thrown as if the read had run here
        if (e.getCause() instanceof RuntimeException cause) {
          throw cause;
        }
        throw e;
      }
    }
    return readings;
  }

  private static NodeReading read(String name, Pod pod, PodHealth.Verdict health, NodeStatusSource.Look look,
      int readyPods) {
    if (pod == null) {
      return new Unreached(name, PodHealth.State.STARTING, name + ": the pod does not exist yet");
    }
    if (health.state() != PodHealth.State.READY) {
      return new Unreached(name, health.state(), health.state() == PodHealth.State.STUCK ? health.message()
          : name + ": " + health.message());
    }
    return look.read(name, pod, readyPods);
  }
}
