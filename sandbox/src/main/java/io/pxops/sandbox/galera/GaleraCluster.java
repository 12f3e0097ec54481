package io.pxops.sandbox.galera;

import io.pxops.sandbox.runtime.PodIdentity;
import io.pxops.sandbox.runtime.PodProcessState;
import io.pxops.sandbox.runtime.PodProcessState.Phase;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real N-node MariaDB Galera cluster of one build, for tests and the command line: the pods
 * {@code <name>-0 .. <name>-(N-1)} of namespace {@value #NAMESPACE}, run by a {@link GaleraPodRuntime} on a fresh
 * block of loopback addresses ({@link LoopbackAddresses}) and a fresh base directory.
 *
 * <p>{@link #start()} brings up node 0 (install-db, bootstrap, users), then the joiners one at a time (each by
 * SST). Nodes are indexed from 0, like pod ordinals. Clients connect as {@code root} with {@link #rootPassword()}.
 * {@link #close()} stops every node and deletes the base directory.
 */
public final class GaleraCluster implements AutoCloseable {

  /** The nodes of a cluster unless told otherwise. */
  public static final int DEFAULT_NODES = 3;
  /** The namespace of the cluster's pods. */
  public static final String NAMESPACE = "local";

  private static final Duration NODE_TIMEOUT = Duration.ofMinutes(3);

  private final MariaDbBuilds builds;
  private final String build;
  private final String name;
  private final String rootPassword;
  private final Path baseDir;
  private final GaleraPodRuntime runtime;
  private final List<PodIdentity> pods;
  private volatile Duration startDuration;
  private volatile boolean closed;

  private GaleraCluster(Builder b) {
    this.builds = b.builds != null ? b.builds : MariaDbBuilds.discover();
    this.build = b.build != null ? b.build : builds.older();
    builds.basedir(build); // fails now for a build that is not installed
    this.name = b.name;
    this.rootPassword = b.rootPassword != null ? b.rootPassword : randomPassword();
    List<String> ips = LoopbackAddresses.freeBlock(b.nodes);
    this.baseDir = BaseDirs.create(b.parentDir != null ? b.parentDir : BaseDirs.defaultParent());
    this.runtime = new GaleraPodRuntime(builds, baseDir);
    List<PodIdentity> list = new ArrayList<>();
    for (int i = 0; i < b.nodes; i++) {
      list.add(new PodIdentity(NAMESPACE, name, name + "-" + i, i, ips.get(i), ips, rootPassword));
    }
    this.pods = List.copyOf(list);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts node 0 (bootstrap), then each joiner once the previous node is Synced. Returns when all are Synced. */
  public GaleraCluster start() {
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < pods.size(); i++) {
        startNode(i, build);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    startDuration = Duration.ofNanos(System.nanoTime() - t0);
    return this;
  }

  /** How long {@link #start()} took, from nothing to all nodes Synced; null before. */
  public Duration startDuration() {
    return startDuration;
  }

  public int size() {
    return pods.size();
  }

  /** The build the cluster was started on. */
  public String build() {
    return build;
  }

  public MariaDbBuilds builds() {
    return builds;
  }

  /** The cluster (and database) name. */
  public String name() {
    return name;
  }

  public Path baseDir() {
    return baseDir;
  }

  public GaleraPodRuntime runtime() {
    return runtime;
  }

  /** The pod behind node {@code i}. */
  public PodIdentity pod(int i) {
    return pods.get(i);
  }

  /** Node {@code i} (0-based). */
  public GaleraNode node(int i) {
    return runtime.node(pods.get(i))
        .orElseThrow(() -> new IllegalStateException("node " + i + " of " + name + " was never started"));
  }

  /** The pod state of node {@code i}, as the runtime reports it. */
  public PodProcessState state(int i) {
    return runtime.state(pods.get(i));
  }

  /** A JDBC URL for node {@code i}; user {@code root}, password {@link #rootPassword()}. */
  public String jdbcUrl(int i) {
    return "jdbc:mysql://" + pods.get(i).podIp() + ":" + GaleraNode.SQL_PORT + "/?sslMode=DISABLED&connectTimeout=2000";
  }

  public String rootPassword() {
    return rootPassword;
  }

  /** A new connection to node {@code i} as root. */
  public Connection connect(int i) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(i), "root", rootPassword);
  }

  /**
   * Starts node {@code i} on {@code build} and waits until it is Synced. After a {@link #kill}, the runtime first
   * waits until the survivors have evicted the node.
   *
   * @return the node's record of this start
   */
  public StartRecord startNode(int i, String build) {
    runtime.ensureRunning(pods.get(i), builds.imageFor(build));
    awaitReady(i, NODE_TIMEOUT);
    return node(i).lastStart().orElseThrow();
  }

  /** Stops node {@code i} gracefully (SIGTERM) and waits for it to exit. */
  public void stop(int i) {
    runtime.stop(pods.get(i));
  }

  /** Kills node {@code i} (SIGKILL). */
  public void kill(int i) {
    runtime.kill(pods.get(i));
  }

  /** Graceful stop of node {@code i}, then {@link #startNode} on {@code build}. */
  public StartRecord restart(int i, String build) {
    stop(i);
    return startNode(i, build);
  }

  /**
   * Waits until node {@code i} is READY (Synced, wsrep_ready=ON).
   *
   * @throws IllegalStateException when the pod is STUCK, stopped, or not READY within {@code timeout}
   */
  public void awaitReady(int i, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    PodProcessState s;
    while (true) {
      s = state(i);
      if (s.ready()) {
        return;
      }
      if (s.phase() == Phase.STUCK || s.phase() == Phase.STOPPED || s.phase() == Phase.NOT_STARTED) {
        throw new IllegalStateException(pods.get(i).podName() + " is " + s.phase() + " (" + s.reason() + "): "
            + s.message());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(pods.get(i).podName() + " not ready within " + timeout + ": " + s);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  /** Stops every node and deletes the base directory. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    runtime.close();
    BaseDirs.delete(baseDir);
  }

  private static String randomPassword() {
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    SecureRandom random = new SecureRandom();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /** How to make a {@link GaleraCluster}. */
  public static final class Builder {
    private int nodes = DEFAULT_NODES;
    private String build;
    private MariaDbBuilds builds;
    private String name = "galera";
    private String rootPassword;
    private Path parentDir;

    private Builder() {
    }

    /** The number of nodes (default {@value GaleraCluster#DEFAULT_NODES}). */
    public Builder nodes(int nodes) {
      if (nodes < 1) {
        throw new IllegalArgumentException("a cluster needs at least one node");
      }
      this.nodes = nodes;
      return this;
    }

    /** The server build all nodes start on (default: the older installed build). */
    public Builder build(String build) {
      this.build = build;
      return this;
    }

    /** The installed builds (default: {@link MariaDbBuilds#discover()}). */
    public Builder builds(MariaDbBuilds builds) {
      this.builds = Objects.requireNonNull(builds);
      return this;
    }

    /** The cluster and database name, also the pods' name prefix (default {@code galera}). */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name);
      return this;
    }

    /** The root password (default: a random one). */
    public Builder rootPassword(String rootPassword) {
      this.rootPassword = Objects.requireNonNull(rootPassword);
      return this;
    }

    /** Where the cluster's {@code pxops-<random>} base directory is created (default {@code java.io.tmpdir}). */
    public Builder parentDir(Path parentDir) {
      this.parentDir = Objects.requireNonNull(parentDir);
      return this;
    }

    /** The cluster, not started yet. */
    public GaleraCluster create() {
      return new GaleraCluster(this);
    }

    /** The cluster, started: all nodes Synced. */
    public GaleraCluster start() {
      return create().start();
    }
  }
}
