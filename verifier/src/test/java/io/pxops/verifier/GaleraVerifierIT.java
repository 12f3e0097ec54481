package io.pxops.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.pxops.events.ClusterVerified;
import io.pxops.events.Command;
import io.pxops.events.Envelope;
import io.pxops.events.NodeObservation;
import io.pxops.events.PodVerified;
import io.pxops.events.VerifyCluster;
import io.pxops.events.VerifyPod;
import io.pxops.pipeline.steps.Attempt;
import io.pxops.pipeline.steps.FatalStepException;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.sandbox.world.LocalWorldExtension;
import io.pxops.sandbox.world.RowWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The verifier against a real three-node Galera cluster behind the local world's pods, with a writer running. */
class GaleraVerifierIT {

  private static final String NS = "verifier-it";
  private static final String DB = "orders";

  @RegisterExtension
  static final LocalWorldExtension WORLD = new LocalWorldExtension(LocalWorld.builder().namespace(NS).kafka(false));

  private static GaleraVerifier verifier;

  @BeforeAll
  static void cluster() throws Exception {
    LocalWorld world = WORLD.world();
    world.createDatabase(DB, 3, world.olderVersion());
    await().atMost(Duration.ofSeconds(120)).until(world.allPodsReady(DB, 3)::getAsBoolean);
    // chunks of 100 rows, 900 rows a verdict: 3 chunks a look, so app.big (2,000 rows) is larger than a verdict; time
    // enough that the rows, not a loaded machine, decide what a look compares (the time cap: ChunkPlannerTest)
    verifier = new GaleraVerifier(world.client(), Clock.systemUTC(), VerifierConfig.fromEnv(java.util.Map.of(
        "PXOPS_VERIFY_HOLD_POLLS", "3", "PXOPS_VERIFY_CHUNK_ROWS", "100", "PXOPS_VERIFY_ROWS_PER_VERDICT", "900",
        "PXOPS_VERIFY_TIME_PER_VERDICT", "PT30S")));
    try (Connection c = connect(world, 0); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS app");
      s.execute("CREATE TABLE IF NOT EXISTS app.items (sku VARCHAR(32) PRIMARY KEY, price INT)");
      s.execute("INSERT INTO app.items VALUES ('a', 1), ('b', 2) ON DUPLICATE KEY UPDATE price = VALUES(price)");
      s.execute("CREATE TABLE IF NOT EXISTS app.big (id INT PRIMARY KEY, v VARCHAR(20))");
      // ten digits cross-joined (a recursive CTE stops at max_recursive_iterations, 1,000 by default)
      s.execute("INSERT IGNORE INTO app.big WITH d AS (SELECT 0 i UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL"
          + " SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8"
          + " UNION ALL SELECT 9), n AS (SELECT a.i + 10 * b.i + 100 * c.i + 1000 * e.i + 1 AS i FROM d a, d b, d c, d e)"
          + " SELECT i, CONCAT('v', i) FROM n WHERE i <= " + BIG_ROWS);
    }
  }

  private static final int BIG_ROWS = 2000;

