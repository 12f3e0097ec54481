package io.pxops.steprunners.coordinator;

import io.pxops.events.DeadLetter;
import io.pxops.events.Envelope;
import io.pxops.events.GroupIds;
import io.pxops.events.Headers;
import io.pxops.events.InvalidMessageException;
import io.pxops.events.JsonCodec;
import io.pxops.events.Topics;
import io.pxops.events.plan.DatabaseState;
import io.pxops.events.plan.Decision;
import io.pxops.events.plan.IdSource;
import io.pxops.events.plan.UpdatePlan;
import io.pxops.pipeline.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the update plan to each record of the lifecycle log, and to the clock; see {@link CoordinatorTopology}. */
final class CoordinatorProcessor implements Processor<String, byte[], String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorProcessor.class);

  private final Duration tickInterval;
  private final Clock clock;
  private final IdSource ids = IdSource.random();
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, DatabaseState> states;
  private KeyValueStore<String, Long> deadlines;

  CoordinatorProcessor(Duration tickInterval, Clock clock) {
    this.tickInterval = tickInterval;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.states = context.getStateStore(CoordinatorTopology.STATE_STORE);
    this.deadlines = context.getStateStore(CoordinatorTopology.DEADLINE_STORE);
    context.schedule(tickInterval, PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    Envelope input;
    try {
      if (record.value() == null) {
        throw new InvalidMessageException(InvalidMessageException.Problem.NOT_JSON, "the record has no value", null);
      }
      input = JsonCodec.shared().decode(record.value());
    } catch (InvalidMessageException e) {
      // a poison record must not stall the database's queue behind it: set it aside with the reason
      DeadLetter letter = DeadLetters.invalid(GroupIds.COORDINATOR, context.recordMetadata().orElse(null),
          record.key(), record.value(), e, clock.instant());
      LOG.warn("dead letter from {}: {} ({})", Topics.EVENTS, letter.reason(), letter.problem());
      context.forward(record.withValue((Object) letter).withHeaders(new RecordHeaders()),
          CoordinatorTopology.DLQ_SINK);
      return;
    }
    apply(input.database(), state -> UpdatePlan.decide(state, input, clock.instant(), ids));
  }

  /** Fails the steps whose deadline passed. Only databases with an active request are looked at. */
  private void tick(long wallClockMillis) {
    Instant now = clock.instant();
    List<String> due = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = deadlines.all()) {
      while (it.hasNext()) {
        KeyValue<String, Long> entry = it.next();
        if (entry.value != null && entry.value < now.toEpochMilli()) {
          due.add(entry.key);
        }
      }
    }
    for (String database : due) {
      apply(database, state -> UpdatePlan.onTick(state, now, ids));
    }
  }

  private void apply(String database, java.util.function.Function<DatabaseState, Decision> decide) {
    DatabaseState state = states.get(database);
    if (state == null) {
      state = DatabaseState.empty(database);
    }
    Decision decision = decide.apply(state);
    if (decision.next() != state) {
      states.put(database, decision.next());
      if (decision.next().active() != null && decision.next().active().stepDeadline() != null) {
        deadlines.put(database, decision.next().active().stepDeadline().toEpochMilli());
      } else {
        deadlines.delete(database);
      }
    }
    long timestamp = clock.millis();
    for (Envelope out : decision.out()) {
      RecordHeaders headers = new RecordHeaders();
      Headers.of(out).forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
      Record<String, Object> record = new Record<>(out.database(), JsonCodec.shared().encode(out), timestamp,
          headers);
      context.forward(record, Topics.COMMANDS.equals(out.topic())
          ? CoordinatorTopology.COMMANDS_SINK : CoordinatorTopology.EVENTS_SINK);
    }
  }
}
