package io.pxops.benchmarks;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.pxops.events.ClusterVerified;
import io.pxops.events.Envelope;
import io.pxops.events.NodeObservation;
import io.pxops.events.VerifyCluster;
import io.pxops.events.VerifyPod;
import io.pxops.pipeline.steps.Attempt;
import io.pxops.pipeline.steps.FatalStepException;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.verifier.BoundedDataCheck;
import io.pxops.verifier.GaleraVerifier;
import io.pxops.verifier.NodeProbe;
import io.pxops.verifier.NodeProbe.SampledTable;
import io.pxops.verifier.VerifierConfig;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The verifier's cost against the size of the data, on a real 3-node Galera cluster: one table of N rows (~120 bytes
 * each), grown size after size. At each size: the whole-table data check the verifier ran before (a count and a
 * CRC32 sum of every row, on every node, three looks), the bounded data check with the verifier's defaults (three
 * looks), one whole verdict ({@code VerifyCluster}: status and data check, three looks back to back), a
 * {@code VerifyPod} as an update runs it (looks 0.2 s apart; the median of five), and a row
 * changed on one node only (with {@code wsrep_on=OFF}) in the table's newest rows, which a verdict must fail on,
 * naming the table, key range and nodes. The rows are written on each node with {@code wsrep_on=OFF} by the same
 * statements, so that seeding costs no replication; the data is then equal on every node, as a replicated write
 * would leave it.
 */
final class VerifierCostBenchmark {

  private static final String NS = "vcost";
  private static final String DB = "vcost-px";
  static final String TABLE = "bench.rows";
  private static final int BATCH = 1_000_000;

  private VerifierCostBenchmark() {
  }

