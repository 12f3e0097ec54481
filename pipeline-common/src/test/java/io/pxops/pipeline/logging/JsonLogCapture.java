package io.pxops.pipeline.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The JSON lines the production encoder ({@link LogConfigurator#encoder}, {@code PXOPS_LOG_FORMAT=json}) writes for
 * one logger, captured in memory and parsed with Jackson: what a log collector would read.
 */
public final class JsonLogCapture implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Logger logger;
  private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private JsonLogCapture(Class<?> of) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    logger = context.getLogger(of);
    appender.setContext(context);
    appender.setName("json-capture-" + of.getSimpleName());
    appender.setEncoder(LogConfigurator.encoder(context, true));
    appender.setOutputStream(out);
    appender.setImmediateFlush(true);
    appender.start();
    logger.addAppender(appender);
  }

  /** Captures what {@code of}'s logger writes from now until {@link #close()}. */
  public static JsonLogCapture of(Class<?> of) {
    return new JsonLogCapture(of);
  }

  /** Every line so far, each parsed as one JSON object (a line that is not one fails the test). */
  public List<JsonNode> lines() {
    String text;
    synchronized (out) {
      text = out.toString(StandardCharsets.UTF_8);
    }
    List<JsonNode> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        try {
          lines.add(JSON.readTree(line));
        } catch (java.io.IOException e) {
          throw new UncheckedIOException("not a JSON line: " + line, e);
        }
      }
    }
    return lines;
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
