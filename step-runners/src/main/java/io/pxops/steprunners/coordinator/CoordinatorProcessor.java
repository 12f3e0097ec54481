package io.pxops.steprunners.coordinator;

import io.pxops.events.Command;
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
import io.pxops.pipeline.logging.LogContext;
import io.pxops.pipeline.logging.TraceIds;
import io.pxops.pipeline.metrics.PxopsMeters;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
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

  /** The dead-letter problem of a valid lifecycle record that the update plan threw on. */
  static final String PLAN_FAILED = "PlanFailed";

  /** The plan's two entry points; {@link UpdatePlan} in production, a seam for the tests of this class's guards. */
  interface Plan {
    /** The plan applied to one input; see {@link UpdatePlan#decide}. */
    Decision decide(DatabaseState state, Envelope input, Instant now, IdSource ids);

    /** The plan applied to the clock; see {@link UpdatePlan#onTick}. */
    Decision onTick(DatabaseState state, Instant now, IdSource ids);

    /** The update plan itself. */
    Plan UPDATE_PLAN = new Plan() {
      @Override
      public Decision decide(DatabaseState state, Envelope input, Instant now, IdSource ids) {
        return UpdatePlan.decide(state, input, now, ids);
      }

      @Override
      public Decision onTick(DatabaseState state, Instant now, IdSource ids) {
        return UpdatePlan.onTick(state, now, ids);
      }
    };
  }

  private final Duration tickInterval;
  private final Clock clock;
  private final Plan plan;
  private final IdSource ids = IdSource.random();
  private ProcessorContext<String, Object> context;
  /** The commit interval: the quiet spell after which a decision asks for its commit at once ({@link #commitSoon}). */
  private long commitSpacingNanos;
  /** When a decision of this processor last wrote something ({@code System.nanoTime()}), 0 before the first. */
  private long lastOutput;
  private KeyValueStore<String, DatabaseState> states;
  private KeyValueStore<String, Long> deadlines;
  /**
   * The trace id of each ops request seen lately, for the records decided without an input record of that request:
   * a deadline's tick, or the next queued request started by the end of another. Memory only, bounded (the oldest
   * goes first): after a restart such a record carries no trace id until the request's next input brings it back.
   */
  private final Map<String, String> traces = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > RECENT_TRACES;
    }
  };

  /** How many ops requests' trace ids are remembered (a few hundred bytes each). */
  static final int RECENT_TRACES = 10_000;

  CoordinatorProcessor(Duration tickInterval, Clock clock, Plan plan) {
    this.tickInterval = tickInterval;
    this.clock = clock;
    this.plan = plan;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    Object interval = context.appConfigs().get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
    this.commitSpacingNanos = interval == null ? 0 : Long.parseLong(interval.toString()) * 1_000_000L;
    this.states = context.getStateStore(CoordinatorTopology.STATE_STORE);
    this.deadlines = context.getStateStore(CoordinatorTopology.DEADLINE_STORE);
    context.schedule(tickInterval, PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  /**
   * Under exactly-once a command is readable (read_committed) only once the transaction that wrote it commits, and
   * Streams commits on its interval: a lone step waited ~half an interval for it. A decision that wrote something
   * after a quiet spell (no other decision wrote anything for a commit interval) asks for the commit at once; the
   * stream thread commits at the end of this loop, with whatever else its poll brought. While decisions come faster
   * than that, the interval's commits batch them, as before: asking on every decision made four requests in flight
   * wait for each other's transactions. Measured with scripts/bench.sh --suites latency, old and new in one
   * sitting: one request in flight p50 27 -> 16 ms; four in flight, asking on every decision, p50 33 -> 55 ms.
   */
  private void commitSoon() {
    long now = System.nanoTime();
    if (lastOutput == 0 || now - lastOutput >= commitSpacingNanos) {
      context.commit();
    }
    lastOutput = now == 0 ? 1 : now;
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
    String trace = TraceIds.of(record.headers());
    if (trace != null) {
      traces.put(input.opsRequest(), trace);
    } else {
      trace = traces.get(input.opsRequest());
    }
    try (LogContext.Scope scope = LogContext.of(input, trace)) {
      decide(record, input);
    }
  }

  private void decide(Record<String, byte[]> record, Envelope input) {
    try {
      Decision decision = apply(input.database(), state -> plan.decide(state, input, clock.instant(), ids));
      handover(record.timestamp(), decision);
    } catch (RuntimeException e) {
      // The plan is pure and exhaustively tested, so this is a bug; but an exception here would kill the stream
      // thread, and the restarted coordinator would read the same record and die again: every database wedged
      // behind one record. Set the record aside instead, with the reason; the request it belonged to is not left
      // hanging, because its step deadline still stands and the tick fails it with StepTimedOut.
      DeadLetter letter = DeadLetters.of(GroupIds.COORDINATOR, context.recordMetadata().orElse(null), record.key(),
          record.value(), PLAN_FAILED, "the update plan could not apply " + input.type() + " " + input.eventId()
              + ": " + e, clock.instant());
      LOG.error("dead letter from {}: {}", Topics.EVENTS, letter.reason(), e);
      context.forward(record.withValue((Object) letter).withHeaders(new RecordHeaders()),
          CoordinatorTopology.DLQ_SINK);
    }
  }

  /**
   * Fails the steps whose deadline passed, and starts the requests whose window opened. Only databases with such a
   * time due are looked at ({@link DatabaseState#wakeAt}).
   */
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
      try (LogContext.Scope scope = LogContext.of(null, database, null)) {
        apply(database, state -> plan.onTick(state, now, ids));
      } catch (RuntimeException e) {
        // one database's bug must not stop the deadlines of all the others (nor kill the stream thread)
        LOG.error("the update plan could not check the deadline of {}", database, e);
      }
    }
  }

  /**
   * The hand-over: from the input's append to the log (its record timestamp) to the commands it led to, written
   * now. What an operator reads as "the pipeline's own overhead between two steps", as against the steps' work.
   */
  private void handover(long appendedAt, Decision decision) {
    long took = Math.max(0, clock.millis() - appendedAt);
    for (Envelope out : decision.out()) {
      if (out.payload() instanceof Command command) {
        PxopsMeters.handover(command.step().name()).record(Duration.ofMillis(took));
      }
    }
  }

  private Decision apply(String database, java.util.function.Function<DatabaseState, Decision> decide) {
    DatabaseState state = states.get(database);
    if (state == null) {
      state = DatabaseState.empty(database);
    }
    Decision decision = decide.apply(state);
    if (decision.next() != state) {
      states.put(database, decision.next());
      // a step's deadline, or the opening of a window a request waits for: either needs a tick
      Instant wakeAt = decision.next().wakeAt();
      if (wakeAt != null) {
        deadlines.put(database, wakeAt.toEpochMilli());
      } else {
        deadlines.delete(database);
      }
    }
    if (!decision.out().isEmpty()) {
      // one line per decision that says something (a few per step): with the MDC, the request's story in the log
      LOG.info("decided {}", decision.out().stream().map(Envelope::type).toList());
    }
    long timestamp = clock.millis();
    String handling = LogContext.opsRequest();
    for (Envelope out : decision.out()) {
      RecordHeaders headers = new RecordHeaders();
      Headers.of(out).forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
      // the input's trace for what concerns the input's request; a request's own trace for any other (a queued
      // request started by the end of the one before it must not be followed under that one's trace)
      TraceIds.put(headers, out.opsRequest().equals(handling) && LogContext.traceId() != null
          ? LogContext.traceId() : traces.get(out.opsRequest()));
      Record<String, Object> record = new Record<>(out.database(), JsonCodec.shared().encode(out), timestamp,
          headers);
      context.forward(record, Topics.COMMANDS.equals(out.topic())
          ? CoordinatorTopology.COMMANDS_SINK : CoordinatorTopology.EVENTS_SINK);
    }
    if (!decision.out().isEmpty()) {
      commitSoon();
    }
    return decision;
  }
}
