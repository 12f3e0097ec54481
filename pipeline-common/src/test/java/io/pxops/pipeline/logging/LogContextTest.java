package io.pxops.pipeline.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.Envelope;
import io.pxops.events.EvictPod;
import io.pxops.events.ReplayRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LogContextTest {

  private static final Logger LOG = LoggerFactory.getLogger(LogContextTest.class);
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  private static Envelope evict() {
    return Envelope.of(UUID.randomUUID().toString(), "shop/upd-1", "shop/orders", Instant.now(), null,
        new EvictPod("orders-2", "percona/xtradb:8.0.40", Duration.ofMinutes(5)));
  }

  @Test
  void givenALineWrittenWhileHandlingACommand_thenItsJsonLineCarriesTheRequestDatabaseStepEventAndTrace() {
    Envelope command = evict();
    try (JsonLogCapture capture = JsonLogCapture.of(LogContextTest.class)) {
      try (LogContext.Scope scope = LogContext.of(command, TRACE)) {
        LOG.info("evicting {}", "orders-2");
      }
      LOG.info("after the handling");

      JsonNode handling = capture.lines().get(0);
      assertThat(handling.path("formattedMessage").asText()).isEqualTo("evicting orders-2");
      assertThat(handling.path("level").asText()).isEqualTo("INFO");
      JsonNode mdc = handling.path("mdc");
      assertThat(mdc.path("opsRequest").asText()).isEqualTo("shop/upd-1");
      assertThat(mdc.path("database").asText()).isEqualTo("shop/orders");
      assertThat(mdc.path("step").asText()).isEqualTo("EVICT_POD");
      assertThat(mdc.path("pod").asText()).isEqualTo("orders-2");
      assertThat(mdc.path("eventId").asText()).isEqualTo(command.eventId());
      assertThat(mdc.path("type").asText()).isEqualTo("EvictPod");
      assertThat(mdc.path("traceId").asText()).isEqualTo(TRACE);
      assertThat(capture.lines().get(1).path("mdc").isMissingNode() || capture.lines().get(1).path("mdc").isEmpty())
          .as("nothing left behind after the scope: " + capture.lines().get(1)).isTrue();
    }
  }

  @Test
  void givenAScopeInsideAnother_thenClosingItPutsBackTheOuterContext() {
    try (LogContext.Scope outer = LogContext.of("shop/upd-1", "shop/orders", TRACE)) {
      Envelope other = Envelope.of(UUID.randomUUID().toString(), "shop/upd-2", "shop/orders", Instant.now(), null,
          new ReplayRequested("http"));
      try (LogContext.Scope inner = LogContext.of(other, null)) {
        assertThat(LogContext.opsRequest()).isEqualTo("shop/upd-2");
        assertThat(LogContext.traceId()).as("no trace leaks from the outer request").isNull();
        assertThat(MDC.get(LogContext.STEP)).as("an admission concerns no step").isNull();
      }
      assertThat(LogContext.opsRequest()).isEqualTo("shop/upd-1");
      assertThat(LogContext.traceId()).isEqualTo(TRACE);
    }
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  void givenWorkHandedToAnotherThread_thenItRunsInTheContextItWasHandedOverIn() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Runnable task;
      Map<String, String>[] seen = new Map[2];
      try (LogContext.Scope scope = LogContext.of(evict(), TRACE)) {
        task = LogContext.carry(() -> {
          seen[0] = MDC.getCopyOfContextMap();
        });
      }
      pool.submit(task).get();
      pool.submit(() -> {
        seen[1] = MDC.getCopyOfContextMap();
      }).get();
      assertThat(seen[0]).containsEntry(LogContext.TRACE_ID, TRACE).containsEntry(LogContext.OPS_REQUEST,
          "shop/upd-1");
      assertThat(seen[1]).as("the pooled thread is clean again afterwards").isNullOrEmpty();
    } finally {
      pool.shutdownNow();
    }
  }
}
