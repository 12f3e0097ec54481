package io.pxops.sandbox.world;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.sandbox.galera.GaleraNode;
import io.pxops.sandbox.galera.GaleraPodRuntime;
import io.pxops.sandbox.galera.StartRecord;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code world}: the local world alone (no pxops services): creates a 3-replica PerconaXtraDB on the older server build, waits until
 * its pods are Ready, and shows each pod with its address, image, catalog version and the server's own
 * {@code SELECT VERSION()}; then restarts one pod (deletes it, as an update would) and shows how long its node
 * took to come back Synced. With {@code --keep} the world stays up until SIGTERM or Ctrl-C.
 */
@Command(name = "world", mixinStandardHelpOptions = true,
    description = "The local world alone (no pxops services): a 3-node Galera cluster, its pods and versions, one pod restart.")
public final class WorldCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--database", defaultValue = "demo-px", description = "Database name (default: ${DEFAULT-VALUE}).")
  String database;

  @Option(names = "--replicas", defaultValue = "3", description = "Replicas (default: ${DEFAULT-VALUE}).")
  int replicas;

  @Option(names = "--kube-port", defaultValue = "18080",
      description = "Port of the Kubernetes API on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int kubePort;

  @Option(names = "--kubeconfig", defaultValue = ".local/kubeconfig",
      description = "Where to write the kubeconfig for kubectl (default: ${DEFAULT-VALUE}).")
  Path kubeconfig;

  @Option(names = "--timeout", defaultValue = "PT3M", description = "How long to wait for the cluster (ISO-8601).")
  Duration timeout;

  @Option(names = "--no-restart", description = "Skip restarting one pod.")
  boolean noRestart;

  @Option(names = "--keep", description = "Keep the world running until SIGTERM or Ctrl-C.")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    out.println("Starting the local world (Kafka broker, Kubernetes API, local controllers, Galera pods)...");
    out.flush();
    long t0 = System.nanoTime();
    try (LocalWorld world = LocalWorld.builder().kubernetesPort(kubePort).start()) {
      world.startTimes().forEach((part, d) -> out.printf("  %-16s started in %,6d ms%n", part, d.toMillis()));
      Path config = world.kubernetes().writeKubeconfig(kubeconfig, world.namespace());
      if (world.builds().singleBuild()) {
        out.println("NOTE: Debian offers only one server build today (" + world.olderVersion() + "): an update"
            + " between the catalog entries is an image refresh on the same build, not a version change.");
      }
      out.printf("Catalog: %s%n", world.catalog().stream().map(v -> v.getMetadata().getName() + " -> "
          + v.getSpec().getDb().getImage()).toList());

      long c0 = System.nanoTime();
      PerconaXtraDB db = world.createDatabase(database, replicas, world.olderVersion());
      out.printf("Created PerconaXtraDB %s/%s (version %s, %d replicas); waiting for its pods...%n",
          world.namespace(), database, db.getSpec().getVersion(), replicas);
      out.flush();
      await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(world.allPodsReady(database, replicas)::getAsBoolean);
      out.printf("Cluster of %d Synced nodes ready in %,d ms (world + cluster: %,d ms)%n", replicas,
          millisSince(c0), millisSince(t0));
      printPods(out, world);

      if (!noRestart) {
        Pod victim = world.podsOf(database).get(replicas - 1);
        String name = victim.getMetadata().getName();
        out.printf("Deleting pod %s: the PetSet controller re-creates it and its node rejoins the cluster...%n", name);
        out.flush();
        long r0 = System.nanoTime();
        world.client().pods().inNamespace(world.namespace()).withName(name).delete();
        String oldUid = victim.getMetadata().getUid();
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
          Pod p = world.client().pods().inNamespace(world.namespace()).withName(name).get();
          return p != null && !oldUid.equals(p.getMetadata().getUid()) && LocalWorld.isReady(p);
        });
        out.printf("Pod %s back Ready in %,d ms", name, millisSince(r0));
        lastStart(world, name).ifPresent(s -> out.printf(" (node restart-to-Synced %,d ms, transfer %s)",
            s.requestToSynced().map(Duration::toMillis).orElse(-1L), s.transfer()));
        out.println();
        printPods(out, world);
      }
      out.printf("Memory: this JVM %s MiB RSS; nodes %s%n", rssMiB(Path.of("/proc/self/status")), nodeRss(world));
      out.printf("kubectl: KUBECONFIG=%s kubectl get px,pxcops,pxversion,petsets,pods%n", config.toAbsolutePath());
      out.printf("Kafka bootstrap: %s%n", world.kafka().bootstrapServers());
      out.flush();
      if (keep) {
        out.println("The world stays up; press Ctrl-C (or send SIGTERM) to stop it.");
        out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          world.close();
          stop.countDown();
        }, "demo-shutdown"));
        stop.await();
      }
    }
    out.println("Local world stopped.");
    return 0;
  }

  private static long millisSince(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
  }

  private void printPods(PrintWriter out, LocalWorld world) {
    List<Pod> pods = world.podsOf(database);
    String password = world.rootPassword(database);
    Map<String, String> imageToCatalog = new java.util.HashMap<>();
    world.catalog().forEach(v -> imageToCatalog.put(v.getSpec().getDb().getImage(), v.getMetadata().getName()));
    out.printf("  %-12s %-14s %-44s %-8s %-6s %-32s %s%n", "POD", "IP", "IMAGE", "CATALOG", "READY", "SELECT VERSION()",
        "WSREP");
    for (Pod p : pods) {
      String image = LocalWorld.imageOf(p);
      String[] server = query(p, password);
      out.printf("  %-12s %-14s %-44s %-8s %-6s %-32s %s%n", p.getMetadata().getName(), p.getStatus().getPodIP(),
          image, imageToCatalog.getOrDefault(image, "?"), LocalWorld.isReady(p), server[0], server[1]);
    }
    out.flush();
  }

  private static String[] query(Pod pod, String password) {
    try (Connection c = DriverManager.getConnection(LocalWorld.jdbcUrl(pod), "root", password);
        Statement s = c.createStatement()) {
      String version;
      try (ResultSet r = s.executeQuery("SELECT VERSION()")) {
        r.next();
        version = r.getString(1);
      }
      StringBuilder wsrep = new StringBuilder();
      try (ResultSet r = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN "
          + "('wsrep_local_state_comment','wsrep_cluster_size','wsrep_cluster_status')")) {
        while (r.next()) {
          wsrep.append(r.getString(1).replace("wsrep_", "")).append('=').append(r.getString(2)).append(' ');
        }
      }
      return new String[] {version, wsrep.toString().trim()};
    } catch (SQLException e) {
      return new String[] {"unreachable", e.getMessage()};
    }
  }

  private static Optional<StartRecord> lastStart(LocalWorld world, String pod) {
    if (world.podRuntime() instanceof GaleraPodRuntime galera) {
      return galera.node(world.namespace(), pod).flatMap(GaleraNode::lastStart);
    }
    return Optional.empty();
  }

  private String nodeRss(LocalWorld world) {
    if (!(world.podRuntime() instanceof GaleraPodRuntime galera)) {
      return "simulated";
    }
    StringBuilder b = new StringBuilder();
    long total = 0;
    for (Pod p : world.podsOf(database)) {
      long kib = galera.node(world.namespace(), p.getMetadata().getName())
          .map(n -> n.rssKiB().orElse(0)).orElse(0L);
      total += kib;
      b.append(p.getMetadata().getName()).append('=').append(kib / 1024).append(" MiB ");
    }
    return b.append("(total ").append(total / 1024).append(" MiB)").toString();
  }

  static String rssMiB(Path status) {
    try {
      return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
          .map(l -> String.valueOf(Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024)).findFirst().orElse("?");
    } catch (Exception e) {
      return "?";
    }
  }
}
