package io.pxops.cli;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pxops.events.JsonCodec;
import io.pxops.events.OpsPhase;
import io.pxops.events.status.RequestStatus;
import io.pxops.events.status.StepTiming;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.sandbox.world.LocalPipeline;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.sandbox.world.MembershipMonitor;
import io.pxops.sandbox.world.RowWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The README's first command: the whole product on the local world, end to end, with evidence. Starts the world
 * (a Kafka broker, a Kubernetes API, real Galera pods), a 3-node database on the older server build and the five
 * services as separate processes; runs a writer and a membership monitor; submits an update to the newer build
 * through the HTTP API; shows live progress from the status topic; and ends with a summary whose checks decide the
 * exit code.
 */
@Command(name = "demo", description = {"The whole update on the local world: a 3-node Galera cluster on the older "
    + "server build, the pxops services as separate processes, a writer, an update to the newer build with live "
    + "progress, and a summary (steps, versions before and after, rows written against rows on every node, the "
    + "most nodes out of the cluster at once). Exit 0 when every check holds.",
    "With --keep everything stays up: the command prints the kubeconfig, the Kafka address and the status URL, and "
        + "the other pxops commands reach the world by default."})
final class DemoCommand implements Callable<Integer> {

  private static final Path LOCAL = Path.of(".local");

  @Spec
  CommandSpec spec;

  @Option(names = "--database", defaultValue = "demo-px", description = "Database name (default: ${DEFAULT-VALUE}).")
  String database;

  @Option(names = "--keep", description = "Keep the world and the services running until Ctrl-C or SIGTERM.")
  boolean keep;

  @Option(names = "--timeout", defaultValue = "5m", description = "Longest wait for the update (default: "
      + "${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    long t0 = System.nanoTime();
    say(out, "Starting the local world: Kafka broker, Kubernetes API, local controllers, Galera pods ...");
    LocalWorld world = LocalWorld.builder().namespace("demo").start();
    LocalPipeline pipeline = null;
    try {
      say(out, "  up in " + ms(t0) + " (" + world.startTimes().entrySet().stream()
          .map(e -> e.getKey() + " " + e.getValue().toMillis() + " ms").toList() + ")");
      if (world.builds().singleBuild()) {
        say(out, "NOTE: Debian offers one server build today (" + world.olderVersion() + "): the update is an "
            + "image refresh on the same build.");
      }
      world.createDatabase(database, 3, world.olderVersion());
      say(out, "Created PerconaXtraDB demo/" + database + " (3 replicas, " + world.olderVersion()
          + "); starting the pxops services (ingest, coordinator, step runners, verifier, status projector) ...");
      Files.createDirectories(LOCAL);
      pipeline = LocalPipeline.start(world, Files.createTempDirectory(LOCAL, "pipeline-"), Map.of(
          "PXOPS_TICK_INTERVAL", "200ms", "PXOPS_RECHECK_INTERVAL", "500ms"));
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
          .until(world.allPodsReady(database, 3)::getAsBoolean);
      await().atMost(Duration.ofMinutes(1)).until(() -> "Ready".equals(phaseOf(world)));
      say(out, "Cluster Ready and services up at " + ms(t0) + ".");
      String password = world.rootPassword(database);
      List<String> hosts = world.podsOf(database).stream().map(p -> p.getStatus().getPodIP()).toList();
      List<String> before = world.serverVersions(database);

      Endpoints endpoints = new Endpoints();
      endpoints.bootstrapServers = world.kafka().bootstrapServers();
      endpoints.ingestUrl = pipeline.ingestUrl();
      endpoints.statusUrl = pipeline.statusUrl();
      // the local world's admin (its kubeconfig's token, which its API's TokenReview accepts with full rights)
      endpoints.token = world.adminToken();
      RowWriter writer = RowWriter.start(hosts, "root", password, Duration.ofMillis(10));
      MembershipMonitor monitor = MembershipMonitor.start(podNames(), hosts, "root", password,
          Duration.ofMillis(100));
      int watched;
      RequestStatus last;
      try {
        ObjectNode body = JsonCodec.shared().mapper().createObjectNode().put("name", database + "-update")
            .put("database", database).put("targetVersion", world.newerVersion()).put("timeout", "5m");
        new PxopsHttp(endpoints).submit("demo", body);
        say(out, "Submitted demo/" + database + "-update: " + world.olderVersion() + " -> " + world.newerVersion()
            + " (a writer inserts a row every 10 ms throughout). Progress:");
        RequestRef ref = new RequestRef("demo", database + "-update");
        watched = WatchCommand.follow(endpoints, ref, timeout, out);
        last = new PxopsHttp(endpoints).status(ref);
      } finally {
        writer.close();
        monitor.close();
      }
      List<String> after = world.serverVersions(database);
      Map<String, List<Long>> missing = writer.missingOn();
      Map<String, Long> rows = writer.rowsOn();
      boolean lost = missing.values().stream().anyMatch(l -> !l.isEmpty());
      boolean updated = after.stream().allMatch(v -> v.startsWith(world.newerVersion()));

      out.println();
      out.println("Summary");
      if (last != null) {
        Table steps = new Table("STEP", "TOOK");
        for (StepTiming s : last.steps()) {
          steps.row(s.type(), s.duration() == null ? "" : StatusView.seconds(s.duration()));
        }
        out.print(steps);
        out.println();
      }
      Table pods = new Table("POD", "VERSION BEFORE", "VERSION AFTER", "ROWS PRESENT", "ACKNOWLEDGED ROWS MISSING");
      for (int i = 0; i < 3; i++) {
        pods.row(podNames().get(i), before.get(i), after.get(i), rows.get(hosts.get(i)),
            missing.get(hosts.get(i)).size());
      }
      out.print(pods);
      out.printf("%nRows acknowledged to the writer: %d (inserts refused while their node restarted: %d)%n",
          writer.acknowledgedRows(), writer.failedWrites());
      out.printf("Most nodes out of the cluster at once: %d (sampled every 100 ms on every node)%n", monitor.maxOut());
      out.printf("Request: %s; update took %s; whole demo %s%n", last == null ? "?" : last.phase().kubeName(),
          last == null || last.startedAt() == null || last.finishedAt() == null ? "?"
              : StatusView.seconds(Duration.between(last.startedAt(), last.finishedAt())), ms(t0));
      boolean ok = watched == ExitCodes.OK && last != null && last.phase() == OpsPhase.SUCCESSFUL && !lost
          && updated && monitor.maxOut() <= 1;
      out.println(ok ? "All checks hold." : "A CHECK DID NOT HOLD (see above).");
      out.flush();
      if (keep) {
        hold(out, world, pipeline);
      }
      return ok ? ExitCodes.OK : ExitCodes.FAILED;
    } finally {
      if (!keep) {
        if (pipeline != null) {
          pipeline.close();
        }
        world.close();
      }
    }
  }

