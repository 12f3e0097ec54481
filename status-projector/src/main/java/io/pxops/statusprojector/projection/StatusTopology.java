package io.pxops.statusprojector.projection;

import io.pxops.events.DeadLetter;
import io.pxops.events.Envelope;
import io.pxops.events.Event;
import io.pxops.events.Topics;
import io.pxops.events.status.DatabaseStatus;
import io.pxops.events.status.RequestStatus;
import io.pxops.pipeline.BoundedRocksDb;
import io.pxops.pipeline.DeadLetters;
import io.pxops.pipeline.EnvelopeSerde;
import io.pxops.pipeline.JsonSerde;
import io.pxops.statusprojector.ProjectorConfig;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The projector's Kafka Streams topology: the lifecycle log folded into the status of every ops
 * request and every database.
 *
 * <pre>
 *  pxops.events (key: database)
 *    └ parse-events ─ not an envelope ─────────────────────────────────────► pxops.dlq
 *        ├ fold-database-status  [store database-status, key database] ─ fold error ► pxops.dlq
 *        └ key-by-ops-request ► repartition events-by-ops-request (key: ops request)
 *            └ fold-request-status [store request-status, key ops request]
 *                ├ every changed status ───────────────────────────────► pxops.status (compacted)
 *                └ fold error ─────────────────────────────────────────► pxops.dlq
 * </pre>
 *
 * <p><b>Why the repartition.</b> Every event of one ops request lives on its database's partition,
 * so the request statuses could be folded right there, in a store keyed by ops request on the
 * database's partition; the fold would be correct. Interactive queries would not: {@code
 * queryMetadataForKey} finds a key's instance by hashing that key over the partitions, and an ops
 * request key hashes to a partition unrelated to its database's, while the name in {@code GET
 * .../updaterequests/{name}} says nothing about the database. Every single read would have to ask
 * every instance. Repartitioning by ops request puts each request status on the partition its own
 * key hashes to, so reads are routed to the one owner, and {@code pxops.status} (keyed by ops
 * request) is written by that same task. The order of a request's events is kept: they come from
 * one input partition, in order, through one producer, to one repartition partition. The database
 * statuses need no repartition: they are keyed like the input.
 *
 * <p>Every store, internal topic and processor is named explicitly, and {@code
 * ensure.explicit.internal.resource.naming=true} makes Streams refuse a generated name, so a change
 * to the topology never silently orphans a store. Processing is {@code exactly_once_v2}: a store
 * update, its {@code pxops.status} record and the input offset commit together.
 */
public final class StatusTopology {

  /** The store of request statuses, keyed by ops request {@code "namespace/name"}. */
  public static final String REQUEST_STORE = "request-status";
  /**
   * Every request's {@link RequestStatus#summary()}, written with its status in the same transaction: what lists of
   * many requests (the dashboard's pages) read, so that they never deserialize every request's whole status.
   */
  public static final String SUMMARY_STORE = "request-summary";

  /** The store of database statuses, keyed by database {@code "namespace/name"}. */
  public static final String DATABASE_STORE = "database-status";

  /** The name of the repartition by ops request (the topic is {@code <app id>-<this>-repartition}). */
  public static final String BY_OPS_REQUEST = "events-by-ops-request";

  private static final JsonSerde<RequestStatus> REQUEST_SERDE = new JsonSerde<>(RequestStatus.class);
  private static final JsonSerde<DatabaseStatus> DATABASE_SERDE =
      new JsonSerde<>(DatabaseStatus.class);
  private static final JsonSerde<DeadLetter> DEAD_LETTER_SERDE = new JsonSerde<>(DeadLetter.class);

  private StatusTopology() {}

  /**
   * Builds the topology with the system clock (used only to stamp dead letters).
   *
   * @return the topology
   */
  public static Topology build() {
    return build(Clock.systemUTC());
  }

