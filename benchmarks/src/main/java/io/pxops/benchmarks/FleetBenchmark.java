package io.pxops.benchmarks;

import static org.awaitility.Awaitility.await;

import io.pxops.events.JsonCodec;
import io.pxops.events.OpsPhase;
import io.pxops.events.Topics;
import io.pxops.events.status.RequestStatus;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.sandbox.world.LocalPipeline;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.sandbox.world.ServiceProcess;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Targets 3 and 4. N databases of 3 pods, all updated at once, with the five services as separate processes. The
 * pods and their nodes' status are SIMULATED by the local world (no database processes: a pod becomes Ready after a
 * short delay, and the verifier runs from {@link SimulatedNodesVerifierMain}); everything else is real: the
 * Kafka broker, the Kubernetes API (fabric8's mock server), the controllers, the services. Requests go in through
 * the Kafka door; progress is read from {@code pxops.status}, whose records are written from the same store the HTTP
 * API reads. Cost: each service's start time (spawn to its ready line) and resident memory, idle and at the peak of
 * the fleet runs.
 */
final class FleetBenchmark {

  private static final String NS = "fleet";

  /** What each service prints once it is ready to work. */
  private static final Map<String, String> READY_LINE = Map.of(
      "coordinator", "State transition from REBALANCING to RUNNING",
      "projector", "State transition from REBALANCING to RUNNING",
      "ingest", "ingest API listening",
      "runners", "Adding newly assigned partitions",
      "verifier", "Adding newly assigned partitions");

  private FleetBenchmark() {
  }

  static Map<String, Object> run(Path dir, List<Integer> sizes, Duration timeout, Duration idle,
      List<String> costServices, PrintStream out) throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    // the services' own defaults (PXOPS_RECHECK_INTERVAL PT1S, PXOPS_TICK_INTERVAL PT1S), as a fleet would run them
    Map<String, String> env = Map.of("PXOPS_DEFAULT_TIMEOUT", "30m");
    try (LocalWorld world = LocalWorld.builder().namespace(NS).pods(LocalWorld.Pods.SIMULATED)
        .simulatedReadyDelay(Duration.ofMillis(300)).start()) {
      // each service alone first (the coordinator first: it creates the topics), so that the pipeline's own
      // instances below never share a consumer group with an instance that comes and goes
      List<Map<String, Object>> services = startTimes(world, dir, env, idle, costServices, out);
      try (LocalPipeline pipeline = LocalPipeline.start(world, dir, env, LocalPipeline.ALL,
          Map.of("verifier", SimulatedNodesVerifierMain.class.getName()))) {
        fleetRuns(world, pipeline, sizes, timeout, services, result, out);
      }
      result.put("simulated", "pods and node status are simulated by the local world: no database processes");
      result.put("settings", env);
      result.put("services", services);
    }
    return result;
  }

  private static void fleetRuns(LocalWorld world, LocalPipeline pipeline, List<Integer> sizes, Duration timeout,
      List<Map<String, Object>> services, Map<String, Object> result, PrintStream out) throws Exception {
    {
      Map<String, Long> peak = new ConcurrentHashMap<>();
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          pipeline.services().forEach((name, s) -> s.residentBytes().ifPresent(b -> peak.merge(name, b, Math::max)));
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }
      }, "rss-sampler");
      sampler.setDaemon(true);
      sampler.start();
      List<Map<String, Object>> runs = new ArrayList<>();
      for (int n : sizes) {
        Map<String, Object> run = fleet(world, n, timeout, out);
        run.put("dashboard", dashboardPages(world, pipeline, out));
        runs.add(run);
      }
      sampler.interrupt();
      for (Map<String, Object> s : services) {
        Long bytes = peak.get((String) s.get("service"));
        s.put("loadRssMiB", bytes == null ? null : bytes >> 20);
      }
      result.put("runs", runs);
    }
  }

  /**
   * What the dashboard costs with every request of the runs so far in the projector's store: one page (50 rows) of
   * the fleet view and one of the request list, each over HTTP with the local world's token, the median of 5.
   */
  private static Map<String, Object> dashboardPages(LocalWorld world, LocalPipeline pipeline, PrintStream out)
      throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    Map<String, Object> r = new LinkedHashMap<>();
    for (String view : List.of("fleet", "requests")) {
      List<Double> ms = new ArrayList<>();
      int bytes = 0;
      for (int i = 0; i < 5; i++) {
        long t0 = System.nanoTime();
        java.net.http.HttpResponse<String> page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
            pipeline.statusUrl() + "/api/v1/dashboard/" + view + "?page=0&size=50"))
            .header("Authorization", "Bearer " + world.adminToken()).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        ms.add((System.nanoTime() - t0) / 1e6);
        if (page.statusCode() != 200) {
          throw new IllegalStateException("dashboard " + view + " page: HTTP " + page.statusCode() + " " + page.body());
        }
        bytes = page.body().length();
      }
      java.util.Collections.sort(ms);
      r.put(view + "PageMedianMs", Math.round(ms.get(2) * 10) / 10.0);
      r.put(view + "PageBytes", bytes);
    }
    out.printf("  dashboard, one page of 50 with every request so far in the store: %s%n", r);
    return r;
  }

  /** Starts a second instance of each service alone and times it to its ready line; its RSS after {@code idle}. */
  private static List<Map<String, Object>> startTimes(LocalWorld world, Path dir, Map<String, String> env,
      Duration idle, List<String> which, PrintStream out) throws Exception {
    Map<String, String> known = new LinkedHashMap<>();
    known.put("ingest", LocalPipeline.INGEST);
    known.put("coordinator", LocalPipeline.COORDINATOR);
    known.put("runners", LocalPipeline.RUNNERS);
    known.put("verifier", SimulatedNodesVerifierMain.class.getName());
    known.put("projector", LocalPipeline.PROJECTOR);
    Map<String, String> mains = new LinkedHashMap<>();
    for (String name : which) {
      if (!known.containsKey(name)) {
        throw new IllegalArgumentException("--cost-services: no service " + name + " (one of " + known.keySet()
            + ")");
      }
      mains.put(name, known.get(name));
    }
    List<Map<String, Object>> list = new ArrayList<>();
    Path kubeconfig = world.kubernetes().writeKubeconfig(dir.resolve("kubeconfig-cost"), NS);
    for (Map.Entry<String, String> e : mains.entrySet()) {
      Map<String, String> all = new HashMap<>(env);
      all.put("KAFKA_BOOTSTRAP_SERVERS", world.kafka().bootstrapServers());
      all.put("KUBECONFIG", kubeconfig.toString());
      all.put("PXOPS_HTTP_PORT", "0");
      all.put("PXOPS_STATE_DIR", Files.createTempDirectory(dir, e.getKey()).toString());
      // its own Streams application: never a member the pipeline's instances would wait for
      all.put("PXOPS_APPLICATION_ID", "pxops-cost-" + e.getKey() + "-" + System.nanoTime());
      all.put("PXOPS_WRITE_BACK", "false");
      // probes on any free port, and an instance id of its own (not the host name the pipeline's might share)
      all.put("PXOPS_HEALTH_PORT", "0");
      all.put("PXOPS_INSTANCE_ID", "cost-" + e.getKey());
      long t0 = System.nanoTime();
      try (ServiceProcess p = ServiceProcess.start("cost-" + e.getKey(), e.getValue(), all, dir.resolve("logs"))) {
        String line = READY_LINE.get(e.getKey());
        while (!p.logText().contains(line)) {
          if (!p.alive() || System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(120)) {
            throw new IllegalStateException(e.getKey() + " did not become ready:\n" + p.logText());
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        double start = Math.round((System.nanoTime() - t0) / 1e7) / 100.0;
        await().pollDelay(idle).atMost(idle.plusSeconds(1)).until(() -> true);
        long rss = p.residentBytes().orElse(-1L);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service", e.getKey());
        m.put("startSeconds", start);
        m.put("idleRssMiB", rss >> 20);
        list.add(m);
        out.printf("  %-12s start %.2f s, idle RSS %d MiB%n", e.getKey(), start, rss >> 20);
      }
    }
    return list;
  }

  private static Map<String, Object> fleet(LocalWorld world, int n, Duration timeout, PrintStream out)
      throws Exception {
    String prefix = "f" + n + "-";
    long c0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      world.createDatabase(prefix + i, 3, world.olderVersion());
    }
    await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(1)).until(() -> world.client()
        .resources(PerconaXtraDB.class).inNamespace(NS).list().getItems().stream()
        .filter(d -> d.getMetadata().getName().startsWith(prefix) && d.getStatus() != null
            && "Ready".equals(d.getStatus().getPhase())).count() == n);
    double created = (System.nanoTime() - c0) / 1e9;
    out.printf("  N=%d: %d databases, %d pods Ready in %.1f s%n", n, n, 3 * n, created);

    Map<String, OpsPhase> phases = new ConcurrentHashMap<>();
    Map<String, RequestStatus> last = new ConcurrentHashMap<>();
    List<Long> lags = java.util.Collections.synchronizedList(new ArrayList<>());
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, world.kafka().bootstrapServers());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Map<String, Object> r = new LinkedHashMap<>();
    try (KafkaConsumer<String, byte[]> status = new KafkaConsumer<>(c, new StringDeserializer(),
        new ByteArrayDeserializer());
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, world.kafka().bootstrapServers(), ProducerConfig.ACKS_CONFIG,
            "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new StringSerializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : status.partitionsFor(Topics.STATUS)) {
        partitions.add(new TopicPartition(Topics.STATUS, info.partition()));
      }
      status.assign(partitions);
      status.seekToEnd(partitions);
      partitions.forEach(status::position);
      Instant submitted = Instant.now();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        String db = prefix + i;
        producer.send(new ProducerRecord<>(Topics.REQUESTS, NS + "/" + db, "{\"namespace\":\"" + NS
            + "\",\"database\":\"" + db + "\",\"name\":\"" + db + "-update\",\"targetVersion\":\""
            + world.newerVersion() + "\",\"timeout\":\"30m\"}"));
      }
      producer.flush();
      long deadline = t0 + timeout.toNanos();
      long lastDone = t0;
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> rec : status.poll(Duration.ofMillis(200))) {
          long now = System.currentTimeMillis();
          if (rec.key() == null || !rec.key().startsWith(NS + "/" + prefix)) {
            continue;
          }
          RequestStatus s = JsonCodec.shared().mapper().readValue(rec.value(), RequestStatus.class);
          if (s.updatedAt() != null && s.updatedAt().isAfter(submitted)) {
            lags.add(TimeUnit.MILLISECONDS.toNanos(now - s.updatedAt().toEpochMilli()));
          }
          OpsPhase before = phases.put(s.opsRequest(), s.phase());
          last.put(s.opsRequest(), s);
          if (s.phase().terminal() && (before == null || !before.terminal())) {
            lastDone = System.nanoTime();
          }
        }
        long terminal = phases.values().stream().filter(OpsPhase::terminal).count();
        if (terminal == n) {
          break;
        }
      }
      long successful = phases.values().stream().filter(p -> p == OpsPhase.SUCCESSFUL).count();
      long terminal = phases.values().stream().filter(OpsPhase::terminal).count();
      double seconds = (lastDone - t0) / 1e9;
      Stats lag = Stats.ofNanos(lags);
      r.put("databases", n);
      r.put("pods", 3 * n);
      r.put("setupSeconds", Math.round(created * 10) / 10.0);
      r.put("successful", successful);
      r.put("failed", terminal - successful);
      r.put("unfinished", n - terminal);
      r.put("allSuccessfulSeconds", successful == n ? Math.round(seconds * 10) / 10.0 : null);
      r.put("updatesPerMinute", Math.round(successful / Math.max(seconds, 0.001) * 60 * 10) / 10.0);
      r.put("statusLagP50Ms", lag.p50Ms());
      r.put("statusLagP99Ms", lag.p99Ms());
      r.put("statusLagMaxMs", lag.maxMs());
      if (terminal < n) {
        r.put("unfinishedAt", unfinished(n, prefix, last, out));
        r.put("note", "stopped after " + timeout + " with " + (n - terminal) + " of " + n + " unfinished");
      }
      out.printf("  N=%d: %d Successful, %d failed, %d unfinished after %.1f s; %.1f updates/min; status lag %s%n", n,
          successful, terminal - successful, n - terminal, seconds, successful / Math.max(seconds, 0.001) * 60, lag);
    }
    return r;
  }

  /**
   * Where the unfinished requests stand, by their last status record: how many per phase and step, and the first
   * few in full, so a run that leaves some behind says where they stopped.
   */
  private static Map<String, Long> unfinished(int n, String prefix, Map<String, RequestStatus> last, PrintStream out) {
    Map<String, Long> where = new TreeMap<>();
    int shown = 0;
    for (int i = 0; i < n; i++) {
      String ref = NS + "/" + prefix + i + "-update";
      RequestStatus s = last.get(ref);
      if (s != null && s.phase().terminal()) {
        continue;
      }
      String at = s == null ? "no status record" : s.phase() + " " + s.currentStep() + " " + s.currentPod();
      where.merge(at, 1L, Long::sum);
      if (shown++ < 5) {
        out.printf("  unfinished %s: %s, step deadline %s, last progress %s (%s), updated %s%n", ref, at,
            s == null ? null : s.stepDeadline(), s == null ? null : s.lastProgressAt(),
            s == null ? null : s.lastProgress(), s == null ? null : s.updatedAt());
      }
    }
    where.forEach((k, v) -> out.printf("  unfinished at %s: %d%n", k, v));
    return where;
  }
}
