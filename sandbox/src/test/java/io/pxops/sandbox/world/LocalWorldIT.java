package io.pxops.sandbox.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.pxops.kubedb.DatabasePauses;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBVersion;
import io.pxops.kubedb.PetSet;
import io.pxops.sandbox.galera.GaleraNode;
import io.pxops.sandbox.galera.GaleraPodRuntime;
import io.pxops.sandbox.galera.StartRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole local world, end to end: Kafka, the Kubernetes API, the local controllers and real Galera pods.
 * Given a 3-replica PerconaXtraDB, its pods run the catalog's server build; a deleted pod comes back from the
 * PetSet's template, Synced, and no row written before is lost on any node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalWorldIT {

  private static final String DB = "orders";
  private static final int REPLICAS = 3;
  private static final Duration CLUSTER_TIMEOUT = Duration.ofMinutes(3);

  @RegisterExtension
  static final LocalWorldExtension WORLD = new LocalWorldExtension(LocalWorld.builder().namespace("world-it"));

  @Test
  @Order(1)
  void givenA3ReplicaDatabase_thenThreeReadyPodsRunTheCatalogBuild(LocalWorld world) throws Exception {
    long t0 = System.nanoTime();
    world.createDatabase(DB, REPLICAS, world.olderVersion());

    await().atMost(CLUSTER_TIMEOUT).pollInterval(Duration.ofMillis(250))
        .until(world.allPodsReady(DB, REPLICAS)::getAsBoolean);
    System.out.printf("world start %s; 3-node cluster Ready %d ms after the PerconaXtraDB was created%n",
        world.startTimes(), Duration.ofNanos(System.nanoTime() - t0).toMillis());

    PerconaXtraDBVersion entry = world.client().resources(PerconaXtraDBVersion.class)
        .withName(world.olderVersion()).get();
    String image = entry.getSpec().getDb().getImage();
    PetSet petSet = world.client().resources(PetSet.class).inNamespace(world.namespace()).withName(DB).get();
    assertThat(petSet.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");

    List<Pod> pods = world.podsOf(DB);
    assertThat(pods).extracting(p -> p.getMetadata().getName()).containsExactly("orders-0", "orders-1", "orders-2");
    Set<String> addresses = new HashSet<>();
    for (Pod pod : pods) {
      assertThat(LocalWorld.imageOf(pod)).isEqualTo(image);
      assertThat(pod.getStatus().getContainerStatuses().get(0).getImage()).isEqualTo(image);
      addresses.add(pod.getStatus().getPodIP());
      try (Connection c = connect(world, pod)) {
        assertThat(scalar(c, "SELECT VERSION()")).startsWith(entry.getSpec().getVersion() + "-MariaDB");
        assertThat(status(c, "wsrep_local_state_comment")).isEqualTo("Synced");
        assertThat(status(c, "wsrep_cluster_size")).isEqualTo(String.valueOf(REPLICAS));
      }
    }
    assertThat(addresses).as("each pod has its own address").hasSize(REPLICAS);
    await().atMost(Duration.ofSeconds(30)).until(() -> "Ready".equals(phaseOf(world)));
  }

  @Test
  @Order(2)
  void givenRowsWritten_whenAPodIsDeleted_thenItReturnsOnTheTemplateImageSyncedWithEveryRow(LocalWorld world)
      throws Exception {
    List<Pod> pods = world.podsOf(DB);
    Pod writer = pods.get(0);
    int rows = 500;
    try (Connection c = connect(world, writer); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS shop");
      s.execute("CREATE TABLE IF NOT EXISTS shop.orders (id BIGINT PRIMARY KEY, note VARCHAR(64) NOT NULL)");
      s.execute("INSERT INTO shop.orders (id, note) SELECT seq, CONCAT('order-', seq) FROM shop.seq_1_to_" + rows);
    }

    // as an update does: pause the database (else KubeDB's operator puts the PetSet's image back), move the
    // PetSet's template on to the newer build, then delete pod 2: it must come back from the CURRENT template,
    // and the others (OnDelete) must keep their image
    DatabasePauses.pause(world.client(), world.namespace(), DB, "paused by LocalWorldIT");
    String newImage = world.client().resources(PerconaXtraDBVersion.class).withName(world.newerVersion()).get()
        .getSpec().getDb().getImage();
    String revisionBefore = world.client().resources(PetSet.class).inNamespace(world.namespace()).withName(DB).get()
        .getStatus().getUpdateRevision();
    world.client().resources(PetSet.class).inNamespace(world.namespace()).withName(DB)
        .edit(ps -> {
          ps.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(newImage);
          return ps;
        });
    // the controller works from its informer's copy: a pod deleted before it has seen the new template comes back
    // from the old one (as on a real cluster), so wait until its status names the new revision
    await().atMost(CLUSTER_TIMEOUT).until(() -> !revisionBefore.equals(world.client().resources(PetSet.class)
        .inNamespace(world.namespace()).withName(DB).get().getStatus().getUpdateRevision()));
    Pod victim = pods.get(2);
    String victimName = victim.getMetadata().getName();
    long t0 = System.nanoTime();
    world.client().pods().inNamespace(world.namespace()).withName(victimName).delete();

    await().atMost(CLUSTER_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
      Pod p = world.client().pods().inNamespace(world.namespace()).withName(victimName).get();
      return p != null && !victim.getMetadata().getUid().equals(p.getMetadata().getUid()) && LocalWorld.isReady(p);
    });
    long backMs = Duration.ofNanos(System.nanoTime() - t0).toMillis();
    GaleraNode node = ((GaleraPodRuntime) world.podRuntime()).node(world.namespace(), victimName).orElseThrow();
    StartRecord start = node.lastStart().orElseThrow();
    System.out.printf("pod %s deleted -> back Ready in %d ms; node restart-to-Synced %s ms (%s)%n", victimName,
        backMs, start.requestToSynced().map(Duration::toMillis).orElse(-1L), start.transfer());

    Pod back = world.client().pods().inNamespace(world.namespace()).withName(victimName).get();
    assertThat(LocalWorld.imageOf(back)).isEqualTo(newImage);
    assertThat(world.podsOf(DB).subList(0, 2)).allSatisfy(p -> assertThat(LocalWorld.imageOf(p))
        .isNotEqualTo(newImage));

    String newVersion = world.client().resources(PerconaXtraDBVersion.class).withName(world.newerVersion()).get()
        .getSpec().getVersion();
    List<String> checksums = new ArrayList<>();
    for (Pod pod : world.podsOf(DB)) {
      try (Connection c = connect(world, pod); Statement s = c.createStatement()) {
        assertThat(status(c, "wsrep_local_state_comment")).isEqualTo("Synced");
        assertThat(status(c, "wsrep_cluster_size")).isEqualTo(String.valueOf(REPLICAS));
        s.execute("SET SESSION wsrep_sync_wait=1");
        assertThat(scalar(c, "SELECT COUNT(*) FROM shop.orders")).isEqualTo(String.valueOf(rows));
        assertThat(scalar(c, "SELECT COUNT(*) FROM shop.orders WHERE note = CONCAT('order-', id)"))
            .isEqualTo(String.valueOf(rows));
        try (ResultSet r = s.executeQuery("CHECKSUM TABLE shop.orders")) {
          r.next();
          checksums.add(r.getString(2));
        }
        if (pod.getMetadata().getName().equals(victimName)) {
          assertThat(scalar(c, "SELECT VERSION()")).startsWith(newVersion + "-MariaDB");
        }
      }
    }
    assertThat(new HashSet<>(checksums)).as("CHECKSUM TABLE equal on every node").hasSize(1);
  }

  private static String phaseOf(LocalWorld world) {
    PerconaXtraDB db = world.client().resources(PerconaXtraDB.class).inNamespace(world.namespace()).withName(DB)
        .get();
    return db.getStatus() == null ? null : db.getStatus().getPhase();
  }

  private static Connection connect(LocalWorld world, Pod pod) throws SQLException {
    return DriverManager.getConnection(LocalWorld.jdbcUrl(pod), "root", world.rootPassword(DB));
  }

  private static String scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    }
  }

  private static String status(Connection c, String variable) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + variable + "'")) {
      return r.next() ? r.getString(2) : null;
    }
  }
}
