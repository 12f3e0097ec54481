package io.pxops.sandbox.galera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pxops.sandbox.galera.StartRecord.Transfer;
import io.pxops.sandbox.runtime.PodProcessState.Phase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real 3-node cluster on the older build: a node killed with SIGKILL rejoins by IST once the survivors evicted it,
 * a node restarted gracefully on the newer build rejoins by IST and reports the newer version, and every row written
 * before and while a node was down is on every node.
 */
class GaleraClusterIT {

  @RegisterExtension
  static final GaleraClusterExtension GALERA = new GaleraClusterExtension().nodes(3).onOlderBuild();

  private static final int SEED_ROWS = 1000;

  @Test
  void nodesRejoinByIstAfterSigkillAndAfterAGracefulRestartOnTheNewerBuildAndNoRowIsLost(GaleraCluster cluster)
      throws Exception {
    MariaDbBuilds builds = cluster.builds();
    String older = builds.older();
    String newer = builds.newer();
    List<String> figures = new ArrayList<>();
    figures.add("builds: older " + older + ", newer " + newer
        + (builds.singleBuild() ? " (only one build installed: the update is an image refresh on the same build)"
        : ""));
    figures.add("cluster start (3 nodes from nothing to Synced): " + cluster.startDuration().toMillis() + " ms");
    for (int i = 0; i < cluster.size(); i++) {
      StartRecord r = cluster.node(i).lastStart().orElseThrow();
      figures.add("  node " + i + " first start: " + r);
      assertThat(r.transfer()).isEqualTo(i == 0 ? Transfer.NONE : Transfer.SST);
      assertThat(version(cluster, i)).startsWith(older + "-");
    }

    try (Connection c = cluster.connect(0); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE it");
      s.execute("CREATE TABLE it.t (id BIGINT PRIMARY KEY, via_node INT NOT NULL, payload VARCHAR(64) NOT NULL)");
      s.execute("INSERT INTO it.t SELECT seq, 0, MD5(seq) FROM it.seq_1_to_" + SEED_ROWS);
    }
    int expected = SEED_ROWS;

    // SIGKILL node 2 and ask for it again at once: the runtime holds the start until the survivors evicted it
    cluster.kill(2);
    cluster.runtime().ensureRunning(cluster.pod(2), builds.imageFor(older));
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
        .until(() -> "WaitingForEviction".equals(cluster.state(2).reason()));
    // written while node 2 is down: commits stall until the survivors evicted it
    expected += insert(cluster, 0, 1001, 100);
    cluster.awaitReady(2, Duration.ofMinutes(2));
    StartRecord afterKill = cluster.node(2).lastStart().orElseThrow();
    assertThat(afterKill.startPosition()).as("position recovered with --wsrep-recover").isNotNull();
    assertThat(afterKill.transfer()).isEqualTo(Transfer.IST);
    assertThat(afterKill.bootstrap()).isFalse();
    figures.add("node 2 after SIGKILL: " + afterKill + "; waited for eviction "
        + Duration.between(afterKill.requestedAt(), afterKill.launchedAt()).toMillis() + " ms");

    // graceful restart of node 1 on the newer build, with writes while it is down
    long t0 = System.nanoTime();
    cluster.stop(1);
    long stopMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(cluster.state(1).phase()).isEqualTo(Phase.STOPPED);
    expected += insert(cluster, 0, 2001, 100);
    StartRecord upgraded = cluster.startNode(1, newer);
    long restartMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(upgraded.transfer()).isEqualTo(Transfer.IST);
    assertThat(upgraded.build()).isEqualTo(newer);
    assertThat(version(cluster, 1)).startsWith(newer + "-");
    assertThat(cluster.state(1).serverVersion()).startsWith(newer + "-");
    figures.add("node 1 graceful restart on " + newer + ": " + upgraded + "; stop " + stopMs
        + " ms, stop+start+Synced " + restartMs + " ms");
    expected += insert(cluster, 1, 3001, 50); // written through the node on the newer build

    // every row on every node: equal counts and checksums, read after the node applied everything it received
    List<String> checksums = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      assertThat(cluster.state(i).ready()).as("node %d ready", i).isTrue();
      try (Connection c = cluster.connect(i); Statement s = c.createStatement()) {
        s.execute("SET SESSION wsrep_sync_wait = 1");
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(id) FROM it.t")) {
          rs.next();
          assertThat(rs.getInt(1)).as("rows on node %d", i).isEqualTo(expected);
        }
        try (ResultSet rs = s.executeQuery("CHECKSUM TABLE it.t")) {
          rs.next();
          checksums.add(rs.getString(2));
        }
        NodeStatus st = cluster.node(i).status();
        assertThat(st.synced()).isTrue();
        assertThat(st.clusterSize()).isEqualTo(3);
        assertThat(st.primary()).isTrue();
      }
    }
    assertThat(checksums).hasSize(3).containsOnly(checksums.get(0));
    figures.add("rows on every node: " + expected + ", CHECKSUM TABLE " + checksums.get(0));

    StringBuilder rss = new StringBuilder("RSS:");
    long total = 0;
    for (int i = 0; i < cluster.size(); i++) {
      long kib = cluster.node(i).rssKiB().orElseThrow();
      total += kib;
      rss.append(" node ").append(i).append('=').append(kib / 1024).append(" MiB");
    }
    figures.add(rss.append(", total ").append(total / 1024).append(" MiB").toString());
    figures.forEach(f -> System.out.println("[galera figures] " + f));
  }

  private static String version(GaleraCluster cluster, int node) throws SQLException {
    try (Connection c = cluster.connect(node); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT VERSION()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static int insert(GaleraCluster cluster, int node, int firstId, int rows) throws SQLException {
    try (Connection c = cluster.connect(node); Statement s = c.createStatement()) {
      return s.executeUpdate("INSERT INTO it.t SELECT seq, " + node + ", MD5(seq) FROM it.seq_" + firstId + "_to_"
          + (firstId + rows - 1));
    }
  }
}
