package io.pxops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.pxops.events.Envelope;
import io.pxops.events.PodEvicted;
import io.pxops.events.RequestFailed;
import io.pxops.kubedb.KubeDbConditions;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.pipeline.LifecycleLogReader;
import io.pxops.sandbox.runtime.ServerImages;
import io.pxops.sandbox.world.LocalPipeline;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.sandbox.world.LocalWorldExtension;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Galera node cut off from the others in the middle of an update, on a real three-node cluster with every service
 * in its own process: the next pod is never evicted, and the request fails naming the node.
 *
 * <p>How the node is cut off: Galera's own {@code gmcast.isolate=1} (the node drops its group connections and
 * refuses new ones), not a packet filter. A filter was tried first (iptables works here, as root), but it cannot
 * single out the node: the pods' addresses are loopback aliases, and a node's outgoing group connections leave
 * from 127.0.0.1 (the kernel's source for an unbound socket to 127.0.0.0/8), so a rule by the node's address cuts
 * only half of its links; and the same 127.77.x.y addresses are used by every local world on the machine (other
 * test runs), which a host-wide rule would cut too.
 *
 * <p>The verifier holds each verdict in one unchanged cluster view for 8 s here ({@code PXOPS_VERIFY_HOLD_FOR}):
 * longer than Galera's {@code evs.suspect_timeout} (5 s), the time the others take to notice a silent node. A
 * partition that Galera has not noticed yet shows on no node, so no check can see it; a hold shorter than that
 * window could pass a cluster that is about to lose a node. (A node whose process dies is seen at once, through
 * the verifier's broken connection to it; a silent partition only by waiting out the suspect timeout.)
 */
class PartitionedNodeIT {

  private static final String NS = "cutoff";
  private static final String DB = "shop";

  @RegisterExtension
  static final LocalWorldExtension WORLD = new LocalWorldExtension(LocalWorld.builder().namespace(NS));

  private static LocalPipeline pipeline;

  @BeforeAll
  static void startTheServices() throws Exception {
    LocalWorld world = WORLD.world();
    // every local world gives its first database 127.77.1.x; other test runs on this machine may hold those
    // addresses' ports right now (the node then cannot bind and crash-loops): move this one to another block
    long skip = 100 + ProcessHandle.current().pid() % 150;
    for (int i = 0; i < skip; i++) {
      world.controllers().podNetwork().addressOf(NS, "unused-" + i, 0);
    }
    // the nodes bootstrap while the services start
    world.createDatabase(DB, 3, world.olderVersion());
    pipeline = LocalPipeline.start(WORLD.world(), Files.createTempDirectory("partition-it-"), Map.of(
        "PXOPS_TICK_INTERVAL", "PT0.2S", "PXOPS_RECHECK_INTERVAL", "PT0.5S", "PXOPS_VERIFY_HOLD_FOR", "PT8S"));
  }

  @AfterAll
  static void stopTheServices() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void givenANodeCutOffAfterThePreviousPodRestarted_thenTheNextPodIsNeverEvictedAndTheRequestFailsNamingTheNode(
      LocalWorld world) throws Exception {
    await().atMost(Duration.ofMinutes(2)).until(world.allPodsReady(DB, 3)::getAsBoolean);
    await().atMost(Duration.ofSeconds(30)).until(() -> database(world).getStatus() != null
        && "Ready".equals(database(world).getStatus().getPhase()));
    String uid2 = pod(world, DB + "-2").getMetadata().getUid();
    String uid1 = pod(world, DB + "-1").getMetadata().getUid();
    String uid0 = pod(world, DB + "-0").getMetadata().getUid();
    String newImage = ServerImages.imageFor(world.newerVersion());

    Kubectl.apply(world, Kubectl.updateVersionYaml(NS, "shop-upd", DB, world.newerVersion(), "20s"));
    // shop-2 (the highest ordinal goes first) restarted on the new build and Ready: the update is now verifying it
    await().atMost(Duration.ofMinutes(2)).until(() -> {
      Pod p = pod(world, DB + "-2");
      return p != null && !uid2.equals(p.getMetadata().getUid()) && LocalWorld.isReady(p)
          && newImage.equals(LocalWorld.imageOf(p));
    });
    isolate(world, DB + "-0", true);
    try {
      await().atMost(Duration.ofSeconds(90)).until(() -> "Failed".equals(Kubectl.objectPhase(world, "shop-upd")));
      List<Envelope> log = LifecycleLogReader.read(world.kafka().bootstrapServers(), NS + "/shop-upd");
      assertThat(log).filteredOn(e -> e.payload() instanceof PodEvicted).extracting(e -> ((PodEvicted) e.payload())
          .pod()).as("only the first pod was restarted").containsExactly(DB + "-2");
      assertThat(log).filteredOn(e -> e.payload() instanceof RequestFailed).singleElement().satisfies(e -> {
        RequestFailed f = (RequestFailed) e.payload();
        assertThat(f.message()).as(f.reason() + ": " + f.message()).contains(DB + "-0");
        System.out.println("PARTITION FAILURE " + f.step() + " " + f.reason() + ": " + f.message());
      });
      assertThat(pod(world, DB + "-1").getMetadata().getUid()).as("the next pod never evicted").isEqualTo(uid1);
      assertThat(pod(world, DB + "-0").getMetadata().getUid()).isEqualTo(uid0);
      // the failed request resumes the database it paused (KubeDB's PR #1577)
      await().atMost(Duration.ofSeconds(20)).until(() -> !KubeDbConditions.isPaused(database(world)));
    } finally {
      isolate(world, DB + "-0", false);
    }
  }

  /** Sets Galera's {@code gmcast.isolate} on the node of {@code pod}: 1 cuts it off from its group, 0 lets it back. */
  private static void isolate(LocalWorld world, String pod, boolean on) throws Exception {
    String ip = pod(world, pod).getStatus().getPodIP();
    try (Connection c = DriverManager.getConnection("jdbc:mysql://" + ip + ":3306/?sslMode=DISABLED"
        + "&allowPublicKeyRetrieval=true&connectTimeout=5000", "root", world.rootPassword(DB));
        Statement s = c.createStatement()) {
      s.execute("SET GLOBAL wsrep_provider_options='gmcast.isolate=" + (on ? 1 : 0) + "'");
    }
  }

  private static PerconaXtraDB database(LocalWorld world) {
    return world.client().resources(PerconaXtraDB.class).inNamespace(NS).withName(DB).get();
  }

  private static Pod pod(LocalWorld world, String name) {
    return world.client().pods().inNamespace(NS).withName(name).get();
  }
}
