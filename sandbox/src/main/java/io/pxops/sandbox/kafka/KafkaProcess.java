package io.pxops.sandbox.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/**
 * The single-node KRaft broker ({@code kafka up}, {@link EmbeddedKafka}) in a JVM of its own, on fixed loopback
 * ports and a fixed directory, so that it can be crashed with SIGKILL ({@link #kill()}) and started again on the
 * same ports and data ({@link #restart()}): the clients of the services reconnect to the same address and find
 * their topics, offsets and transactions where the log left them. The chaos trials use it; everything else keeps
 * the in-process broker, which starts faster.
 *
 * <p>{@link #close()} stops the broker with SIGTERM (controlled shutdown; SIGKILL after {@link #STOP_GRACE}) and
 * deletes the directory unless it was given by the caller.
 */
public final class KafkaProcess implements KafkaBroker {

  private static final String HOST = "127.0.0.1";
  /** A cold broker JVM on a loaded 2-core machine starts in 5–10 s; after a SIGKILL it also recovers its logs. */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmx384m",
      "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");

  private final Path dir;
  private final boolean ownDir;
  private final int port;
  private final int controllerPort;
  private Process process;
  private Duration lastStartTime = Duration.ZERO;
  private int starts;

  private KafkaProcess(Path dir, boolean ownDir, int port, int controllerPort) {
    this.dir = dir;
    this.ownDir = ownDir;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** Starts a broker process on two free loopback ports (kept for its restarts) and a new temporary directory. */
  public static KafkaProcess start() {
    try {
      return start(Files.createTempDirectory("pxops-kafka-process-"), true, 0, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the broker directory", e);
    }
  }

  /**
   * Starts a broker process on these ports (0: a free one, picked once) and this directory (kept on close).
   */
  public static KafkaProcess start(Path dir, int port, int controllerPort) {
    return start(Objects.requireNonNull(dir, "dir"), false, port, controllerPort);
  }

  private static KafkaProcess start(Path dir, boolean ownDir, int port, int controllerPort) {
    int[] ports = EmbeddedKafka.pickPorts(port, controllerPort);
    KafkaProcess k = new KafkaProcess(dir, ownDir, ports[0], ports[1]);
    try {
      k.launchAndAwait();
      return k;
    } catch (RuntimeException e) {
      k.close();
      throw e;
    }
  }

  @Override
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  @Override
  public String describe() {
    return "KRaft broker process (" + bootstrapServers() + ", " + dir + (process == null ? "" : ", pid "
        + process.pid()) + ")";
  }

  /** The broker's directory; its output is in {@code broker.log} there. */
  public Path dir() {
    return dir;
  }

  public synchronized long pid() {
    return process.pid();
  }

  public synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  /** How long the last start took, from launching the JVM until the broker answered {@code describeCluster}. */
  public synchronized Duration lastStartTime() {
    return lastStartTime;
  }

  /**
   * SIGKILL: the broker process dies mid-write, as under the OOM killer (what it had handed to the OS is kept, as
   * on a real machine whose process crashed; a power cut is not simulated). Waits until the process is gone.
   */
  public synchronized void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the broker process " + process.pid() + " survived SIGKILL for 30 s");
      }
    }
  }

  /** Starts the broker again on the same ports and directory (after {@link #kill()}) and waits until it answers. */
  public synchronized void restart() {
    if (alive()) {
      throw new IllegalStateException("the broker is still running: " + describe());
    }
    launchAndAwait();
  }

  private synchronized void launchAndAwait() {
    long t0 = System.nanoTime();
    Path log = dir.resolve("broker.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), KafkaCommand.class.getName(), "up",
        "--port", String.valueOf(port), "--controller-port", String.valueOf(controllerPort),
        "--dir", dir.resolve("broker").toString()));
    try {
      Files.createDirectories(dir);
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the broker process", e);
    }
    starts++;
    awaitReady(log);
    lastStartTime = Duration.ofNanos(System.nanoTime() - t0);
  }

  private void awaitReady(Path log) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin admin = KafkaTopics.admin(bootstrapServers())) {
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the broker process exited (" + process.exitValue() + ") during start "
              + starts + ":\n" + tail(log));
        }
        if (System.nanoTime() >= deadline) {
          throw new IllegalStateException("the broker process did not answer at " + bootstrapServers() + " within "
              + READY_TIMEOUT + ":\n" + tail(log));
        }
        try {
          if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          // not listening yet (or still recovering its logs): look again, the deadline above ends this
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the broker process", e);
        }
      }
    }
  }

  private static String tail(Path log) {
    try {
      String s = Files.readString(log);
      return s.substring(Math.max(0, s.length() - 4000));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM (controlled shutdown), SIGKILL after the grace; deletes the directory if this object made it. */
  @Override
  public synchronized void close() {
    try {
      if (process != null && process.isAlive()) {
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          process.waitFor(30, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      if (ownDir) {
        EmbeddedKafka.deleteRecursively(dir);
      }
    }
  }
}