  @Test
  void aHealthyClusterUnderAWriterIsVerifiedInOneStableViewWithEqualDataOnEveryNode(LocalWorld world)
      throws Exception {
    try (RowWriter writer = RowWriter.start(hosts(world), "root", world.rootPassword(DB), Duration.ofMillis(5))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> writer.acknowledgedRows() > 50);
      Envelope command = command(new VerifyCluster(3, Duration.ofMinutes(1)));
      List<Attempt> looks = new ArrayList<>();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
        looks.add(verifier.attempt(command));
        return looks.get(looks.size() - 1) instanceof Attempt.Done;
      });
      // the three looks of the hold are taken back to back inside an attempt, over connections kept between looks
      assertThat(looks.get(looks.size() - 1)).isInstanceOf(Attempt.Done.class);
      ClusterVerified verified = (ClusterVerified) ((Attempt.Done) looks.get(looks.size() - 1)).result();
      assertThat(verified.nodes()).extracting(NodeObservation::pod).containsExactly("orders-0", "orders-1",
          "orders-2");
      assertThat(verified.nodes()).allSatisfy(n -> {
        assertThat(n.localStateComment()).isEqualTo("Synced");
        assertThat(n.clusterStatus()).isEqualTo("Primary");
        assertThat(n.ready()).isEqualTo("ON");
        assertThat(n.connected()).isEqualTo("ON");
        assertThat(n.clusterSize()).isEqualTo(3);
        assertThat(n.serverVersion()).startsWith(world.olderVersion());
        assertThat(n.rowCounts()).containsKey("app.items");
        // within the verdict's budget (checked once, at the look that completes the hold): 9 chunks of at most 100
        // rows, though app.big holds 2,000
        assertThat(n.rowCounts()).hasSizeLessThanOrEqualTo(9);
        assertThat(n.rowCounts().values()).allSatisfy(rows -> assertThat(rows).isBetween(0L, 100L));
        assertThat(n.rowCounts().keySet()).allSatisfy(chunk -> assertThat(chunk).matches(
            "app\\.items|(app\\.big|" + RowWriter.TABLE.replace(".", "\\.") + ") id (<= \\d+|in \\(\\d+,\\d+])"));
      });
      assertThat(verified.nodes()).extracting(NodeObservation::clusterStateUuid).containsOnly(
          verified.nodes().get(0).clusterStateUuid());
      assertThat(verified.nodes()).extracting(NodeObservation::rowCounts).containsOnly(
          verified.nodes().get(0).rowCounts());
      assertThat(verified.nodes()).extracting(NodeObservation::tableChecksums).containsOnly(
          verified.nodes().get(0).tableChecksums());
    }
  }

  @Test
  void aRowChangedOnOneNodeOnlyFailsTheCheckNamingTheTableAndEachNodesValues(LocalWorld world) throws Exception {
    try (Connection c = connect(world, 1); Statement s = c.createStatement()) {
      // wsrep_on=OFF: the change stays on this node, the divergence a broken replication would leave
      s.execute("SET SESSION wsrep_on=OFF");
      s.execute("UPDATE app.items SET price = 99 WHERE sku = 'a'");
      try {
        Envelope command = command(new VerifyCluster(3, Duration.ofSeconds(3)));
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
          try {
            Attempt a = verifier.attempt(command);
            assertThat(a).isInstanceOf(Attempt.NotYet.class);
            assertThat(((Attempt.NotYet) a).progress()).isFalse();
            return false;
          } catch (FatalStepException e) {
            failure.set(e);
            return true;
          }
        });
        assertThat(failure.get()).isInstanceOfSatisfying(FatalStepException.class, e -> {
          assertThat(e.reason()).isEqualTo("DataMismatch");
          assertThat(e.getMessage()).contains("table app.items differs", "orders-0=2 rows", "orders-1=2 rows");
        });
      } finally {
        s.execute("UPDATE app.items SET price = 1 WHERE sku = 'a'");
      }
    }
  }

  @Test
  void aRowChangedOnOneNodeInAnOldChunkOfATableLargerThanAVerdictIsFoundAndNamedByItsKeyRange(LocalWorld world)
      throws Exception {
    // a verifier of its own, so that its rotation starts at the first key: chunks (0,100], (100,200], ...
    GaleraVerifier fresh = new GaleraVerifier(world.client(), Clock.systemUTC(), VerifierConfig.fromEnv(
        java.util.Map.of("PXOPS_VERIFY_HOLD_POLLS", "3", "PXOPS_VERIFY_CHUNK_ROWS", "100",
            "PXOPS_VERIFY_ROWS_PER_VERDICT", "6000", "PXOPS_VERIFY_TIME_PER_VERDICT", "PT30S")));
    try (Connection c = connect(world, 2); Statement s = c.createStatement()) {
      s.execute("SET SESSION wsrep_on=OFF");
      s.execute("UPDATE app.big SET v = 'diverged' WHERE id = 1234");
      try {
        Envelope command = command(new VerifyCluster(3, Duration.ofSeconds(3)));
        AtomicReference<FatalStepException> failure = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
          try {
            assertThat(fresh.attempt(command)).isInstanceOf(Attempt.NotYet.class);
            return false;
          } catch (FatalStepException e) {
            failure.set(e);
            return true;
          }
        });
        assertThat(failure.get().reason()).isEqualTo("DataMismatch");
        assertThat(failure.get().getMessage()).contains("table app.big id in (1200,1300] differs",
            "orders-0=100 rows", "orders-2=100 rows");
      } finally {
        s.execute("UPDATE app.big SET v = 'v1234' WHERE id = 1234");
      }
    }
  }

  @Test
  void theVerifierNeedsNoMoreThanSelectToReadStatusAndCompareData(LocalWorld world) throws Exception {
    try (Connection c = connect(world, 0); Statement s = c.createStatement()) {
      s.execute("CREATE USER IF NOT EXISTS 'pxops_verifier'@'%' IDENTIFIED BY 'least-privilege'");
      s.execute("GRANT SELECT ON *.* TO 'pxops_verifier'@'%'");
    }
    NodeProbe probe = new NodeProbe(3306, "pxops_verifier", "least-privilege", 2000, 30000);
    java.util.Map<String, Connection> nodes = new java.util.LinkedHashMap<>();
    List<NodeObservation> statuses = new ArrayList<>();
    try {
      for (Pod p : world.podsOf(DB)) {
        Connection c = probe.connect(p.getStatus().getPodIP());
        nodes.put(p.getMetadata().getName(), c);
        // Galera applies the GRANT on the other nodes after it commits on node 0: wait until this one has it
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
          try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1 FROM app.big LIMIT 1").close();
            return true;
          }
        });
        statuses.add(NodeProbe.status(p.getMetadata().getName(), c));
      }
      assertThat(statuses).allSatisfy(n -> {
        assertThat(n.localStateComment()).isEqualTo("Synced");
        assertThat(n.clusterSize()).isEqualTo(3);
      });
      BoundedDataCheck.Result result = new BoundedDataCheck(16, 100, 20, Duration.ofSeconds(10), Duration.ZERO)
          .check(NS + "/" + DB, nodes, statuses);
      assertThat(result.nodes().get(0).rowCounts()).containsKey("app.items").containsKey("app.big id in (1900,2000]");
      assertThat(ClusterCheck.compareData(result.nodes())).isEmpty();
    } finally {
      for (Connection c : nodes.values()) {
        c.close();
      }
    }
  }

  @Test
  void aRestartedPodIsProgressUntilItHasJoinedThenThePodIsVerified(LocalWorld world) {
    Pod before = world.podsOf(DB).get(2);
    world.client().pods().inNamespace(NS).withName("orders-2").delete();
    Envelope command = command(new VerifyPod("orders-2", 3, Duration.ofMinutes(1)));
    List<Attempt> looks = new ArrayList<>();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
      looks.add(verifier.attempt(command));
      return looks.get(looks.size() - 1) instanceof Attempt.Done;
    });
    assertThat(world.podsOf(DB).get(2).getMetadata().getUid()).isNotEqualTo(before.getMetadata().getUid());
    assertThat(looks).anySatisfy(a -> {
      assertThat(a).isInstanceOf(Attempt.NotYet.class);
      assertThat(((Attempt.NotYet) a).progress()).isTrue();
      assertThat(((Attempt.NotYet) a).detail()).contains("orders-2");
    });
    PodVerified verified = (PodVerified) ((Attempt.Done) looks.get(looks.size() - 1)).result();
    assertThat(verified.pod()).isEqualTo("orders-2");
    assertThat(verified.nodes()).hasSize(3).allSatisfy(n -> assertThat(n.localStateComment()).isEqualTo("Synced"));
  }

  @Test
  void givenAnUpdatesRunPreflight_thenItsNodesAreConnectedAhead_andTheVerdictUsesThoseConnections(LocalWorld world) {
    VerifierConfig config = VerifierConfig.fromEnv(java.util.Map.of("PXOPS_VERIFY_HOLD_POLLS", "3"));
    NodeConnections kept = new NodeConnections(16, Duration.ofMinutes(5), Clock.systemUTC());
    GaleraVerifier fresh = new GaleraVerifier(world.client(), Clock.systemUTC(), config,
        new JdbcNodeStatus(config, kept));
    io.pxops.events.RequestSpec spec = new io.pxops.events.RequestSpec("upd", NS, DB, world.newerVersion(),
        Duration.ofMinutes(5), io.pxops.events.ApplyPolicy.IF_READY, 1, Instant.now(), "http", null);

    fresh.foresee(command(new VerifyPod("px-0", 3, Duration.ofMinutes(1))));
    assertThat(kept.size()).as("only another service's command is a hint").isZero();
    fresh.foresee(command(new io.pxops.events.RunPreflight(spec, false, Duration.ofMinutes(1))));
    await().atMost(Duration.ofSeconds(60)).until(() -> kept.size() == 3);
    java.util.Map<String, Long> sessions = new java.util.TreeMap<>();
    for (int i = 0; i < 3; i++) {
      String key = NS + "/" + DB + "-" + i;
      sessions.put(key, kept.session(key).orElseThrow());
    }

    Envelope verify = command(new VerifyCluster(3, Duration.ofMinutes(1)));
    await().atMost(Duration.ofSeconds(60)).until(() -> fresh.attempt(verify) instanceof Attempt.Done);
    for (String key : sessions.keySet()) {
      assertThat(kept.session(key)).as("the verdict read " + key + " through the connection opened ahead")
          .contains(sessions.get(key));
    }
    kept.close();
  }

  /**
   * The looks ahead and the verdict read through the same kept connections, and a JDBC connection used by two threads
   * at once breaks inside the driver (a CI run failed VerifyCluster on the driver's NullPointerException). So a
   * verdict waits while a look ahead of the same database is reading: here the look ahead is held in its reads, and
   * the verdict opens no look of its own until it is let go; then the verdict completes.
   */
  @Test
  void givenALookAheadStillReading_thenTheVerdictWaitsForIt_andNeverReadsTheSameDatabaseAtOnce(LocalWorld world)
      throws Exception {
    VerifierConfig config = VerifierConfig.fromEnv(java.util.Map.of("PXOPS_VERIFY_HOLD_POLLS", "3"));
    NodeConnections kept = new NodeConnections(16, Duration.ofMinutes(5), Clock.systemUTC());
    NodeStatusSource real = new JdbcNodeStatus(config, kept);
    java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger lookingNow = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean overlapped = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.CountDownLatch aheadReading = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch letGo = new java.util.concurrent.CountDownLatch(1);
    NodeStatusSource watched = (client, database) -> {
      int n = opened.getAndIncrement();
      if (lookingNow.incrementAndGet() > 1) {
        overlapped.set(true);
      }
      NodeStatusSource.Look look = real.open(client, database);
      return new NodeStatusSource.Look() {
        @Override
        public io.pxops.verifier.ClusterCheck.NodeReading read(String name, io.fabric8.kubernetes.api.model.Pod pod,
            int readyPods) {
          if (n == 0) { // the look ahead: held in its reads until the test lets it go
            aheadReading.countDown();
            try {
              letGo.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return look.read(name, pod, readyPods);
        }

        @Override
        public List<io.pxops.events.NodeObservation> dataCheck(List<io.pxops.verifier.ClusterCheck.NodeReading> r)
            throws java.sql.SQLException {
          return look.dataCheck(r);
        }

        @Override
        public void close() {
          lookingNow.decrementAndGet();
          look.close();
        }
      };
    };
    GaleraVerifier fresh = new GaleraVerifier(world.client(), Clock.systemUTC(), config, watched);
    io.pxops.events.RequestSpec spec = new io.pxops.events.RequestSpec("upd", NS, DB, world.newerVersion(),
        Duration.ofMinutes(5), io.pxops.events.ApplyPolicy.IF_READY, 1, Instant.now(), "http", null);

    fresh.foresee(command(new io.pxops.events.RunPreflight(spec, false, Duration.ofMinutes(1))));
    assertThat(aheadReading.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("the look ahead reads").isTrue();
    Envelope verify = command(new VerifyCluster(3, Duration.ofMinutes(1)));
    java.util.concurrent.CompletableFuture<Attempt> first = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> fresh.attempt(verify));
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> opened.get() == 1);
    assertThat(first).as("the verdict waits for the look ahead").isNotDone();

    letGo.countDown();
    first.get(60, java.util.concurrent.TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(60)).until(() -> fresh.attempt(verify) instanceof Attempt.Done);
    assertThat(opened.get()).as("the look ahead, then the verdict's").isGreaterThanOrEqualTo(2);
    assertThat(overlapped).as("two looks of the database at once").isFalse();
    kept.close();
  }

  @Test
  void aMissingDatabaseIsFatal() {
    Envelope command = Envelope.of(UUID.randomUUID().toString(), NS + "/upd", NS + "/nosuch", Instant.now(), null,
        new VerifyCluster(3, Duration.ofMinutes(1)));
    assertThatThrownBy(() -> verifier.attempt(command)).isInstanceOfSatisfying(FatalStepException.class,
        e -> assertThat(e.reason()).isEqualTo("DatabaseNotFound"));
  }

  private static Envelope command(Command c) {
    return Envelope.of(UUID.randomUUID().toString(), NS + "/upd", NS + "/" + DB, Instant.now(), null, c);
  }

  private static List<String> hosts(LocalWorld world) {
    return world.podsOf(DB).stream().map(p -> p.getStatus().getPodIP()).toList();
  }

  private static Connection connect(LocalWorld world, int ordinal) throws Exception {
    return DriverManager.getConnection(LocalWorld.jdbcUrl(world.podsOf(DB).get(ordinal)), "root",
        world.rootPassword(DB));
  }
}
