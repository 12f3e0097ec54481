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
    verifier = new GaleraVerifier(world.client(), Clock.systemUTC(), VerifierConfig.fromEnv(java.util.Map.of(
        "PXOPS_VERIFY_HOLD_POLLS", "3")));
    try (Connection c = connect(world, 0); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS app");
      s.execute("CREATE TABLE IF NOT EXISTS app.items (sku VARCHAR(32) PRIMARY KEY, price INT)");
      s.execute("INSERT INTO app.items VALUES ('a', 1), ('b', 2) ON DUPLICATE KEY UPDATE price = VALUES(price)");
    }
  }

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
        assertThat(n.rowCounts()).containsKeys("app.items", RowWriter.TABLE);
        assertThat(n.rowCounts().get(RowWriter.TABLE)).isPositive();
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
