package io.pxops.sandbox.kafka;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Keeps the broker and its clients quiet.
 *
 * <p>How logging is bound on the sandbox classpath: Kafka (broker and clients) logs through SLF4J, and the only SLF4J
 * provider present is Logback, configured by pipeline-common's {@code LogConfigurator} like every pxops process. The
 * broker jars also bring log4j-api and log4j-core at runtime; Kafka uses them only for its dynamic log-level endpoint
 * (the {@code LoggingController} MBean), which logs nothing above log4j-core's unconfigured default (ERROR). None of
 * Kafka's SLF4J output reaches log4j-core: there is no SLF4J-to-Log4j bridge on the classpath.
 *
 * <p>The broker writes hundreds of INFO lines on start-up (plus every client's full configuration), which would
 * bury a test's or the demo's own output. {@link #applyDefaults()} sets the Logback level of the {@code kafka},
 * {@code org.apache.kafka} and {@code state.change.logger} loggers to WARN in this JVM (the one running the embedded
 * broker); the services the local world starts are other JVMs and log as in production. A level already set on one
 * of these loggers (by an operator's {@code logback.xml}, or by a test) is left as it is, and a more specific logger
 * can still be turned back up, e.g. {@code org.apache.kafka.clients.producer} to INFO.
 */
public final class KafkaLogging {

  /** Logger names and their default level. */
  static final Map<String, Level> DEFAULT_LEVELS = Map.of(
      "kafka", Level.WARN,
      "org.apache.kafka", Level.WARN,
      "state.change.logger", Level.WARN);

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
      DEFAULT_LEVELS.forEach((name, level) -> {
        if (LoggerFactory.getLogger(name) instanceof Logger logger && logger.getLevel() == null) {
          logger.setLevel(level);
        }
      });
      applied = true;
    }
  }
}
