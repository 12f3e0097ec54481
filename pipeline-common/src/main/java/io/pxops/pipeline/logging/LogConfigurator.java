package io.pxops.pipeline.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The one logging configuration of every pxops process (the five services, the command line, the local world):
 * Logback finds it through {@code META-INF/services} before it looks for a {@code logback.xml}, so no module carries
 * its own copy. Settings: {@link LogSettings} ({@code PXOPS_LOG_FORMAT}, {@code PXOPS_LOG_LEVEL}).
 *
 * <p>Everything goes to standard output, one event a line, so that a container runtime or {@code kubectl logs}
 * collects it unchanged:
 * <ul>
 *   <li>text: {@code 2026-07-02T08:00:25.120Z INFO  [verifier-attempt] i.p.v.GaleraVerifier shop/upd-1 VERIFY_POD -
 *       …}: the ops request and the step appear when the line was written while handling a message;
 *   <li>json: Logback's own {@link JsonEncoder} ({@code timestamp}, {@code level}, {@code threadName},
 *       {@code loggerName}, {@code mdc}, {@code formattedMessage}, {@code throwable}); the raw pattern, its arguments
 *       and the sequence numbers are left out, as noise for a log search.
 * </ul>
 *
 * <p>An operator's own configuration still wins: with {@code -Dlogback.configurationFile=…}, or a
 * {@code logback.xml} on the class path, this configurator steps aside and Logback reads that file.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {

  /** The text format's pattern; {@code %replace} drops the MDC fields' separators when the MDC is empty. */
  static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%thread] %logger{30}"
      + "%replace( %X{" + LogContext.OPS_REQUEST + "}){'^ $', ''}%replace( %X{" + LogContext.STEP + "}){'^ $', ''}"
      + " - %msg%n%ex";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || getClass().getClassLoader().getResource("logback-test.xml") != null
        || getClass().getClassLoader().getResource("logback.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LogSettings settings = LogSettings.read(System.getenv(),
        Boolean.getBoolean(LogSettings.COMMAND_LINE_PROPERTY));
    // the logging system is not up yet, so its own complaint goes where an operator sees it: standard error
    settings.problems().forEach(p -> System.err.println("logging: " + p));
    apply(context, settings);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Sets up {@code context} for {@code settings}: one console appender on the root logger.
   *
   * @param context Logback's context
   * @param settings the format and level
   */
  static void apply(LoggerContext context, LogSettings settings) {
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setEncoder(encoder(context, settings.json()));
    console.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.setLevel(settings.level());
    root.addAppender(console);
  }

  /**
   * The encoder of one format, started.
   *
   * @param context Logback's context
   * @param json true for JSON lines
   * @return the encoder
   */
  public static Encoder<ILoggingEvent> encoder(LoggerContext context, boolean json) {
    if (json) {
      JsonEncoder e = new JsonEncoder();
      e.setContext(context);
      e.setWithSequenceNumber(false);
      e.setWithNanoseconds(false);
      e.setWithContext(false);
      e.setWithMessage(false);
      e.setWithArguments(false);
      e.setWithFormattedMessage(true);
      e.start();
      return e;
    }
    PatternLayoutEncoder e = new PatternLayoutEncoder();
    e.setContext(context);
    e.setPattern(TEXT_PATTERN);
    e.start();
    return e;
  }
}
