package io.pxops.sandbox.galera;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code galera}: runs a real local MariaDB Galera cluster in the foreground.
 *
 * <p>{@code galera up [--nodes 3] [--build VERSION]} starts the cluster (on the older installed build unless told
 * otherwise), prints each node's address, server version and state, then waits until Ctrl-C or SIGTERM and stops
 * it cleanly from a shutdown hook.
 */
@Command(name = "galera", mixinStandardHelpOptions = true,
    description = "Runs a real local MariaDB Galera cluster (one mariadbd process per node, on loopback).")
public final class GaleraCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  /** Without a subcommand: prints the usage. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** {@code galera up}: starts a cluster and keeps it running until the JVM is asked to exit. */
  @Command(name = "up", mixinStandardHelpOptions = true,
      description = "Starts a cluster, prints its nodes, and runs until Ctrl-C / SIGTERM, then stops it cleanly.")
  int up(
      @Option(names = "--nodes", defaultValue = "3", description = "number of nodes (default: ${DEFAULT-VALUE})")
      int nodes,
      @Option(names = "--build", paramLabel = "VERSION",
          description = "installed server build to run (default: the older installed build)") String build) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    MariaDbBuilds builds;
    try {
      builds = MariaDbBuilds.discover();
    } catch (IllegalStateException e) {
      err.println(e.getMessage());
      return 1;
    }
    String version = build != null ? build : builds.older();
    if (!builds.has(version)) {
      err.println("MariaDB build " + version + " is not installed under " + builds.root() + "; installed: "
          + String.join(", ", builds.versions()));
      return 1;
    }
    if (nodes < 1) {
      err.println("--nodes must be at least 1");
      return 1;
    }
    out.println("installed builds: " + String.join(", ", builds.versions()));
    if (builds.singleBuild()) {
      out.println("only one server build is installed: an update to it is an image refresh on the same build");
    }
    out.printf("starting %d node(s) on %s ...%n", nodes, version);
    out.flush();
    GaleraCluster cluster = GaleraCluster.builder().builds(builds).nodes(nodes).build(version).create();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      out.println("stopping the cluster ...");
      out.flush();
      cluster.close();
      out.println("stopped");
      out.flush();
      stopped.countDown();
    }, "galera-up-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      cluster.start();
    } catch (RuntimeException e) {
      err.println("cluster start failed: " + e.getMessage());
      return 1;
    }
    out.printf("cluster %s up in %d ms; user root, password %s; node directories under %s%n", cluster.name(),
        cluster.startDuration().toMillis(), cluster.rootPassword(), cluster.baseDir());
    for (int i = 0; i < cluster.size(); i++) {
      GaleraNode node = cluster.node(i);
      NodeStatus s = node.status();
      out.printf("  %-10s %s:%d  %s  %s  (%s)%n", cluster.pod(i).podName(), node.address(), GaleraNode.SQL_PORT,
          s.version(), s.localStateComment(), cluster.jdbcUrl(i));
    }
    out.println("running; press Ctrl-C to stop");
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
