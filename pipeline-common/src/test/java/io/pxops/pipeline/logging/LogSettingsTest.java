package io.pxops.pipeline.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LogSettingsTest {

  @Test
  void givenNothingSet_thenHumanTextLinesAtInfo_andTheCommandLinesDefaultIsWarn() {
    LogSettings service = LogSettings.read(Map.of(), false);
    assertThat(service.json()).as("text is the default").isFalse();
    assertThat(service.level()).isEqualTo(Level.INFO);
    assertThat(service.problems()).isEmpty();
    assertThat(LogSettings.read(Map.of(), true).level()).isEqualTo(Level.WARN);
  }

  @Test
  void givenJsonAndALevel_thenBothAreTaken() {
    LogSettings s = LogSettings.read(Map.of("PXOPS_LOG_FORMAT", "JSON", "PXOPS_LOG_LEVEL", " debug "), true);
    assertThat(s.json()).isTrue();
    assertThat(s.level()).isEqualTo(Level.DEBUG);
  }

  @Test
  void givenBadValues_thenEachProblemNamesTheVariableAndTheRule_andTheDefaultsStand() {
    LogSettings s = LogSettings.read(Map.of("PXOPS_LOG_FORMAT", "xml", "PXOPS_LOG_LEVEL", "loud"), false);
    assertThat(s.json()).isFalse();
    assertThat(s.level()).isEqualTo(Level.INFO);
    assertThat(s.problems()).containsExactly(
        "PXOPS_LOG_FORMAT must be text or json but was \"xml\"; logging as text",
        "PXOPS_LOG_LEVEL must be error, warn, info, debug or trace but was \"loud\"; logging at info");
  }

  @Test
  void givenTheDefaultSettings_thenTheConsoleWritesAHumanLineNamingTheRequestAndStep() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter());
    LogConfigurator.apply(context, LogSettings.read(Map.of(), false));
    ConsoleAppender<?> console = (ConsoleAppender<?>) context.getLogger("ROOT").getAppender("console");
    assertThat(console.getEncoder()).isInstanceOf(PatternLayoutEncoder.class);
    PatternLayoutEncoder encoder = (PatternLayoutEncoder) console.getEncoder();

    MDC.put(LogContext.OPS_REQUEST, "shop/upd-1");
    MDC.put(LogContext.STEP, "EVICT_POD");
    String handling;
    try {
      handling = line(encoder, context, "evicting orders-2");
    } finally {
      MDC.clear();
    }
    String idle = line(encoder, context, "started");
    assertThat(handling).contains(" INFO ", " shop/upd-1 EVICT_POD - evicting orders-2").doesNotStartWith("{");
    assertThat(idle).contains("LogSettingsTest - started");
    context.stop();
  }

  @Test
  void givenACommandLine_thenTheKafkaClientsWarningsAreOff_unlessALevelIsAsked() {
    ch.qos.logback.classic.Logger kafka = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.kafka");
    String before = System.getProperty(LogSettings.COMMAND_LINE_PROPERTY);
    try {
      CommandLineLogs.quiet(Map.of("PXOPS_LOG_LEVEL", "info"));
      assertThat(LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").isWarnEnabled())
          .as("asked for").isTrue();
      CommandLineLogs.quiet(Map.of());
      assertThat(LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").isWarnEnabled()).isFalse();
      assertThat(LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").isErrorEnabled()).isTrue();
      assertThat(Boolean.getBoolean(LogSettings.COMMAND_LINE_PROPERTY)).isTrue();
    } finally {
      kafka.setLevel(null);
      if (before == null) {
        System.clearProperty(LogSettings.COMMAND_LINE_PROPERTY);
      } else {
        System.setProperty(LogSettings.COMMAND_LINE_PROPERTY, before);
      }
    }
  }

  private static String line(PatternLayoutEncoder encoder, LoggerContext context, String message) {
    LoggingEvent event = new LoggingEvent(LogSettingsTest.class.getName(), context.getLogger(LogSettingsTest.class),
        Level.INFO, message, null, null);
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }
}
