package io.pxops.benchmarks;

import static org.awaitility.Awaitility.await;

import io.pxops.events.AwaitPodRunning;
import io.pxops.events.Command;
import io.pxops.events.Envelope;
import io.pxops.events.EvictPod;
import io.pxops.events.RequestStarted;
import io.pxops.events.RequestSucceeded;
import io.pxops.events.VerifyPod;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.pipeline.LifecycleLogReader;
import io.pxops.sandbox.galera.GaleraNode;
import io.pxops.sandbox.galera.GaleraPodRuntime;
import io.pxops.sandbox.galera.StartRecord;
import io.pxops.sandbox.world.LocalPipeline;
import io.pxops.sandbox.world.LocalWorld;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Target 2: a real 3-node Galera update, every service its own process. Wall time (RequestStarted to
 * RequestSucceeded, from the log) divided by the sum of each node's restart, read from the node process itself:
 * from the moment its stop was asked for (the eviction reaching the "kubelet") to the new process's first
 * {@code Synced}.
 */
final class UpdateOverheadBenchmark {

  private static final String DB = "bench-px";
  /**
   * A one-node database updated first, on the same pipeline: the services are long-running processes, and the
   * first update after they start also pays for loading classes, compiling hot code and opening connections
   * (measured: ~1 s more before the first eviction). The measured update is the second one, as every update but
   * the first is in production; the warm-up's own figures are reported too, as the cold-start cost.
   */
  private static final String WARM_UP_DB = "warm-px";

  private UpdateOverheadBenchmark() {
  }

  private static double seconds(Instant from, Instant to) {
    return Math.round(Duration.between(from, to).toMillis()) / 1000.0;
  }

  /** The first envelope answering {@code command} (a result, not a progress report). */
  private static Envelope answer(List<Envelope> log, Envelope command) {
    return log.stream().filter(x -> command.eventId().equals(x.causationId()) && !"StepProgressed".equals(x.type()))
        .findFirst().orElseThrow(() -> new IllegalStateException("no answer to " + command.type()));
  }

  private static Envelope command(List<Envelope> log, Class<?> type, String pod) {
    return log.stream().filter(e -> type.isInstance(e.payload()) && pod.equals(((Command) e.payload()).pod()))
        .findFirst().orElseThrow(() -> new IllegalStateException("no " + type.getSimpleName() + " of " + pod));
  }

  /**
   * Where every second of the wall time goes, in the order it passes: before the first eviction, then per pod
   * (in the order the update took them) eviction asked → the node's stop asked ("kubelet" saw the deletion) →
   * the new process Synced (the restart, the denominator) → the runner saw the pod Ready → the VerifyPod command
   * → its verdict → the next eviction asked (or, after the last pod, RequestSucceeded). The parts add up to the
   * wall time; everything but the restarts is overhead.
   */
  private static Map<String, Object> breakdown(List<Envelope> log, Instant started, Instant succeeded,
      GaleraPodRuntime runtime) {
    List<Envelope> evictions = log.stream().filter(e -> e.payload() instanceof EvictPod).toList();
    Map<String, Object> parts = new LinkedHashMap<>();
    if (evictions.isEmpty()) {
      return parts;
    }
    parts.put("startedToFirstEviction", seconds(started, evictions.get(0).occurredAt()));
    // every message up to the first eviction, with its time from RequestStarted: which step, hand-over or runner
    // the first seconds go to
    List<String> before = new java.util.ArrayList<>();
    for (Envelope e : log) {
      if (e.occurredAt().isBefore(started)) {
        continue;
      }
      before.add(e.type() + " +" + Duration.between(started, e.occurredAt()).toMillis() + " ms");
      if (e == evictions.get(0)) {
        break;
      }
    }
    parts.put("untilFirstEviction", before);
    double overhead = seconds(started, evictions.get(0).occurredAt());
    for (int i = 0; i < evictions.size(); i++) {
      Envelope evict = evictions.get(i);
      String pod = ((EvictPod) evict.payload()).pod();
      GaleraNode node = runtime.node("overhead", pod).orElseThrow();
      Instant stop = node.stopRequests().stream().filter(t -> !t.isBefore(evict.occurredAt())).findFirst()
          .orElseThrow();
      Instant synced = node.starts().stream().filter(st -> st.requestedAt().isAfter(stop)).findFirst()
          .orElseThrow().syncedAt();
      Instant readySeen = answer(log, command(log, AwaitPodRunning.class, pod)).occurredAt();
      Envelope verify = command(log, VerifyPod.class, pod);
      Instant verified = answer(log, verify).occurredAt();
      Instant next = i + 1 < evictions.size() ? evictions.get(i + 1).occurredAt() : succeeded;
      Map<String, Double> p = new LinkedHashMap<>();
      p.put("evictionToStop", seconds(evict.occurredAt(), stop));
      p.put("restartStopToSynced", seconds(stop, synced));
      p.put("syncedToReadySeen", seconds(synced, readySeen));
      p.put("readySeenToVerifyPod", seconds(readySeen, verify.occurredAt()));
      p.put("verifyPod", seconds(verify.occurredAt(), verified));
      p.put(i + 1 < evictions.size() ? "verifiedToNextEviction" : "verifiedToSucceeded", seconds(verified, next));
      overhead += seconds(evict.occurredAt(), next) - seconds(stop, synced);
      Map<String, Object> podParts = new LinkedHashMap<>(p);
      // what the eviction step said before it ended (a refusal it waited out shows here, with its reason)
      List<String> evicting = new java.util.ArrayList<>();
      for (Envelope e : log) {
        if (!e.occurredAt().isBefore(evict.occurredAt()) && e.occurredAt().isBefore(stop.plusMillis(1))) {
          evicting.add(e.type() + " +" + Duration.between(evict.occurredAt(), e.occurredAt()).toMillis() + " ms"
              + (e.payload() instanceof io.pxops.events.StepProgressed sp ? " (" + sp.detail() + ")" : ""));
        }
      }
      podParts.put("evictionToStopMessages", evicting);
      parts.put(pod, podParts);
    }
    parts.put("overheadSeconds", Math.round(overhead * 1000) / 1000.0);
    return parts;
  }

