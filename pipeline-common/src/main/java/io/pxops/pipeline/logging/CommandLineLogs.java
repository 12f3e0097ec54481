package io.pxops.pipeline.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * How a command line logs (the {@code pxops} command, the developer's {@code pxops}); a class of its own so that the
 * command line, which has Logback at runtime only, can call it.
 */
public final class CommandLineLogs {

  private CommandLineLogs() {}

  /**
   * For a command line, before anything logs: its answer is what it prints, so its default level is warn, and the
   * Kafka client's connection warnings are off (with a broker unreachable the client repeats one every back-off until
   * the command gives up and says so itself, once). With {@code PXOPS_LOG_LEVEL} set, everything logs at that level.
   *
   * @param env the environment
   */
  public static void quiet(Map<String, String> env) {
    System.setProperty(LogSettings.DEFAULT_LEVEL_PROPERTY, "warn");
    if (env.get(LogSettings.LEVEL) == null && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger("org.apache.kafka").setLevel(Level.ERROR);
    }
  }
}
