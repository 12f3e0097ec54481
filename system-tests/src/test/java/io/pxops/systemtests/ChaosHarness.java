package io.pxops.systemtests;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.pxops.events.Command;
import io.pxops.events.Envelope;
import io.pxops.events.RequestFailed;
import io.pxops.events.RequestSkipped;
import io.pxops.events.RequestSucceeded;
import io.pxops.kubedb.KubeDbConditions;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.pipeline.LifecycleLogReader;
import io.pxops.sandbox.galera.GaleraPodRuntime;
import io.pxops.sandbox.kafka.KafkaProcess;
import io.pxops.sandbox.runtime.ServerImages;
import io.pxops.sandbox.world.LocalPipeline;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.sandbox.world.MembershipMonitor;
import io.pxops.sandbox.world.RowWriter;
import io.pxops.sandbox.world.ServiceProcess;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs chaos trials on one local world: each trial is a real UpdateVersion of a 3-node Galera cluster onto the other
 * server build, under a writer and a membership monitor, during which one process — a pxops service or the Kafka
 * broker — is killed with SIGKILL at a chosen moment and (with one instance per service) started again. A trial
 * then checks the five properties of a safe update whatever crashed: it ended {@code Successful}, or
 * {@code Failed} naming the step and the cause; no pod was restarted twice; the database is not left paused; no
 * acknowledged row is missing on any node; never more than one node was out at once.
 *
 * <p>One world and one cluster serve every trial: each update goes to a new catalog version whose image is the
 * build the cluster does not run now ({@code 10.11.20} on the older build, {@code 10.11.21} on the newer, ...), so
 * every trial restarts every node onto another real server build, without the 15 s of a new cluster. A trial that
 * leaves the cluster unhealthy gets a new cluster for the next one (and is reported).
 */