  /**
   * @param updates how many databases are updated and measured, one after the other (each its own 3-node cluster,
   *     all bootstrapped before the services start); the figures reported are the median update's by ratio, with
   *     every update's wall, restarts and ratio beside them (one update swings by several percent on a shared
   *     machine). With rows, one: the table is seeded into one database only.
   * @param warmUps 3-node updates run first on the freshly started services, each of its own database, and reported
   *     apart: a service's first updates pay for its JVM's warm-up (class loading, compiling the paths an update
   *     takes; measured: 1.10–1.32 for the first two, falling to 1.03–1.05 by the fifth or sixth), which a long-running
   *     service paid long before
   */
  static Map<String, Object> run(Path dir, long rows, int updates, int warmUps, Map<String, String> servicesEnv,
      PrintStream out) throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    try (LocalWorld world = LocalWorld.builder().namespace("overhead").start()) {
      // every local world gives its first database 127.77.1.x; another run on this machine may hold those ports
      // (the node then cannot bind and crash-loops): move this one to another block, as PartitionedNodeIT does
      long skip = 100 + ProcessHandle.current().pid() % 150;
      for (int i = 0; i < skip; i++) {
        world.controllers().podNetwork().addressOf("overhead", "unused-" + i, 0);
      }
      List<String> measured = new java.util.ArrayList<>(List.of(DB));
      for (int i = 2; rows == 0 && i <= updates; i++) {
        measured.add(DB + i);
      }
      for (String db : measured) {
        world.createDatabase(db, 3, world.olderVersion());
      }
      List<String> warming = new java.util.ArrayList<>();
      for (int i = 1; i <= warmUps; i++) {
        warming.add(WARM_UP_DB + (i == 1 ? "" : String.valueOf(i)));
      }
      for (String db : warming) {
        world.createDatabase(db, 3, world.olderVersion());
      }
      if (rows > 0) {
        await().atMost(Duration.ofMinutes(3)).until(world.allPodsReady(DB, 3)::getAsBoolean);
        long t0 = System.nanoTime();
        VerifierCostBenchmark.seed(world.podsOf(DB), world.rootPassword(DB), 0, rows);
        r.put("rows", rows);
        r.put("seedSeconds", (System.nanoTime() - t0) / 1e9);
      }
      // the services' settings: looks and ticks 0.2 s apart, and any the caller adds (--coordinator-env)
      Map<String, String> env = new LinkedHashMap<>(Map.of("PXOPS_TICK_INTERVAL", "PT0.2S",
          "PXOPS_RECHECK_INTERVAL", "PT0.2S"));
      env.putAll(servicesEnv);
      try (LocalPipeline pipeline = LocalPipeline.start(world, dir, env)) {
        List<String> all = new java.util.ArrayList<>(warming);
        all.addAll(measured);
        for (String name : all) {
          await().atMost(Duration.ofMinutes(3)).until(world.allPodsReady(name, 3)::getAsBoolean);
          await().atMost(Duration.ofMinutes(1)).until(() -> {
            PerconaXtraDB db = world.client().resources(PerconaXtraDB.class).inNamespace("overhead").withName(name)
                .get();
            return db.getStatus() != null && "Ready".equals(db.getStatus().getPhase());
          });
        }
        List<Map<String, Object>> warmedBy = new java.util.ArrayList<>();
        for (String db : warming) {
          out.printf("  warm-up update of %s (not in the median):%n", db);
          Map<String, Object> w = measure(world, pipeline, db, env, out);
          warmedBy.add(Map.of("database", w.get("database"), "wallSeconds", w.get("wallSeconds"),
              "nodeRestartSumSeconds", w.get("nodeRestartSumSeconds"), "ratio", w.get("ratio"),
              "secondsPerStepKind", w.get("secondsPerStepKind")));
        }
        r.put("warmUp", warmedBy);
        out.printf("  warm-up ratios (the services' first %d updates): %s%n", warming.size(),
            warmedBy.stream().map(m -> m.get("ratio")).toList());
        List<Map<String, Object>> each = new java.util.ArrayList<>();
        for (String db : measured) {
          out.printf("  update of %s:%n", db);
          each.add(measure(world, pipeline, db, env, out));
        }
        List<Map<String, Object>> byRatio = new java.util.ArrayList<>(each);
        byRatio.sort(java.util.Comparator.comparingDouble(m -> (Double) m.get("ratio")));
        r.putAll(byRatio.get(byRatio.size() / 2));
        r.put("updates", each.stream().map(m -> Map.of("database", m.get("database"), "wallSeconds",
            m.get("wallSeconds"), "nodeRestartSumSeconds", m.get("nodeRestartSumSeconds"), "ratio", m.get("ratio")))
            .toList());
        r.put("reported", (each.size() == 1 ? "the one update" : "the median of " + each.size() + " updates by ratio,"
            + " each of its own 3-node database, one after the other on the same services")
            + (warming.isEmpty() ? ", the first since the services started" : ", after " + warming.size()
            + " warm-up updates of the same kind (in warmUp)"));
        out.printf("  ratios %s; reported: %s (%s)%n", each.stream().map(m -> m.get("ratio")).toList(),
            r.get("ratio"), r.get("database"));
        if (rows > 0) {
          // the bounded check must still find a divergence in the updated table, and name it: one in the newest rows
          // (compared by every verdict) and one in an old chunk (compared when the rotation reaches it)
          r.put("divergence", VerifierCostBenchmark.divergences(world, "overhead", DB, world.rootPassword(DB),
              VerifierCostBenchmark.TABLE, rows));
          out.printf("  divergence planted after the update: %s%n", r.get("divergence"));
        }
      }
    }
    return r;
  }

  /** Updates {@code database} (Ready, 3 nodes, on the older build) and measures where its wall time went. */
  private static Map<String, Object> measure(LocalWorld world, LocalPipeline pipeline, String database,
      Map<String, String> env, PrintStream out) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("database", database);
    Instant submitted = Instant.now();
    List<Envelope> log = update(world, pipeline, "update-" + database, database);
    Instant started = log.stream().filter(e -> e.payload() instanceof RequestStarted).findFirst().orElseThrow()
        .occurredAt();
    Instant succeeded = log.stream().filter(e -> e.payload() instanceof RequestSucceeded).findFirst()
        .orElseThrow().occurredAt();
    double wall = wallSeconds(log);
    GaleraPodRuntime runtime = (GaleraPodRuntime) world.podRuntime();
    Map<String, Double> restarts = new LinkedHashMap<>();
    double sum = 0;
    for (int i = 2; i >= 0; i--) {
      String pod = database + "-" + i;
      GaleraNode node = runtime.node("overhead", pod).orElseThrow();
      Instant stop = node.stopRequests().stream().filter(t -> t.isAfter(submitted)).findFirst().orElseThrow();
      StartRecord start = node.starts().stream().filter(s -> s.requestedAt().isAfter(stop)).findFirst()
          .orElseThrow();
      double seconds = Duration.between(stop, start.syncedAt()).toMillis() / 1000.0;
      restarts.put(pod, seconds);
      sum += seconds;
    }
    Map<String, Double> steps = secondsPerStepKind(log);
    Map<String, Object> breakdown = breakdown(log, started, succeeded, runtime);
    m.put("wallSeconds", wall);
    m.put("nodeRestartSeconds", restarts);
    m.put("nodeRestartSumSeconds", Math.round(sum * 100) / 100.0);
    m.put("ratio", StepLatencyBenchmark.ratio(wall, sum));
    m.put("secondsPerStepKind", steps);
    m.put("whereTheSecondsGo", breakdown);
    m.put("settings", env);
    m.put("fromTo", List.of(world.olderVersion(), world.newerVersion()));
    out.printf("  wall %.2f s; node restarts %s (sum %.2f s); ratio %.2f; per step kind %s%n", wall, restarts, sum,
        wall / sum, steps);
    out.printf("  where the seconds go (s): %s%n", breakdown);
    return m;
  }

  /** Submits an update of {@code database} to the newer version over HTTP; its lifecycle log once Successful. */
  private static List<Envelope> update(LocalWorld world, LocalPipeline pipeline, String name, String database)
      throws Exception {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        pipeline.ingestUrl() + "/api/v1/namespaces/overhead/updaterequests")).header("Content-Type",
        "application/json").header("Authorization", "Bearer " + world.adminToken()).POST(HttpRequest.BodyPublishers
        .ofString("{\"name\":\"" + name + "\",\"database\":\"" + database + "\",\"targetVersion\":\""
            + world.newerVersion() + "\",\"timeout\":\"5m\"}")).build(), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 202) {
      throw new IllegalStateException("submit refused: " + answer.body());
    }
    await().atMost(Duration.ofMinutes(5)).until(() -> {
      PerconaXtraDBOpsRequest o = world.client().resources(PerconaXtraDBOpsRequest.class).inNamespace("overhead")
          .withName(name).get();
      String phase = o == null || o.getStatus() == null ? null : o.getStatus().getPhase();
      if ("Failed".equals(phase)) {
        throw new IllegalStateException("the update " + name + " failed: " + o.getStatus().getConditions());
      }
      return "Successful".equals(phase);
    });
    return LifecycleLogReader.read(world.kafka().bootstrapServers(), "overhead/" + name);
  }

  /** RequestStarted to RequestSucceeded, in seconds. */
  private static double wallSeconds(List<Envelope> log) {
    Instant started = log.stream().filter(e -> e.payload() instanceof RequestStarted).findFirst().orElseThrow()
        .occurredAt();
    Instant succeeded = log.stream().filter(e -> e.payload() instanceof RequestSucceeded).findFirst()
        .orElseThrow().occurredAt();
    return Duration.between(started, succeeded).toMillis() / 1000.0;
  }

  /** Each kind of step's total time, command to its answer (progress reports aside). */
  private static Map<String, Double> secondsPerStepKind(List<Envelope> log) {
    Map<String, Double> steps = new LinkedHashMap<>();
    for (Envelope e : log) {
      if (e.payload() instanceof Command c) {
        log.stream().filter(x -> e.eventId().equals(x.causationId()) && !"StepProgressed".equals(x.type()))
            .findFirst().ifPresent(x -> steps.merge(c.step().conditionPrefix(),
                Duration.between(e.occurredAt(), x.occurredAt()).toMillis() / 1000.0, Double::sum));
      }
    }
    return steps;
  }

  /** Each pod's VerifyPod (command to verdict), in update order, from a run's breakdown. */
  static List<Double> verifyPodSeconds(Map<String, Object> run) {
    List<Double> each = new java.util.ArrayList<>();
    ((Map<?, ?>) run.get("whereTheSecondsGo")).values().forEach(v -> {
      if (v instanceof Map<?, ?> pod && pod.get("verifyPod") instanceof Double d) {
        each.add(d);
      }
    });
    return each;
  }

}
