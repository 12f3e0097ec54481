package io.pxops.sandbox.kafka;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kafka}: the local world's Kafka broker as a command. {@code kafka up} runs an {@link EmbeddedKafka} in the
 * foreground until SIGTERM or Ctrl-C, then shuts it down cleanly.
 */
@Command(name = "kafka", mixinStandardHelpOptions = true, subcommands = KafkaCommand.Up.class,
    description = "Runs the local single-node Kafka broker (KRaft, in-process).")
public final class KafkaCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  /** {@code kafka up ...} as a process of its own ({@link KafkaProcess} starts the broker this way). */
  public static void main(String[] args) {
    System.exit(new CommandLine(new KafkaCommand()).execute(args));
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }

  /** {@code kafka up}: start the broker, create topics, print where it is, wait for a signal, shut down. */
  @Command(name = "up", mixinStandardHelpOptions = true,
      description = {"Starts a single-node KRaft broker (broker + controller) on 127.0.0.1 in this process, creates "
          + "the given topics, prints the bootstrap address and runs until SIGTERM or Ctrl-C."})
  public static final class Up implements Callable<Integer> {

    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "9092", paramLabel = "PORT",
        description = "Client (PLAINTEXT) port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--controller-port", defaultValue = "9093", paramLabel = "PORT",
        description = "KRaft controller port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int controllerPort;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "Broker directory, kept on exit so the data survives a restart (restart on the same ports). "
            + "Default: a temporary directory, deleted on exit.")
    Path dir;

    @Option(names = "--topic", paramLabel = "NAME[:PARTITIONS[:compact]]", converter = TopicConverter.class,
        description = "A topic to create (repeatable), e.g. --topic pxops.events:6 --topic pxops.status:6:compact. "
            + "Topics that already exist in a kept directory are left as they are.")
    List<TopicSpec> topics = new ArrayList<>();

    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile String bootstrapServers;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      EmbeddedKafka.Builder builder = EmbeddedKafka.builder().port(port).controllerPort(controllerPort);
      if (dir != null) {
        builder.dir(dir).keepDir(true);
      }
      Thread hook = new Thread(this::onSignal, "kafka-up-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      int exitCode = CommandLine.ExitCode.OK;
      try {
        try (EmbeddedKafka kafka = builder.start()) {
          createMissingTopics(kafka);
          bootstrapServers = kafka.bootstrapServers();
          out.printf("Kafka broker ready at %s (controller 127.0.0.1:%d) in %d ms, started %s%n",
              kafka.bootstrapServers(), kafka.controllerPort(), kafka.startupTime().toMillis(), Instant.now());
          out.printf("bootstrap.servers=%s%n", kafka.bootstrapServers());
          out.printf("directory: %s (%s on exit)%n", kafka.dir(), dir != null ? "kept" : "deleted");
          for (TopicSpec t : topics) {
            out.printf("topic: %s%n", t);
          }
          out.println("Press Ctrl-C (or send SIGTERM) to stop.");
          out.flush();
          ready.countDown();
          stopRequested.await();
          out.println("Stopping the Kafka broker...");
          out.flush();
        }
        out.println("Kafka broker stopped.");
        out.flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exitCode = CommandLine.ExitCode.SOFTWARE;
      } finally {
        removeHook(hook);
        ready.countDown();
        // last: the shutdown hook lets the JVM exit once this is counted down
        stopped.countDown();
      }
      return exitCode;
    }

    /** Asks a running {@code up} to shut down, as SIGTERM does; returns at once. */
    public void stop() {
      stopRequested.countDown();
    }

    /** Waits until the broker is up (or start-up failed); returns the bootstrap address or null. */
    public String awaitReady(Duration timeout) throws InterruptedException {
      ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return bootstrapServers;
    }

    /** Waits until {@link #call()} has shut the broker down. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
      return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onSignal() {
      stopRequested.countDown();
      try {
        // keep the JVM alive until the broker has shut down cleanly
        stopped.await(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void createMissingTopics(EmbeddedKafka kafka) {
      if (topics.isEmpty()) {
        return;
      }
      List<TopicSpec> missing = topics;
      if (dir != null) {
        try (var admin = KafkaTopics.admin(kafka.bootstrapServers())) {
          var existing = admin.listTopics().names().get(KafkaTopics.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
        } catch (Exception e) {
          throw new IllegalStateException("could not list the broker's topics", e);
        }
      }
      kafka.createTopics(missing);
    }

    private static void removeHook(Thread hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running: it returns once `stopped` is counted down
      }
    }
  }

  /** Converts {@code name[:partitions[:compact]]}. */
  static final class TopicConverter implements ITypeConverter<TopicSpec> {
    @Override
    public TopicSpec convert(String value) {
      try {
        return TopicSpec.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
