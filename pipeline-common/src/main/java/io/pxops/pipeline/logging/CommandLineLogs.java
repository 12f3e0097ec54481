package io.pxops.pipeline.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.pxops.pipeline.settings.PxopsSettings;
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
    System.setProperty(LogSettings.COMMAND_LINE_PROPERTY, "true");
    if (env.get(PxopsSettings.CLI_LOG_LEVEL.name()) == null && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger("org.apache.kafka").setLevel(Level.ERROR);
    }
  }
}