  static Map<String, Object> run(List<Long> sizes, PrintStream out) throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    List<Map<String, Object>> rows = new ArrayList<>();
    r.put("table", TABLE + " (id BIGINT PRIMARY KEY, a INT, payload VARCHAR(120)): ~120 bytes a row");
    VerifierConfig config = VerifierConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "unused:9092"));
    r.put("settings", Map.of("chunkRows", config.chunkRows(), "rowsPerVerdict", config.rowsPerVerdict(),
        "timePerVerdict", config.timePerVerdict().toString(), "chunkPause", config.chunkPause().toString(),
        "holdPolls", config.holdPolls()));
    try (LocalWorld world = LocalWorld.builder().namespace(NS).kafka(false).start()) {
      world.createDatabase(DB, 3, world.olderVersion());
      await().atMost(Duration.ofMinutes(3)).until(world.allPodsReady(DB, 3)::getAsBoolean);
      List<Pod> pods = world.podsOf(DB);
      String password = world.rootPassword(DB);
      try (Connection c = connect(pods.get(0), password); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE IF NOT EXISTS bench");
        s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT PRIMARY KEY, a INT, payload VARCHAR(120))");
      }
      long have = 0;
      for (long size : sizes) {
        long seedStart = System.nanoTime();
        seed(pods, password, have, size);
        have = Math.max(have, size);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("rows", size);
        row.put("seedSeconds", seconds(System.nanoTime() - seedStart));
        measure(world, pods, password, config, row);
        rows.add(row);
        out.printf("  %,d rows: %s%n", size, row);
      }
    }
    r.put("sizes", rows);
    return r;
  }

  private static void measure(LocalWorld world, List<Pod> pods, String password, VerifierConfig config,
      Map<String, Object> row) throws Exception {
    Map<String, Connection> nodes = new LinkedHashMap<>();
    NodeProbe probe = new NodeProbe(3306, "root", password, 2000, 600_000);
    try {
      List<NodeObservation> statuses = new ArrayList<>();
      for (Pod p : pods) {
        Connection c = probe.connect(p.getStatus().getPodIP());
        nodes.put(p.getMetadata().getName(), c);
        statuses.add(NodeProbe.status(p.getMetadata().getName(), c));
      }
      // the check before: the table list, then every row of the table, on every node, on each of the verdict's looks
      long t0 = System.nanoTime();
      for (int look = 0; look < config.holdPolls(); look++) {
        SampledTable table = NodeProbe.tables(nodes.values().iterator().next(), config.maxTables()).stream()
            .filter(t -> t.name().equals(TABLE)).findFirst().orElseThrow();
        Long bound = null;
        for (Connection c : nodes.values()) {
          Long max = NodeProbe.maxKey(c, table);
          if (max != null && (bound == null || max < bound)) {
            bound = max;
          }
        }
        for (Connection c : nodes.values()) {
          NodeProbe.sample(c, table, bound);
        }
      }
      row.put("wholeTableCheckSeconds", seconds(System.nanoTime() - t0));
      // the bounded check with the verifier's defaults, its own rotation, the verdict's looks back to back
      BoundedDataCheck bounded = BoundedDataCheck.of(config);
      long rowsCompared = 0;
      t0 = System.nanoTime();
      for (int look = 0; look < config.holdPolls(); look++) {
        rowsCompared += bounded.check(NS + "/" + DB, nodes, statuses).rowsPerNode();
      }
      row.put("boundedCheckSeconds", seconds(System.nanoTime() - t0));
      row.put("boundedRowsPerNode", rowsCompared);
    } finally {
      for (Connection c : nodes.values()) {
        c.close();
      }
    }
    // one whole verdict through the verifier, looks back to back: status and data check on every node
    GaleraVerifier verifier = new GaleraVerifier(world.client(), Clock.systemUTC(), config);
    Envelope command = command(new VerifyCluster(3, Duration.ofMinutes(5)));
    long t0 = System.nanoTime();
    Attempt a;
    int looks = 0;
    do {
      a = verifier.attempt(command);
      looks++;
    } while (a instanceof Attempt.NotYet && looks < 100);
    row.put("verdictSeconds", seconds(System.nanoTime() - t0));
    row.put("verdictLooks", looks);
    row.put("verdict", a instanceof Attempt.Done d && d.result() instanceof ClusterVerified ? "ClusterVerified"
        : String.valueOf(a));
    // a VerifyPod as the update runs it: looks 0.2 s apart (PXOPS_RECHECK_INTERVAL of the overhead benchmark), by the
    // same verifier, whose rotation goes on to chunks not read yet (a fresh one would re-read the same, cached, rows)
    // (five of them, the median reported: a loaded machine makes any one of them noisy)
    GaleraVerifier podVerifier = verifier;
    List<Double> verifyPods = new ArrayList<>();
    for (int run = 0; run < 5; run++) {
      Envelope verifyPod = command(new VerifyPod(pods.get(2).getMetadata().getName(), 3, Duration.ofMinutes(5)));
      t0 = System.nanoTime();
      looks = 0;
      while (!(podVerifier.attempt(verifyPod) instanceof Attempt.Done) && ++looks < 100) {
        Thread.sleep(200); // the pause between two looks of the running service, not a wait for a condition
      }
      verifyPods.add(seconds(System.nanoTime() - t0));
    }
    row.put("verifyPodSecondsEach", List.copyOf(verifyPods));
    verifyPods.sort(null);
    row.put("verifyPodSeconds", verifyPods.get(verifyPods.size() / 2));
    // a divergence in the newest rows, on one node only: the verdict must fail, naming table, range and nodes
    long size = ((Number) row.get("rows")).longValue();
    long id = Math.max(1, size - 5);
    try (Connection c = connect(pods.get(1), password); Statement s = c.createStatement()) {
      s.execute("SET SESSION wsrep_on=OFF");
      String undo;
      if (size == 0) {
        s.execute("INSERT INTO " + TABLE + " VALUES (1, 0, 'diverged')");
        undo = "DELETE FROM " + TABLE + " WHERE id = 1";
      } else {
        s.execute("UPDATE " + TABLE + " SET payload = 'diverged' WHERE id = " + id);
        undo = "UPDATE " + TABLE + " SET payload = " + payload(id) + " WHERE id = " + id;
      }
      try {
        GaleraVerifier fresh = new GaleraVerifier(world.client(), Clock.systemUTC(), config);
        Envelope check = command(new VerifyCluster(3, Duration.ofSeconds(3)));
        long d0 = System.nanoTime();
        String found = null;
        for (int i = 0; i < 1000 && found == null; i++) {
          try {
            Attempt x = fresh.attempt(check);
            if (x instanceof Attempt.Done) {
              found = "NOT FOUND: the verdict passed";
            }
            await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> true);
          } catch (FatalStepException e) {
            found = e.reason() + ": " + e.getMessage();
          }
        }
        row.put("divergenceFoundSeconds", seconds(System.nanoTime() - d0));
        row.put("divergence", found);
      } finally {
        s.execute(undo);
      }
    }
  }

  /**
   * A divergence planted on one node only ({@code wsrep_on=OFF}) after a table of {@code rows} rows was updated, twice:
   * in the newest rows, which the first verdict of a fresh verifier must fail on; and in the middle of the table,
   * which verdicts after verdicts (each a new VerifyCluster, as consecutive updates or steps would send) must fail on
   * once the rotation reaches its chunk. Each answer is the failure's reason and message (naming table, key range and
   * nodes), the verdicts it took and the seconds.
   */
  static Map<String, Object> divergences(LocalWorld world, String ns, String db, String password, String table,
      long rows)
      throws Exception {
    VerifierConfig config = VerifierConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "unused:9092"));
    Map<String, Object> found = new LinkedHashMap<>();
    // a whole rotation at one chunk a verdict (the least a verdict compares past the newest rows), and some
    long passes = rows / config.chunkRows() + 3;
    List<Pod> pods = world.podsOf(db);
    for (long id : List.of(Math.max(1, rows - 5), Math.max(1, rows / 2))) {
      try (Connection c = connect(pods.get(1), password); Statement s = c.createStatement()) {
        s.execute("SET SESSION wsrep_on=OFF");
        s.execute("UPDATE " + table + " SET payload = 'diverged' WHERE id = " + id);
        try {
          GaleraVerifier fresh = new GaleraVerifier(world.client(), Clock.systemUTC(), config);
          long d0 = System.nanoTime();
          String answer = "NOT FOUND in " + passes + " verdicts";
          int verdicts = 0;
          for (; verdicts < passes; verdicts++) {
            Optional<String> failed = failedVerdict(fresh, ns, db, pods.size());
            if (failed.isPresent()) {
              answer = failed.get();
              verdicts++;
              break;
            }
          }
          found.put("row " + id, Map.of("found", answer, "verdicts", verdicts,
              "seconds", seconds(System.nanoTime() - d0)));
        } finally {
          s.execute("UPDATE " + table + " SET payload = " + payload(id) + " WHERE id = " + id);
        }
      }
    }
    return found;
  }

  /** One VerifyCluster to its end: empty when it passed, else the failure's reason and message. */
  private static Optional<String> failedVerdict(GaleraVerifier verifier, String ns, String db, int replicas)
      throws Exception {
    Envelope check = Envelope.of(UUID.randomUUID().toString(), ns + "/bench", ns + "/" + db, Instant.now(), null,
        new VerifyCluster(replicas, Duration.ofSeconds(3)));
    for (int attempt = 0; attempt < 1000; attempt++) {
      try {
        if (verifier.attempt(check) instanceof Attempt.Done) {
          return Optional.empty();
        }
        await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> true);
      } catch (FatalStepException e) {
        return Optional.of(e.reason() + ": " + e.getMessage());
      }
    }
    return Optional.of("no verdict after 1000 attempts");
  }

  /** Grows the table from {@code from} to {@code to} rows on every node at once, each node on its own. */
  static void seed(List<Pod> pods, String password, long from, long to) throws Exception {
    if (to <= from) {
      return;
    }
    try (Connection c = connect(pods.get(0), password); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS bench");
      s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT PRIMARY KEY, a INT, payload VARCHAR(120))");
    }
    ExecutorService pool = Executors.newFixedThreadPool(pods.size());
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Pod p : pods) {
        done.add(pool.submit(() -> {
          try (Connection c = connect(p, password); Statement s = c.createStatement()) {
            s.execute("SET SESSION wsrep_on=OFF");
            for (long base = from; base < to; base += BATCH) {
              long n = Math.min(BATCH, to - base);
              s.execute("INSERT INTO " + TABLE + " WITH d AS (SELECT 0 i UNION ALL SELECT 1 UNION ALL SELECT 2"
                  + " UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7"
                  + " UNION ALL SELECT 8 UNION ALL SELECT 9), n AS (SELECT a.i + 10 * b.i + 100 * c.i + 1000 * e.i"
                  + " + 10000 * f.i + 100000 * g.i + 1 AS i FROM d a, d b, d c, d e, d f, d g)"
                  + " SELECT " + base + " + i, (" + base + " + i) % 1000, " + payload("(" + base + " + i)")
                  + " FROM n WHERE i <= " + n);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String payload(Object id) {
    return "CONCAT('row-', " + id + ", '-', REPEAT('x', 96))";
  }

  private static Connection connect(Pod pod, String password) throws SQLException {
    return DriverManager.getConnection(LocalWorld.jdbcUrl(pod).replace("socketTimeout=10000", "socketTimeout=0"),
        "root", password);
  }

  private static Envelope command(io.pxops.events.Command c) {
    return Envelope.of(UUID.randomUUID().toString(), NS + "/bench", NS + "/" + DB, Instant.now(), null, c);
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 1e7) / 100.0;
  }
}
