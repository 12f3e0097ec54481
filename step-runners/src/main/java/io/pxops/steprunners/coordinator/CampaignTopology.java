package io.pxops.steprunners.coordinator;

import io.pxops.events.DeadLetter;
import io.pxops.events.Topics;
import io.pxops.pipeline.JsonSerde;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Campaigns on the pipeline, as two processors added to the coordinator's topology (so they run in
 * the coordinator's process, under its exactly-once transactions, and need no deployment of their
 * own):
 *
 * <pre>
 *   pxops.events ──► [events-source] ──► [campaign-results] ──► pxops.campaigns   (MemberFinished)
 *                        (the coordinator's)   store campaign-members (ops request → its campaign)
 *
 *   pxops.campaigns ──► [campaigns-source] ──► [campaigns] ──┬─► pxops.campaigns (Decided, Progress)
 *                                               stores:      ├─► pxops.requests  (a member's update request)
 *                                               campaign-runs, campaign-wakeups └─► pxops.dlq
 * </pre>
 *
 * <p>Why a processor beside the update one rather than inside it: the update plan is keyed by
 * database and a campaign spans many, so a campaign needs its own key (its name) and its own
 * store; and its own processor leaves the update plan's code and timing untouched. Why the same
 * process rather than a service of its own: the campaign is as much the coordinator's job (what
 * runs when), its results come from the same log the coordinator already reads, and a second
 * Streams application would be one more deployment for no isolation the transactions do not give.
 *
 * <p>Members are submitted as ordinary update requests on {@code pxops.requests}, the Kafka door:
 * the same schema, admission and queue rules as any client's, so a campaign can do nothing a user
 * could not. A member's request carries its campaign in its {@code clientRequestId} ({@link
 * io.pxops.events.campaign.CampaignRecord.Link}), which the doors carry into {@code
 * RequestAdmitted}; {@code campaign-results} notes it there and turns the request's end into a
 * {@code MemberFinished} for the campaign.
 */
public final class CampaignTopology {

  public static final String RESULTS = "campaign-results";
  public static final String MEMBERS_STORE = "campaign-members";
  public static final String RESULTS_SINK = "campaign-results-sink";
  public static final String SOURCE = "campaigns-source";
  public static final String PROCESSOR = "campaigns";
  /** Each campaign's run: its create record and its decisions so far. */
  public static final String RUNS_STORE = "campaign-runs";
  /** Campaigns that time alone will move, with when: the punctuator reads only these. */
  public static final String WAKEUPS_STORE = "campaign-wakeups";
  public static final String LOG_SINK = "campaign-log-sink";
  public static final String REQUESTS_SINK = "campaign-requests-sink";
  public static final String DLQ_SINK = "campaign-dlq-sink";

  private CampaignTopology() {}

  /**
   * Adds the campaign processors to the coordinator's topology.
   *
   * @param topology the coordinator's topology
   * @param eventsSource the name of its source of {@code pxops.events}
   * @param tickInterval how often waiting campaigns are looked at (wall-clock time)
   */
  public static void addTo(Topology topology, String eventsSource, Duration tickInterval) {
    topology.addProcessor(RESULTS, CampaignResultRouter::new, eventsSource);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(MEMBERS_STORE), Serdes.String(), Serdes.String()),
        RESULTS);
    topology.addSink(
        RESULTS_SINK,
        Topics.CAMPAIGNS,
        Serdes.String().serializer(),
        Serdes.ByteArray().serializer(),
        RESULTS);

    topology.addSource(
        SOURCE,
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        Topics.CAMPAIGNS);
    topology.addProcessor(PROCESSOR, () -> new CampaignProcessor(tickInterval), SOURCE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(RUNS_STORE),
            Serdes.String(),
            new JsonSerde<>(CampaignProcessor.Run.class)),
        PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(WAKEUPS_STORE), Serdes.String(), Serdes.Long()),
        PROCESSOR);
    topology.addSink(
        LOG_SINK,
        Topics.CAMPAIGNS,
        Serdes.String().serializer(),
        Serdes.ByteArray().serializer(),
        PROCESSOR);
    topology.addSink(
        REQUESTS_SINK,
        Topics.REQUESTS,
        Serdes.String().serializer(),
        Serdes.ByteArray().serializer(),
        PROCESSOR);
    topology.addSink(
        DLQ_SINK,
        Topics.DLQ,
        Serdes.String().serializer(),
        new JsonSerde<>(DeadLetter.class).serializer(),
        PROCESSOR);
  }
}
