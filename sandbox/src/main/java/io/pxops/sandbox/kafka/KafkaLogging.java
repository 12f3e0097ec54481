package io.pxops.sandbox.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * Keeps the broker and its clients quiet.
 *
 * <p>How logging is bound on the sandbox classpath: Kafka (broker and clients) logs through SLF4J, and the only SLF4J
 * provider present is slf4j-simple, so there is no "multiple bindings" warning. The broker jars also bring
 * log4j-api and log4j-core at runtime; Kafka uses them only for its dynamic log-level endpoint (the
 * {@code LoggingController} MBean), which logs nothing above log4j-core's unconfigured default (ERROR). None of
 * Kafka's SLF4J output reaches log4j-core: there is no SLF4J-to-Log4j bridge on the classpath.
 *
 * <p>slf4j-simple logs INFO by default, and the broker writes hundreds of INFO lines on start-up (plus every
 * client's full configuration). {@link #applyDefaults()} sets the slf4j-simple level of the {@code kafka},
 * {@code org.apache.kafka} and {@code state.change.logger} loggers to WARN, through the
 * {@code org.slf4j.simpleLogger.log.<name>} system properties that slf4j-simple reads when a logger is created.
 * It must therefore run before the first Kafka class logs; {@link EmbeddedKafka}, {@link KafkaBrokers} and
 * {@link KafkaBrokerExtension} call it. A level already given as a system property or in a
 * {@code simplelogger.properties} on the classpath wins, and a more specific name can turn a package back up, e.g.
 * {@code -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.producer=info}. With another SLF4J provider these
 * properties are inert; configure that provider instead.
 */
public final class KafkaLogging {

  static final String PREFIX = "org.slf4j.simpleLogger.log.";

  /** Logger name prefixes and their default level. */
  static final Map<String, String> DEFAULT_LEVELS = Map.of(
      "kafka", "warn",
      "org.apache.kafka", "warn",
      "state.change.logger", "warn");

  private static volatile boolean applied;

  private KafkaLogging() {}

  /** Sets the quiet defaults described above, once per JVM; cheap to call again. */
  public static void applyDefaults() {
    if (applied) {
      return;
    }
    synchronized (KafkaLogging.class) {
      if (applied) {
        return;
      }
      Properties fromFile = simpleLoggerProperties();
      DEFAULT_LEVELS.forEach((name, level) -> {
        String key = PREFIX + name;
        if (System.getProperty(key) == null && !fromFile.containsKey(key)) {
          System.setProperty(key, level);
        }
      });
      applied = true;
    }
  }

  private static Properties simpleLoggerProperties() {
    Properties p = new Properties();
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = KafkaLogging.class.getClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream("simplelogger.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
