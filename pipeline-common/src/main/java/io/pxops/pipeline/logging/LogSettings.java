package io.pxops.pipeline.logging;

import ch.qos.logback.classic.Level;
import java.util.Locale;
import java.util.Map;

/**
 * The two logging settings of every service and of the command line, read once when Logback starts.
 *
 * <ul>
 *   <li>{@code PXOPS_LOG_FORMAT}: {@code text} (default) — one human line per event, with the ops request and step
 *       when the line was written while handling a message — or {@code json}: one JSON object per line (Logback's
 *       {@code JsonEncoder}), the MDC keys of {@link LogContext} under {@code "mdc"}.
 *   <li>{@code PXOPS_LOG_LEVEL}: the root level, one of {@code trace}, {@code debug}, {@code info}, {@code warn},
 *       {@code error}, {@code off}; default {@code info} in a service, {@code warn} in the command line (it sets the
 *       {@value #DEFAULT_LEVEL_PROPERTY} system property before anything logs, so its answer is not buried under
 *       the Kafka client's configuration dump).
 * </ul>
 *
 * <p>Logging starts before any service's configuration is read (a static logger is created first), so these two
 * cannot end the process like a bad {@code ConfigOrExit} setting: a bad value is reported on standard error in one
 * line naming the variable and the rule, and the default is used.
 *
 * @param json true for JSON lines
 * @param level the root level
 * @param problems what was wrong with the given values, empty when nothing was
 */
public record LogSettings(boolean json, Level level, java.util.List<String> problems) {

  /** The environment variable of the format. */
  public static final String FORMAT = "PXOPS_LOG_FORMAT";
  /** The environment variable of the level. */
  public static final String LEVEL = "PXOPS_LOG_LEVEL";
  /** A system property a program sets before it first logs to change the default level (the CLI: warn). */
  public static final String DEFAULT_LEVEL_PROPERTY = "pxops.log.defaultLevel";

  private static final java.util.Set<String> LEVELS = java.util.Set.of("trace", "debug", "info", "warn", "error",
      "off");

  /**
   * Reads the settings.
   *
   * @param env the environment
   * @param defaultLevel the level when {@code PXOPS_LOG_LEVEL} is not set (or bad)
   * @return the settings, with any problem found
   */
  public static LogSettings read(Map<String, String> env, String defaultLevel) {
    java.util.List<String> problems = new java.util.ArrayList<>();
    String format = trimmed(env.get(FORMAT));
    boolean json = false;
    if (format != null) {
      switch (format.toLowerCase(Locale.ROOT)) {
        case "json" -> json = true;
        case "text" -> json = false;
        default -> problems.add(FORMAT + " must be text or json but was \"" + format + "\"; logging as text");
      }
    }
    String fallback = defaultLevel != null && LEVELS.contains(defaultLevel.toLowerCase(Locale.ROOT))
        ? defaultLevel.toLowerCase(Locale.ROOT) : "info";
    String level = trimmed(env.get(LEVEL));
    if (level != null && !LEVELS.contains(level.toLowerCase(Locale.ROOT))) {
      problems.add(LEVEL + " must be one of trace, debug, info, warn, error, off but was \"" + level
          + "\"; logging at " + fallback);
      level = null;
    }
    return new LogSettings(json, Level.toLevel(level == null ? fallback : level.toLowerCase(Locale.ROOT)),
        java.util.List.copyOf(problems));
  }

  private static String trimmed(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
