package io.pxops.pipeline.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TraceIdsTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void givenAW3cTraceparent_thenItsTraceIdIsTaken_andAMalformedOneIsNot() {
    assertThat(TraceIds.fromTraceparent("00-" + TRACE + "-00f067aa0ba902b7-01")).isEqualTo(TRACE);
    assertThat(TraceIds.fromTraceparent("00-" + TRACE.toUpperCase() + "-00f067aa0ba902b7-01")).isEqualTo(TRACE);
    assertThat(TraceIds.fromTraceparent("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")).as("all zero").isNull();
    assertThat(TraceIds.fromTraceparent("00-" + TRACE + "-01")).isNull();
    assertThat(TraceIds.fromTraceparent(TraceIds.traceparent(TRACE))).as("round trip").isEqualTo(TRACE);
  }

  @Test
  void givenCallerValues_thenOnlyTraceIdsAreTrusted_andOurHeaderWinsOverTraceparent() {
    String other = TraceIds.newId();
    assertThat(other).matches("[0-9a-f]{32}");
    assertThat(TraceIds.fromCaller(TRACE, "00-" + other + "-00f067aa0ba902b7-01")).isEqualTo(TRACE);
    assertThat(TraceIds.fromCaller("\"}{injected", "00-" + other + "-00f067aa0ba902b7-01")).isEqualTo(other);
    assertThat(TraceIds.fromCaller("x".repeat(10_000), null)).isNull();
    assertThat(TraceIds.fromUid("0b6f1c4e-8f0a-4b3e-9d2a-6c1e2f3a4b5c")).isEqualTo("0b6f1c4e8f0a4b3e9d2a6c1e2f3a4b5c");
  }

  @Test
  void givenARecordsHeaders_thenTheTraceIsReadAndReplacedNotDuplicated() {
    RecordHeaders headers = new RecordHeaders();
    assertThat(TraceIds.of(headers)).isNull();
    headers.add(TraceIds.TRACEPARENT, ("00-" + TRACE + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.UTF_8));
    assertThat(TraceIds.of(headers)).as("from traceparent").isEqualTo(TRACE);
    String ours = TraceIds.newId();
    TraceIds.put(headers, ours);
    TraceIds.put(headers, ours);
    assertThat(headers.headers(TraceIds.HEADER)).hasSize(1);
    assertThat(TraceIds.of(headers)).isEqualTo(ours);
    TraceIds.put(headers, null);
    assertThat(TraceIds.of(headers)).as("a null trace changes nothing").isEqualTo(ours);
  }
}
