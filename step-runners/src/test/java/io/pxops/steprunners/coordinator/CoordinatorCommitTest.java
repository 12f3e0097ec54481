package io.pxops.steprunners.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.events.Message;
import io.pxops.events.PreflightPassed;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.plan.DatabaseState;
import io.pxops.pipeline.JsonSerde;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator asks Streams to commit as soon as a decision wrote something: under exactly-once its commands are
 * invisible to the runners until that commit, so waiting for the commit interval made every step wait (the update's
 * overhead, issue 16) — after a quiet spell of one commit interval, so that a busy coordinator still batches. A record that
 * decides nothing asks for no commit.
 */
class CoordinatorCommitTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  private MockProcessorContext<String, Object> context;
  private CoordinatorProcessor processor;

  @BeforeEach
  void start() {
    start(Duration.ofMinutes(1));
  }

  private void start(Duration commitInterval) {
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "coordinator-commit-test");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
    context = new MockProcessorContext<>(config);
    KeyValueStore<String, DatabaseState> states = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(CoordinatorTopology.STATE_STORE), Serdes.String(),
        new JsonSerde<>(DatabaseState.class)).withLoggingDisabled().build();
    KeyValueStore<String, Long> deadlines = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(CoordinatorTopology.DEADLINE_STORE), Serdes.String(), Serdes.Long())
        .withLoggingDisabled().build();
    states.init(context.getStateStoreContext(), states);
    deadlines.init(context.getStateStoreContext(), deadlines);
    context.addStateStore(states);
    context.addStateStore(deadlines);
    processor = new CoordinatorProcessor(Duration.ofSeconds(1), Clock.fixed(NOW, ZoneOffset.UTC),
        CoordinatorProcessor.Plan.UPDATE_PLAN);
    processor.init(context);
  }

  @Test
  void givenADecisionThatIssuesACommand_thenACommitIsRequestedAtOnce() {
    RequestAdmitted admitted = (RequestAdmitted) CoordinatorTopologyTest.admitted("orders", "upd-1");

    process(admitted, "shop/upd-1", null);

    assertThat(context.forwarded()).as("RequestStarted and RunPreflight").isNotEmpty();
    assertThat(context.committed()).isTrue();
  }

  @Test
  void givenASecondDecisionWithinTheCommitInterval_thenItWaitsForTheIntervalsCommit() {
    process(CoordinatorTopologyTest.admitted("orders", "upd-1"), "shop/upd-1", null);
    context.resetCommit();

    process(CoordinatorTopologyTest.admitted("orders", "upd-2"), "shop/upd-2", null);

    assertThat(context.forwarded()).as("decided and written").isNotEmpty();
    assertThat(context.committed()).as("no transaction per input under load").isFalse();
  }

  @Test
  void givenACommitIntervalOfZero_thenEveryDecisionAsksForItsCommit() {
    start(Duration.ZERO);
    process(CoordinatorTopologyTest.admitted("orders", "upd-1"), "shop/upd-1", null);
    context.resetCommit();

    process(CoordinatorTopologyTest.admitted("orders", "upd-2"), "shop/upd-2", null);

    assertThat(context.committed()).isTrue();
  }

  @Test
  void givenARecordThatDecidesNothing_thenNoCommitIsRequested() {
    // a result nobody asked for (no request runs on this database): the plan ignores it
    process(new PreflightPassed("10.11.18", 3, List.of()), "shop/nobody", UUID.randomUUID().toString());

    assertThat(context.forwarded()).isEmpty();
    assertThat(context.committed()).isFalse();
  }

  private void process(Message message, String opsRequest, String causationId) {
    Envelope e = Envelope.of(UUID.randomUUID().toString(), opsRequest, "shop/orders", NOW, causationId, message);
    processor.process(new Record<>(e.database(), JsonCodec.shared().encode(e), NOW.toEpochMilli()));
  }
}