  /**
   * Builds the topology.
   *
   * @param clock stamps dead letters
   * @return the topology
   */
  public static Topology build(Clock clock) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(REQUEST_STORE), Serdes.String(), REQUEST_SERDE));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(SUMMARY_STORE), Serdes.String(), REQUEST_SERDE));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(DATABASE_STORE), Serdes.String(), DATABASE_SERDE));

    Map<String, KStream<String, Outcome<Envelope>>> parsed = builder
        .stream(Topics.EVENTS, Consumed.with(Serdes.String(), Serdes.ByteArray())
            .withName("events-source"))
        .processValues(() -> new ParseEventsProcessor(clock), Named.as("parse-events"))
        .split(Named.as("parsed-"))
        .branch((key, outcome) -> outcome.isDead(), Branched.as("invalid"))
        .defaultBranch(Branched.as("valid"));
    toDeadLetters(parsed.get("parsed-invalid"), "parse");

    KStream<String, Envelope> events =
        parsed.get("parsed-valid").mapValues(Outcome::value, Named.as("envelope"));

    events
        .processValues(() -> new DatabaseStatusProcessor(clock),
            Named.as("fold-database-status"), DATABASE_STORE)
        .to(Topics.DLQ, Produced.with(Serdes.String(), DEAD_LETTER_SERDE)
            .withName("dlq-sink-database-fold"));

    Map<String, KStream<String, Outcome<RequestStatus>>> folded = events
        // commands do not belong on the lifecycle log, and the fold ignores them anyway
        .filter((database, envelope) -> envelope.payload() instanceof Event, Named.as("events-only"))
        .selectKey((database, envelope) -> envelope.opsRequest(), Named.as("key-by-ops-request"))
        .repartition(Repartitioned.<String, Envelope>as(BY_OPS_REQUEST)
            .withKeySerde(Serdes.String())
            .withValueSerde(new EnvelopeSerde()))
        .processValues(() -> new RequestStatusProcessor(clock),
            Named.as("fold-request-status"), REQUEST_STORE, SUMMARY_STORE)
        .split(Named.as("folded-"))
        .branch((key, outcome) -> outcome.isDead(), Branched.as("failed"))
        .defaultBranch(Branched.as("changed"));
    toDeadLetters(folded.get("folded-failed"), "request-fold");
    folded.get("folded-changed")
        .mapValues(Outcome::value, Named.as("status"))
        .to(Topics.STATUS, Produced.with(Serdes.String(), REQUEST_SERDE).withName("status-sink"));
    CampaignStatusTopology.addTo(builder);

    return builder.build();
  }

  private static <T> void toDeadLetters(KStream<String, Outcome<T>> stream, String stage) {
    stream
        .mapValues(Outcome::deadLetter, Named.as("dead-letter-" + stage))
        .to(Topics.DLQ, Produced.with(Serdes.String(), DEAD_LETTER_SERDE)
            .withName("dlq-sink-" + stage));
  }

  /**
   * The Streams configuration of the projector.
   *
   * @param config the projector's configuration
   * @return the properties for {@code new KafkaStreams(topology, properties)}
   */
  public static Properties streamsConfig(ProjectorConfig config) {
    Properties p = new Properties();
    config.kafkaOverrides().forEach(p::setProperty);
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.applicationServer());
    p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.replicationFactor());
    // a status should be visible as soon as its transaction commits (the EOS default, said out loud)
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    // the transactional producer otherwise waits 100 ms on every CONCURRENT_TRANSACTIONS retry
    p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 5);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
    // static membership (KIP-345): a restarted instance takes its tasks back at once instead of the group waiting
    // for its old membership to expire; one that does not come back is replaced after the session timeout
    if (config.instanceId() != null) {
      p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
          config.applicationId() + "-" + config.instanceId());
    }
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), ProjectorConfig.SESSION_TIMEOUT_MS);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
    // two stream threads for the three partitions, unless told otherwise (PXOPS_KAFKA_NUM_STREAM_THREADS): with one,
    // every task's transaction commits in turn on that thread, and when 1,000 updates start at once the statuses
    // fell behind — status lag p99 2.5–4.2 s with one thread, 0.94 s with two, in the same fleet benchmark
    p.putIfAbsent(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2");
    // values are read as raw bytes, so deserialization cannot fail; decoding (and dead-lettering
    // what cannot be decoded) is the parse-events processor's job. Should it ever fail, stop.
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndFailExceptionHandler.class.getName());
    return p;
  }
}
