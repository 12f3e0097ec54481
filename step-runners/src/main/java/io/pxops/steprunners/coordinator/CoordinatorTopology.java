package io.pxops.steprunners.coordinator;

import io.pxops.events.DeadLetter;
import io.pxops.events.Topics;
import io.pxops.events.plan.DatabaseState;
import io.pxops.pipeline.JsonSerde;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The coordinator: the ONE place where the steps of every update are sequenced, with exactly-once semantics.
 *
 * <pre>
 *   pxops.events ──► [events-source] ──► [coordinator] ──┬─► [events-sink]   ──► pxops.events
 *                                         │  stores:     ├─► [commands-sink] ──► pxops.commands
 *                                         │  coordinator-state (database → DatabaseState)
 *                                         │  coordinator-deadlines (database → step deadline)
 *                                         └──────────────└─► [dlq-sink]      ──► pxops.dlq
 * </pre>
 *
 * <p>Every record of {@code pxops.events} is keyed by its database, so one database's admissions, step results,
 * replays and cancellations reach one task in the order they happened. The processor feeds each one to the pure
 * {@link io.pxops.events.plan.UpdatePlan}, stores the database's next state and forwards the plan's outputs, all in
 * one Kafka transaction ({@code exactly_once_v2}): a crash either loses the whole decision (and the input is read
 * again) or keeps all of it. A wall-clock punctuator fails steps that ran past their deadline. The coordinator
 * reads its own outputs back from {@code pxops.events}; the plan ignores them (its rule 1), so there is no loop.
 */
public final class CoordinatorTopology {

  public static final String SOURCE = "events-source";
  public static final String PROCESSOR = "coordinator";
  public static final String STATE_STORE = "coordinator-state";
  /** Databases with an active request and their step deadline: the punctuator reads only these. */
  public static final String DEADLINE_STORE = "coordinator-deadlines";
  public static final String EVENTS_SINK = "events-sink";
  public static final String COMMANDS_SINK = "commands-sink";
  public static final String DLQ_SINK = "dlq-sink";

  private CoordinatorTopology() {
  }

  /**
   * Builds the topology.
   *
   * @param tickInterval how often step deadlines are checked (wall-clock time)
   * @param clock the coordinator's clock, for decisions and deadlines
   */
  public static Topology build(Duration tickInterval, Clock clock) {
    return build(tickInterval, clock, CoordinatorProcessor.Plan.UPDATE_PLAN);
  }

  /** The topology around another plan: the tests of the processor's guards give it one that fails. */
  static Topology build(Duration tickInterval, Clock clock, CoordinatorProcessor.Plan plan) {
    Topology topology = new Topology();
    topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), Topics.EVENTS);
    topology.addProcessor(PROCESSOR, () -> new CoordinatorProcessor(tickInterval, clock, plan), SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_STORE),
        Serdes.String(), new JsonSerde<>(DatabaseState.class)), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEADLINE_STORE),
        Serdes.String(), Serdes.Long()), PROCESSOR);
    topology.addSink(EVENTS_SINK, Topics.EVENTS, Serdes.String().serializer(), Serdes.ByteArray().serializer(),
        PROCESSOR);
    topology.addSink(COMMANDS_SINK, Topics.COMMANDS, Serdes.String().serializer(),
        Serdes.ByteArray().serializer(), PROCESSOR);
    topology.addSink(DLQ_SINK, Topics.DLQ, Serdes.String().serializer(),
        new JsonSerde<>(DeadLetter.class).serializer(), PROCESSOR);
    CampaignTopology.addTo(topology, SOURCE, tickInterval);
    return topology;
  }
}
