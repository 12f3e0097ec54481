package io.pxops.sandbox.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in this JVM: KRaft mode, one process that is both broker and controller,
 * listening on loopback. The storage is formatted in-process (the {@code kafka-storage format --standalone} tool),
 * then {@link KafkaRaftServer} runs the broker; it is ready when an Admin client sees it in
 * {@code describeCluster}. Cold start takes about 1.7 s and ~170 MiB of RSS.
 *
 * <p>The configuration is made for one node: replication factor 1 for the offsets, transaction-state and
 * share-coordinator topics (their default of 3 makes consumer groups and {@code initTransactions} hang without an
 * error), no initial rebalance delay, no automatic topic creation, and a 2 MiB log-cleaner dedupe buffer instead of
 * the 128 MiB default heap buffer.
 *
 * <p>{@link #close()} shuts the broker down and deletes its directory unless {@link Builder#keepDir(boolean)} was
 * set. A kept directory is not formatted again on the next start, so its topics and data survive; restart it on
 * the same ports, since the controller's address is recorded in the metadata log.
 */
public final class EmbeddedKafka implements KafkaBroker {

  static {
    KafkaLogging.applyDefaults();
  }

  private static final String HOST = "127.0.0.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final boolean keepDir;
  private final int port;
  private final int controllerPort;
  private final KafkaRaftServer server;
  private final Duration startupTime;
  private boolean closed;

  private EmbeddedKafka(Path dir, boolean keepDir, int port, int controllerPort, KafkaRaftServer server,
      Duration startupTime) {
    this.dir = dir;
    this.keepDir = keepDir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.server = server;
    this.startupTime = startupTime;
  }

  /** Starts a broker on two free loopback ports with a fresh temporary directory that {@link #close()} deletes. */
  public static EmbeddedKafka start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  @Override
  public String describe() {
    return "embedded KRaft broker (" + bootstrapServers() + ", " + dir + ")";
  }

  /** The client (PLAINTEXT) port. */
  public int port() {
    return port;
  }

  /** The KRaft controller port. */
  public int controllerPort() {
    return controllerPort;
  }

  /** The broker's directory: {@code server.properties} and the {@code kraft-logs} data directory. */
  public Path dir() {
    return dir;
  }

  /** From the call to start until the broker answered {@code describeCluster}, formatting included. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Shuts the broker down (controlled shutdown), waits for it, and deletes the directory unless kept. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      if (!keepDir) {
        deleteRecursively(dir);
      }
    }
  }

  /** The broker settings for one node on loopback; package-private for tests. */
  static Properties serverProperties(Path logDir, int port, int controllerPort, Map<String, String> overrides) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("process.roles", "broker,controller");
    m.put("node.id", "1");
    m.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
    m.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    m.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    m.put("controller.listener.names", "CONTROLLER");
    m.put("inter.broker.listener.name", "PLAINTEXT");
    m.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    m.put("log.dirs", logDir.toAbsolutePath().toString());
    m.put("num.partitions", "1");
    m.put("default.replication.factor", "1");
    m.put("min.insync.replicas", "1");
    m.put("offsets.topic.replication.factor", "1");
    m.put("offsets.topic.num.partitions", "1");
    m.put("transaction.state.log.replication.factor", "1");
    m.put("transaction.state.log.min.isr", "1");
    m.put("transaction.state.log.num.partitions", "1");
    m.put("share.coordinator.state.topic.replication.factor", "1");
    m.put("share.coordinator.state.topic.min.isr", "1");
    m.put("share.coordinator.state.topic.num.partitions", "1");
    m.put("group.initial.rebalance.delay.ms", "0");
    m.put("auto.create.topics.enable", "false");
    m.put("log.cleaner.dedupe.buffer.size", "2097152");
    m.putAll(overrides);
    Properties p = new Properties();
    p.putAll(m);
    return p;
  }

  /** Options for {@link EmbeddedKafka}; every one has a default. */
  public static final class Builder {
    private int port;
    private int controllerPort;
    private Path dir;
    private boolean keepDir;
    private final Map<String, String> overrides = new LinkedHashMap<>();

    private Builder() {}

    /** The client port; 0 (the default) picks a free loopback port. */
    public Builder port(int port) {
      this.port = checkPort(port);
      return this;
    }

    /** The controller port; 0 (the default) picks a free loopback port. */
    public Builder controllerPort(int controllerPort) {
      this.controllerPort = checkPort(controllerPort);
      return this;
    }

    /** The broker's directory (created if missing); by default a new temporary directory. */
    public Builder dir(Path dir) {
      this.dir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** Keep the directory on {@link #close()} (default: delete it). */
    public Builder keepDir(boolean keepDir) {
      this.keepDir = keepDir;
      return this;
    }

    /** Sets or overrides one broker setting. */
    public Builder config(String key, String value) {
      overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Formats the storage if needed, starts the broker and waits until it answers. */
    public EmbeddedKafka start() {
      long t0 = System.nanoTime();
      int[] ports = pickPorts(port, controllerPort);
      Path brokerDir;
      try {
        brokerDir = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("pxops-kafka-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the broker directory", e);
      }
      KafkaRaftServer server = null;
      try {
        Path logDir = brokerDir.resolve("kraft-logs");
        Properties props = serverProperties(logDir, ports[0], ports[1], overrides);
        if (!Files.exists(logDir.resolve("meta.properties"))) {
          format(brokerDir, props);
        }
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        String bootstrap = HOST + ":" + ports[0];
        awaitReady(bootstrap);
        return new EmbeddedKafka(brokerDir, keepDir, ports[0], ports[1], server,
            Duration.ofNanos(System.nanoTime() - t0));
      } catch (RuntimeException | Error e) {
        if (server != null) {
          try {
            server.shutdown();
            server.awaitShutdown();
          } catch (RuntimeException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        if (!keepDir) {
          deleteRecursively(brokerDir);
        }
        throw e;
      }
    }

    private static int checkPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      return port;
    }
  }

  /** Like {@code kafka-storage format -t <random id> -c server.properties --standalone}, without a new JVM. */
  private static void format(Path brokerDir, Properties props) {
    Path cfg = brokerDir.resolve("server.properties");
    try (Writer w = Files.newBufferedWriter(cfg, StandardCharsets.UTF_8)) {
      props.store(w, "single-node KRaft broker (broker + controller)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + cfg, e);
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc;
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", cfg.toString(),
          "--standalone"}, out);
    }
    if (rc != 0) {
      throw new IllegalStateException("formatting the Kafka storage failed (exit " + rc + "): "
          + buf.toString(StandardCharsets.UTF_8));
    }
  }

  private static void awaitReady(String bootstrap) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin admin = KafkaTopics.admin(bootstrap)) {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("the embedded Kafka broker at " + bootstrap + " did not answer within "
              + READY_TIMEOUT);
        }
        try {
          // the Admin client retries internally until the broker answers or the timeout passes
          if (!admin.describeCluster().nodes().get(left, TimeUnit.NANOSECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() >= deadline) {
            throw new IllegalStateException("the embedded Kafka broker at " + bootstrap + " is not ready", e);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the embedded Kafka broker", e);
        }
      }
    }
  }

  /** Ports that are 0 are replaced by free loopback ports, distinct from each other. */
  static int[] pickPorts(int port, int controllerPort) {
    ServerSocket a = null;
    ServerSocket b = null;
    try {
      if (port == 0) {
        a = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      }
      if (controllerPort == 0) {
        b = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      }
      int p = a != null ? a.getLocalPort() : port;
      int c = b != null ? b.getLocalPort() : controllerPort;
      if (p == c) {
        throw new IllegalArgumentException("the client and controller ports must differ: " + p);
      }
      return new int[] {p, c};
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pick a free loopback port", e);
    } finally {
      closeQuietly(a);
      closeQuietly(b);
    }
  }

  private static void closeQuietly(ServerSocket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing was bound to it but this probe
      }
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
