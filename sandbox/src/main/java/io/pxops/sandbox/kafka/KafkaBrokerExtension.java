package io.pxops.sandbox.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests a {@link KafkaBroker} parameter: ONE broker per test JVM, chosen by
 * {@link KafkaBrokers#fromEnvironment()}, started before the first test class that uses the extension and closed
 * when the whole run ends (it lives in the root context's store, which closes {@link AutoCloseable} values).
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class SomeIT {
 *   @Test void works(KafkaBroker kafka) {
 *     String topic = UniqueNames.unique("some-topic");
 *     kafka.createTopics(TopicSpec.of(topic, 3));
 *     ... kafka.bootstrapServers() ...
 *   }
 * }
 * }</pre>
 *
 * <p>Because the broker is shared, every test uses its own topics, {@code group.id}s, {@code transactional.id}s and
 * {@code application.id}s ({@link UniqueNames#unique(String)}).
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(KafkaBrokerExtension.class);
  private static final String KEY = "broker";

  @Override
  public void beforeAll(ExtensionContext context) {
    broker(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return broker(context);
  }

  /** The shared broker, started on first use. */
  public static KafkaBroker broker(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(KEY, k -> Shared.start(), Shared.class).broker();
  }

  /** The store value: closes the broker at the end of the run and says how long that took. */
  record Shared(KafkaBroker broker) implements AutoCloseable {

    static Shared start() {
      KafkaLogging.applyDefaults();
      OptionalLong rssBefore = residentSetBytes();
      long t0 = System.nanoTime();
      KafkaBroker broker = KafkaBrokers.fromEnvironment();
      long millis = broker instanceof EmbeddedKafka embedded ? embedded.startupTime().toMillis()
          : (System.nanoTime() - t0) / 1_000_000;
      OptionalLong rssAfter = residentSetBytes();
      String rss = rssBefore.isPresent() && rssAfter.isPresent()
          ? String.format(", RSS %+d MiB", (rssAfter.getAsLong() - rssBefore.getAsLong()) >> 20) : "";
      System.out.printf("[kafka] %s ready in %d ms%s%n", broker.describe(), millis, rss);
      return new Shared(broker);
    }

    @Override
    public void close() {
      long t0 = System.nanoTime();
      broker.close();
      System.out.printf("[kafka] %s closed in %d ms%n", broker.describe(), (System.nanoTime() - t0) / 1_000_000);
    }
  }

  /** The resident set size of this process where the OS reports it (Linux), else empty. */
  static OptionalLong residentSetBytes() {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return OptionalLong.empty();
    }
    try {
      for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }
}
