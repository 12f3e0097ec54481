package io.pxops.sandbox.world;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One pxops service in its own JVM, as it runs in production: its {@code main}, configuration from the environment,
 * output to a log file. Tests, the demo and the benchmarks start the services this way so that a crash
 * ({@link #kill()}: SIGKILL) and a graceful stop ({@link #stop()}: SIGTERM) are the real thing.
 */
public final class ServiceProcess implements AutoCloseable {

  /**
   * The JVM options a service gets unless told otherwise: small and quick to start, and gone on an
   * OutOfMemoryError rather than limping on — seen in a 10,000-database run with a 128 MiB projector heap: the
   * error killed the status write-back thread for good while the process stayed up and looked healthy.
   */
  public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmx160m",
      "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");

  private final String name;
  private final Process process;
  private final Path log;
  private volatile long signalledAt;
  private volatile long stoppedAt;
  private final java.util.concurrent.CompletableFuture<Void> exited;

  private ServiceProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.exited = process.onExit().thenRun(() -> stoppedAt = System.nanoTime());
  }

  /**
   * Starts {@code mainClass} with this JVM's class path.
   *
   * @param name a short name, for the log file and messages
   * @param mainClass the service's main class
   * @param env environment variables added to this process's own
   * @param logDir where {@code <name>.log} is written (stdout and stderr)
   */
  public static ServiceProcess start(String name, String mainClass, Map<String, String> env, Path logDir)
      throws IOException {
    return start(name, mainClass, env, logDir, DEFAULT_JVM_OPTIONS);
  }

  /** As {@link #start(String, String, Map, Path)}, with these JVM options. */
  public static ServiceProcess start(String name, String mainClass, Map<String, String> env, Path logDir,
      List<String> jvmOptions) throws IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    // to profile or inspect the services the local world starts, e.g.
    // PXOPS_SERVICE_JAVA_OPTIONS="-XX:StartFlightRecording=filename=/tmp/pxops-%p.jfr,settings=profile"
    String extra = System.getenv("PXOPS_SERVICE_JAVA_OPTIONS");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // glibc gives each thread that mallocs its own arena, up to 8 per core; RocksDB's and Netty's native
    // allocations then spread over a dozen half-used 64 MiB arenas (the projector: 18 arenas, 62 MiB resident, in
    // the 1,000-database fleet run). Two arenas is the usual setting for JVMs that host RocksDB.
    pb.environment().put("MALLOC_ARENA_MAX", "2");
    pb.environment().putAll(env);
    return new ServiceProcess(name, pb.start(), log);
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** The log so far (for assertion messages). */
  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Resident memory from {@code /proc/<pid>/status}, when the process lives. */
  public Optional<Long> residentBytes() {
    try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid()), "status"))) {
      return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** SIGKILL, as a crash or the OOM killer would: no shutdown hook runs. Waits until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Sends SIGTERM and returns at once (see {@link #awaitExit}, {@link #stoppedAfterSignal}). */
  public void signalStop() {
    signalledAt = System.nanoTime();
    process.destroy();
  }

  /** Waits up to {@code limit} for the process to end; true when it has. */
  public boolean awaitExit(Duration limit) throws InterruptedException {
    boolean exited = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    if (exited) {
      this.exited.join(); // stoppedAt is set
    }
    return exited;
  }

  /** Nanoseconds from {@link #signalStop} to the process's exit; -1 if either has not happened. */
  public long stoppedAfterSignal() {
    return signalledAt == 0 || stoppedAt == 0 ? -1 : stoppedAt - signalledAt;
  }

  /** The exit code; the process must have ended. */
  public int exitCode() {
    return process.exitValue();
  }

  /** SIGTERM, as Kubernetes stops a pod: the service's shutdown hook closes it; SIGKILL after {@code grace}. */
  public int stop(Duration grace) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop(Duration.ofSeconds(20));
    }
  }

  @Override
  public String toString() {
    return name + "[pid " + pid() + (alive() ? "" : ", exited") + "]";
  }
}