  private void hold(PrintWriter out, LocalWorld world, LocalPipeline pipeline) throws Exception {
    Path kubeconfig = world.kubernetes().writeKubeconfig(LOCAL.resolve("kubeconfig"), world.namespace());
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", world.kafka().bootstrapServers());
    p.setProperty("ingest.url", pipeline.ingestUrl());
    p.setProperty("status.url", pipeline.statusUrl());
    p.setProperty("kubeconfig", kubeconfig.toAbsolutePath().toString());
    try (Writer w = Files.newBufferedWriter(Endpoints.LOCAL_FILE)) {
      p.store(w, "written by pxops demo --keep; read by the other pxops commands");
    }
    out.println();
    out.println("The world stays up. Reach it with:");
    out.printf("  KUBECONFIG=%s kubectl get px,pxcops,pxversion,petsets,pods -n demo%n", kubeconfig.toAbsolutePath());
    out.printf("  Kafka bootstrap: %s%n", world.kafka().bootstrapServers());
    out.printf("  status:  %s/api/v1/updaterequests%n", pipeline.statusUrl());
    out.printf("  ingest:  %s/api/v1/namespaces/demo/updaterequests%n", pipeline.ingestUrl());
    // the token rides in the fragment, which the browser never sends; the page keeps it for that tab only
    out.printf("  dashboard: %s/dashboard/#token=%s%n", pipeline.statusUrl(), world.adminToken());
    out.println("  ./pxops list | status demo/" + database + "-update | history demo/" + database + "-update");
    out.println("Ctrl-C (or SIGTERM) stops everything.");
    out.flush();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      pipeline.close();
      world.close();
      try {
        Files.deleteIfExists(Endpoints.LOCAL_FILE);
      } catch (java.io.IOException ignored) {
        // a stale file only points at ports nobody listens on
      }
      stop.countDown();
    }, "demo-shutdown"));
    stop.await();
  }

  private String phaseOf(LocalWorld world) {
    PerconaXtraDB db = world.client().resources(PerconaXtraDB.class).inNamespace("demo").withName(database).get();
    return db == null || db.getStatus() == null ? null : db.getStatus().getPhase();
  }

  private List<String> podNames() {
    return List.of(database + "-0", database + "-1", database + "-2");
  }

  private static void say(PrintWriter out, String line) {
    out.println(line);
    out.flush();
  }

  private static String ms(long since) {
    return StatusView.seconds(Duration.ofNanos(System.nanoTime() - since));
  }
}
