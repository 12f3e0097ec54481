package io.pxops.pipeline.logging;

import ch.qos.logback.classic.Level;
import io.pxops.pipeline.settings.PxopsSettings;
import io.pxops.pipeline.settings.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two logging settings of every service and of the command line, read once when Logback starts, through their
 * declarations in {@link PxopsSettings} (rule, default, meaning):
 *
 * <ul>
 *   <li>{@code PXOPS_LOG_FORMAT} ({@link PxopsSettings#LOG_FORMAT}): {@code text} (default) — one human line per
 *       event, with the ops request and step when the line was written while handling a message — or {@code json}:
 *       one JSON object per line (Logback's {@code JsonEncoder}), the MDC keys of {@link LogContext} under
 *       {@code "mdc"}.
 *   <li>{@code PXOPS_LOG_LEVEL}: the root level; default {@code info} in a service ({@link PxopsSettings#LOG_LEVEL}),
 *       {@code warn} in the command line ({@link PxopsSettings#CLI_LOG_LEVEL}: it sets the
 *       {@value #COMMAND_LINE_PROPERTY} system property before anything logs, so that its answer is not buried under
 *       the Kafka client's configuration dump).
 * </ul>
 *
 * <p>Logging starts before a service reads its configuration (a static logger is created first), so a bad value
 * cannot end the process here: it is reported on standard error in one line naming the variable and the rule, and
 * the default is used; {@code ConfigOrExit} then ends the service's start with exit 2 on the same rule.
 *
 * @param json true for JSON lines
 * @param level the root level
 * @param problems what was wrong with the given values, empty when nothing was
 */
public record LogSettings(boolean json, Level level, List<String> problems) {

  /** A system property a command line sets to {@code true} before it first logs: its default level is then warn. */
  public static final String COMMAND_LINE_PROPERTY = "pxops.log.commandLine";

  /**
   * Reads the settings.
   *
   * @param env the environment
   * @param commandLine true in a command line (default level warn), false in a service (info)
   * @return the settings, with any problem found
   */
  public static LogSettings read(Map<String, String> env, boolean commandLine) {
    List<String> problems = new ArrayList<>();
    String format = value(PxopsSettings.LOG_FORMAT, env, problems, "logging as text");
    Setting<String> levelSetting = commandLine ? PxopsSettings.CLI_LOG_LEVEL : PxopsSettings.LOG_LEVEL;
    String level = value(levelSetting, env, problems, "logging at " + levelSetting.defaultValue());
    return new LogSettings("json".equals(format), Level.toLevel(level), List.copyOf(problems));
  }

  /** The setting's value, else (a bad one, named in {@code problems}) its default. */
  private static String value(Setting<String> setting, Map<String, String> env, List<String> problems,
      String instead) {
    try {
      return setting.read(env);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage() + "; " + instead);
      return setting.read(Map.of());
    }
  }
}