final class ChaosHarness implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChaosHarness.class);

  /** The processes a trial can kill. */
  static final List<String> KINDS = List.of("ingest", "coordinator", "runners", "verifier", "projector", "kafka");

  /**
   * The commands of a 3-node update: RunPreflight, VerifyCluster, PauseDatabase, UpdatePetSet, EvictPod /
   * AwaitPodRunning / VerifyPod per pod, UpdateDatabaseVersion, ResumeDatabase. A kill moment is "the k-th
   * command on the log, plus an offset".
   */
  static final int COMMANDS_PER_UPDATE = 15;

  /**
   * One kill.
   *
   * @param kind one of {@link #KINDS}
   * @param instance which instance to kill (1 or 2; 2 only with two instances)
   * @param atCommand kill once this many commands of the update are on the log (0: right after the request was
   *     submitted, before anything; 1: after RunPreflight; ...)
   * @param offsetMillis and this long after that
   */
  record Kill(String kind, int instance, int atCommand, long offsetMillis) {
  }

  /** One trial: an update and its kills, in the order of their moments. */
  record TrialPlan(int number, List<Kill> kills) {
  }

  /**
   * What one kill cost.
   *
   * @param stepAtKill the step whose command was the last one on the log when the kill happened
   * @param killAtMillis from the submission to the kill
   * @param restartMillis from the kill to the new process being up (spawned; the broker: answering); 0 when the
   *     other instance carries on
   * @param costMillis from the new process being up (two instances: from the kill) to the update's next step
   *     event: the next command on the log (the coordinator moved on), or its end; -1 when nothing followed
   */
  record KillResult(String kind, String process, String stepAtKill, long killAtMillis, long restartMillis,
      long costMillis) {
  }

  /**
   * What a trial showed.
   *
   * @param violations the properties that did not hold; empty for a good trial
   * @param notes what else was seen (a service found dead that nobody killed)
   */
  record TrialResult(int number, int instances, String opsRequest, List<KillResult> kills, long updateMillis,
      long trialMillis, String outcome, String failedStep, String failureReason, Map<String, Integer> restarts,
      boolean pausedAtEnd, long rowsAcknowledged, int rowsMissing, int maxNodesOut, List<String> violations,
      List<String> notes) {

    boolean good() {
      return violations.isEmpty();
    }
  }

  private record Killed(Kill kill, String process, Instant at, Instant up) {
  }

  /**
   * How long the ops request object may trail the log before it counts as wrong. Before the write-back was a static
   * member it trailed by 25-60 s after a projector kill (the dead member's 45 s session).
   */
  private static final Duration OBJECT_LAG_LIMIT = Duration.ofSeconds(30);
  /** A lag longer than this is noted in the trial's report. */
  private static final Duration OBJECT_LAG_NOTED = Duration.ofSeconds(5);

  private final LocalWorld world;
  private final Path dir;
  private final Duration trialLimit;
  private LocalPipeline pipeline;
  private int instances;
  private int pipelines;
  private String database;
  private int databases;
  private boolean databaseUsed;
  private int nextPatch;

  ChaosHarness(LocalWorld world, Path dir, int instances, Duration trialLimit) throws Exception {
    this.world = world;
    this.dir = dir;
    this.trialLimit = trialLimit;
    String newer = world.newerVersion();
    this.nextPatch = Integer.parseInt(newer.substring(newer.lastIndexOf('.') + 1)) + 1;
    createDatabase(); // its nodes start while the services do
    usePipeline(instances);
  }

  /** Stops the services (SIGTERM) and starts them again with {@code instances} processes each. */
  void usePipeline(int instances) throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
    this.instances = instances;
    this.pipeline = LocalPipeline.start(world, dir.resolve("pipeline-" + (++pipelines)), Map.of(
        "PXOPS_TICK_INTERVAL", "PT0.2S", "PXOPS_RECHECK_INTERVAL", "PT0.5S"), LocalPipeline.ALL, instances);
  }

  LocalPipeline pipeline() {
    return pipeline;
  }

  int instances() {
    return instances;
  }

  /** The database the next trial updates; a new 3-node cluster when there is none or the last one is unhealthy. */
  String readyDatabase() {
    if (databaseUsed && !healthy(database)) {
      LOG.warn("chaos: {} is not healthy after the last trial; the next trial gets a new cluster", database);
      createDatabase();
    }
    String db = database;
    // a cluster that never gets Ready is not waited for again: the next trial replaces it
    databaseUsed = true;
    await("database " + db + " Ready").atMost(Duration.ofMinutes(2)).until(() -> healthy(db));
    return db;
  }

  private void createDatabase() {
    database = "chaos" + (++databases);
    databaseUsed = false;
    world.createDatabase(database, 3, world.olderVersion());
  }

  private boolean healthy(String db) {
    PerconaXtraDB d = database(db);
    return d != null && d.getStatus() != null && "Ready".equals(d.getStatus().getPhase())
        && !KubeDbConditions.isPaused(d) && world.allPodsReady(db, 3).getAsBoolean();
  }

  /** Runs one trial; never throws for what the trial found, only for a broken harness. */
  TrialResult run(TrialPlan plan) throws Exception {
    Instant trialStart = Instant.now();
    String db = readyDatabase();
    List<Pod> pods = world.podsOf(db);
    List<String> names = pods.stream().map(p -> p.getMetadata().getName()).toList();
    List<String> hosts = pods.stream().map(p -> p.getStatus().getPodIP()).toList();
    String currentBuild = ServerImages.buildVersionOf(LocalWorld.imageOf(pods.get(0))).orElseThrow();
    String targetBuild = world.builds().versions().stream().filter(v -> !v.equals(currentBuild)).findFirst()
        .orElse(currentBuild);
    String target = "10.11." + nextPatch++;
    world.putCatalogEntry(target, ServerImages.imageFor(targetBuild));
    String name = db + "-t" + plan.number();
    String key = world.namespace() + "/" + name;
    String password = world.rootPassword(db);
    List<String> violations = new ArrayList<>();
    List<String> notes = new ArrayList<>();

    Instant before = Instant.now();
    List<Killed> killed = new ArrayList<>();
    List<Envelope> log;
    Instant submitted;
    try (RowWriter writer = RowWriter.start(hosts, "root", password, Duration.ofMillis(10));
        MembershipMonitor monitor = MembershipMonitor.start(names, hosts, "root", password,
            Duration.ofMillis(100))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledgedRows() > 20);
      submitted = Instant.now();
      world.client().resources(PerconaXtraDBOpsRequest.class).load(new ByteArrayInputStream(
          Kubectl.updateVersionYaml(world.namespace(), name, db, target, "2m").getBytes(StandardCharsets.UTF_8)))
          .create();
      Instant deadline = submitted.plus(trialLimit);

      for (Kill k : plan.kills()) {
        // the kill moment: the plan's command on the log (or the end of the update, whichever comes first)
        if (k.atCommand() > 0) {
          awaitLog(key, deadline, l -> commands(l) >= k.atCommand() || terminal(l).isPresent());
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(k.offsetMillis())); // the random moment itself
        String process = processName(k);
        Instant at = Instant.now();
        kill(k.kind(), process);
        Instant up = at; // with two instances the other one carries on: nothing to wait for
        // there is one broker whatever the number of service instances: it always comes back (a 2-instance trial
        // of seed 2027 left it dead and counted the update as wedged)
        if (instances == 1 || "kafka".equals(k.kind())) {
          restart(k.kind(), process);
          up = Instant.now();
        }
        killed.add(new Killed(k, process, at, up));
      }

      log = awaitLog(key, deadline, l -> terminal(l).isPresent());
      writer.close();
      monitor.close();
      Optional<Envelope> end = terminal(log);
      String outcome;
      String failedStep = null;
      String failureReason = null;
      if (end.isEmpty()) {
        outcome = "Wedged";
        violations.add("no terminal event within " + trialLimit + "; last on the log: "
            + (log.isEmpty() ? "nothing" : log.get(log.size() - 1).type()));
      } else if (end.get().payload() instanceof RequestSucceeded) {
        outcome = "Successful";
      } else if (end.get().payload() instanceof RequestFailed f) {
        outcome = "Failed";
        failedStep = f.step().conditionType(f.pod());
        failureReason = f.reason() + ": " + f.message();
      } else {
        outcome = "Skipped";
        violations.add("the update was skipped: " + end.get().payload());
      }

      Map<String, Integer> restarts = restartsSince(db, names, before);
      restarts.forEach((pod, n) -> {
        if (n > 1) {
          violations.add(pod + " restarted " + n + " times");
        }
      });
      if ("Successful".equals(outcome)) {
        if (!restarts.keySet().containsAll(names)) {
          violations.add("Successful but not every pod restarted: " + restarts);
        }
        List<String> versions = world.serverVersions(db);
        if (!versions.stream().allMatch(v -> v.startsWith(targetBuild))) {
          violations.add("Successful but SELECT VERSION() is " + versions + ", not " + targetBuild);
        }
      }
      boolean paused = KubeDbConditions.isPaused(database(db));
      if (paused) {
        violations.add("the database is left paused");
      }
      Map<String, List<Long>> missing = writer.missingOn();
      int missingRows = missing.values().stream().mapToInt(List::size).sum();
      if (missingRows > 0) {
        violations.add("acknowledged rows missing: " + missing.entrySet().stream()
            .filter(e -> !e.getValue().isEmpty()).map(e -> e.getKey() + "=" + e.getValue().size())
            .collect(Collectors.joining(", ")));
      }
      if (monitor.maxOut() > 1) {
        violations.add(monitor.maxOut() + " nodes out at once: " + monitor.worst().describe());
      }
      if (end.isPresent()) {
        String objectPhase = awaitObjectPhase(name, outcome);
        long objectLag = Duration.between(end.get().occurredAt(), Instant.now()).toMillis();
        if (!outcome.equals(objectPhase)) {
          violations.add("the ops request object says " + objectPhase + " " + objectLag + " ms after the log said "
              + outcome);
        } else if (objectLag > OBJECT_LAG_NOTED.toMillis()) {
          notes.add("the ops request object said " + outcome + " " + objectLag + " ms after the log");
        }
      }
      notes.addAll(reviveTheDead(killed.stream().map(Killed::process).toList()));

      List<KillResult> kills = new ArrayList<>();
      for (Killed k : killed) {
        long cost = log.stream().filter(e -> e.occurredAt().isAfter(k.up()))
            .filter(e -> e.payload() instanceof Command || terminal(List.of(e)).isPresent()).findFirst()
            .map(e -> Duration.between(k.up(), e.occurredAt()).toMillis()).orElse(-1L);
        kills.add(new KillResult(k.kill().kind(), k.process(), stepAt(log, k.at()),
            Duration.between(submitted, k.at()).toMillis(), Duration.between(k.at(), k.up()).toMillis(), cost));
      }
      Instant started = log.isEmpty() ? submitted : log.get(0).occurredAt();
      long updateMillis = Duration.between(started, end.map(Envelope::occurredAt).orElse(Instant.now())).toMillis();
      TrialResult r = new TrialResult(plan.number(), instances, key, List.copyOf(kills), updateMillis,
          Duration.between(trialStart, Instant.now()).toMillis(), outcome, failedStep, failureReason, restarts,
          paused, writer.acknowledgedRows(), missingRows, monitor.maxOut(), List.copyOf(violations),
          List.copyOf(notes));
      LOG.info("chaos trial {}: {}", plan.number(), r);
      return r;
    }
  }

  private String processName(Kill k) {
    if ("kafka".equals(k.kind())) {
      return "kafka";
    }
    return k.instance() == 1 ? k.kind() : k.kind() + "-" + k.instance();
  }

  private void kill(String kind, String process) throws InterruptedException {
    if ("kafka".equals(kind)) {
      broker().kill();
    } else {
      pipeline.kill(process);
    }
  }

  private void restart(String kind, String process) throws Exception {
    if ("kafka".equals(kind)) {
      broker().restart();
    } else {
      pipeline.relaunch(process);
    }
  }

  private KafkaProcess broker() {
    if (!(world.kafka() instanceof KafkaProcess k)) {
      throw new IllegalStateException("killing the broker needs LocalWorld.builder().kafkaProcess(true)");
    }
    return k;
  }

  /**
   * After the trial: the instance a two-instance trial killed is started again for the next trial, and any other
   * service found dead is a finding (a service must outlive a crash of its peers and of the broker) — it is
   * started again too, so one finding does not spoil the trials after it.
   */
  private List<String> reviveTheDead(List<String> killed) throws Exception {
    List<String> notes = new ArrayList<>();
    for (Map.Entry<String, ServiceProcess> e : pipeline.services().entrySet()) {
      if (e.getValue().alive()) {
        continue;
      }
      if (!killed.contains(e.getKey())) {
        String tail = e.getValue().logText();
        notes.add(e.getKey() + " was found dead after the trial; its log ends: "
            + tail.substring(Math.max(0, tail.length() - 600)).replace('\n', ' '));
      }
      pipeline.relaunch(e.getKey());
    }
    return notes;
  }

  private Map<String, Integer> restartsSince(String db, List<String> names, Instant since) {
    GaleraPodRuntime runtime = (GaleraPodRuntime) world.podRuntime();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String pod : names) {
      long n = runtime.node(world.namespace(), pod).map(node -> node.starts().stream()
          .filter(s -> s.requestedAt().isAfter(since)).count()).orElse(0L);
      if (n > 0) {
        counts.put(pod, (int) n);
      }
    }
    return counts;
  }

  /** The projector writes the phase on the object; after its own crash it may take a moment. */
  private String awaitObjectPhase(String name, String expected) {
    try {
      // the write-back of a projector killed and started again catches up from its committed offset once the
      // restarted static member has its partitions back (JVM start, then one poll)
      await().atMost(OBJECT_LAG_LIMIT).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(() -> expected.equals(Kubectl.objectPhase(world, name)));
    } catch (ConditionTimeoutException e) {
      // reported by the caller with the phase the object has
    }
    return Kubectl.objectPhase(world, name);
  }

  private PerconaXtraDB database(String db) {
    return world.client().resources(PerconaXtraDB.class).inNamespace(world.namespace()).withName(db).get();
  }

  /**
   * Reads the request's history until {@code done} holds or the deadline passes; a read that fails (the broker
   * is down) is retried until the deadline.
   */
  private List<Envelope> awaitLog(String key, Instant deadline, Predicate<List<Envelope>> done) {
    AtomicReference<List<Envelope>> last = new AtomicReference<>(List.of());
    Duration left = Duration.between(Instant.now(), deadline);
    try {
      await().atMost(left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left)
          .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
          .until(() -> {
            last.set(LifecycleLogReader.read(world.kafka().bootstrapServers(), key));
            return done.test(last.get());
          });
    } catch (ConditionTimeoutException e) {
      // the caller reports what the log held at the deadline (a wedged update)
    }
    return last.get();
  }

  static long commands(List<Envelope> log) {
    return log.stream().filter(e -> e.payload() instanceof Command).count();
  }

  static Optional<Envelope> terminal(List<Envelope> log) {
    return log.stream().filter(e -> e.payload() instanceof RequestSucceeded || e.payload() instanceof RequestFailed
        || e.payload() instanceof RequestSkipped).findFirst();
  }

  /** The condition type of the last command on the log before {@code at} ("Admission" before any). */
  static String stepAt(List<Envelope> log, Instant at) {
    String step = "Admission";
    for (Envelope e : log) {
      if (e.occurredAt().isAfter(at)) {
        break;
      }
      if (e.payload() instanceof Command c) {
        step = c.step().conditionType(c.pod());
      }
      if (e.payload() instanceof RequestSucceeded || e.payload() instanceof RequestFailed) {
        step = "Ended";
      }
    }
    return step;
  }

  @Override
  public void close() {
    pipeline.close();
  }
}
