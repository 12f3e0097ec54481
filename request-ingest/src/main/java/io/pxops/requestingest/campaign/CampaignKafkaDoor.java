package io.pxops.requestingest.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.DeadLetter;
import io.pxops.events.GroupIds;
import io.pxops.events.JsonCodec;
import io.pxops.events.Topics;
import io.pxops.events.campaign.CampaignRecord;
import io.pxops.pipeline.DeadLetters;
import io.pxops.pipeline.kafka.KafkaClientSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaigns' Kafka door: any Kafka client writes to {@code pxops.campaigns} in its published schema ({@code
 * docs/schema/campaign-record.schema.json}). Approve, Pause, Resume and Cancel go to the coordinator as they are. A
 * {@code Create} with a spec and no fleet is this door's: it is checked and planned like every campaign door's
 * ({@link CampaignDoor}), and written again with the fleet read from Kubernetes, which the coordinator then runs (a
 * {@code Create} without a fleet is not the coordinator's). A refusal goes to {@code pxops.dlq} with the rule, the
 * field and the message. The run's id is the record's place in the log, so a record read again after a crash makes
 * the same run, which the coordinator ignores.
 *
 * <p>Like the update requests' Kafka door: a record is committed past only once what it needs is written; until
 * then (Kubernetes or the broker away) it is tried again after a back-off, and nothing in a record can end the loop.
 */
public final class CampaignKafkaDoor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignKafkaDoor.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  /** The consumer group: its own, so that it reads every campaign record whatever else the ingest reads. */
  public static final String GROUP = GroupIds.REQUEST_INGEST + "-campaigns";

  /** What one record needs. */
  sealed interface Outcome {
    /** Nothing more (not this door's, or the completed create written). */
    record Done() implements Outcome {}

    /** Refused: its dead letter is to be written. */
    record Refused(DeadLetter letter) implements Outcome {}

    /** Not now (Kubernetes away): read it again later. */
    record NotNow(String reason) implements Outcome {}
  }

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> dlq;
  private final CampaignDoor door;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final java.util.concurrent.CountDownLatch stopping = new java.util.concurrent.CountDownLatch(1);
  private final Thread loop = new Thread(this::run, "campaign-kafka-door");
  private long backoffMillis = 100;

  /**
   * A door, not yet started.
   *
   * @param kafka the brokers and client settings
   * @param door the checks and the writes of every campaign door
   * @param clock stamps dead letters
   */
  public CampaignKafkaDoor(KafkaClientSettings kafka, CampaignDoor door, Clock clock) {
    Properties c = new Properties();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // the coordinator's records are transactional: read only committed ones
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer = new KafkaConsumer<>(kafka.properties(c), new StringDeserializer(), new ByteArrayDeserializer());
    Properties p = new Properties();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    dlq = new KafkaProducer<>(kafka.properties(p), new ByteArraySerializer(), new ByteArraySerializer());
    this.door = door;
    this.clock = clock;
  }

  /**
   * Starts reading in the background.
   *
   * @return this
   */
  public CampaignKafkaDoor start() {
    consumer.subscribe(List.of(Topics.CAMPAIGNS));
    loop.start();
    return this;
  }

  /**
   * What a record of {@code pxops.campaigns} needs of this door. Total: never throws.
   *
   * @param door the campaign door
   * @param record the record
   * @param clock stamps dead letters
   * @return the outcome
   */
  static Outcome handle(CampaignDoor door, ConsumerRecord<String, byte[]> record, Clock clock) {
    try {
      CampaignRecord read;
      try {
        read = record.value() == null ? null
            : JsonCodec.shared().mapper().readValue(record.value(), CampaignRecord.class);
      } catch (java.io.IOException e) {
        return new Outcome.Done(); // not a campaign record: the coordinator dead-letters it with the reason
      }
      if (!(read instanceof CampaignRecord.Create create) || (create.fleet() != null && !create.fleet().isNull())) {
        return new Outcome.Done();
      }
      JsonNode spec = create.spec();
      CampaignDoor.Answer answer = door.create(spec, "k" + record.partition() + "-" + record.offset(),
          create.by() == null ? "kafka" : create.by(), namespaces -> Optional.empty());
      if (answer.status() == 202) {
        return new Outcome.Done();
      }
      if (answer.status() == 503) {
        return new Outcome.NotNow(answer.body().path("message").asText());
      }
      String field = answer.body().path("field").asText("");
      return new Outcome.Refused(DeadLetters.of(GroupIds.REQUEST_INGEST, record.topic(), record.partition(),
          record.offset(), record.key(), record.value(), answer.body().path("error").asText(),
          (field.isEmpty() ? "" : field + ": ") + answer.body().path("message").asText(), clock.instant()));
    } catch (RuntimeException e) {
      return new Outcome.NotNow(e.toString());
    }
  }

  private void run() {
    try {
      while (running.get()) {
        try {
          ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(500));
          for (TopicPartition partition : batch.partitions()) {
            for (ConsumerRecord<String, byte[]> record : batch.records(partition)) {
              if (!running.get() || !handleToTheEnd(record)) {
                consumer.seek(partition, record.offset()); // read it again at the next poll, never past it
                break;
              }
              consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
            }
          }
        } catch (WakeupException e) {
          // close() woke the poll; the loop condition decides
        } catch (RuntimeException e) {
          // a poll or commit failed: nothing was committed past an unhandled record, so going on is safe
          LOG.warn("the campaigns' Kafka door failed; going on after a back-off", e);
          backOff();
        }
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private boolean handleToTheEnd(ConsumerRecord<String, byte[]> record) {
    Outcome outcome = handle(door, record, clock);
    try {
      if (outcome instanceof Outcome.Refused refused) {
        DeadLetter letter = refused.letter();
        LOG.warn("dead letter from {}-{}@{}: {} ({})", record.topic(), record.partition(), record.offset(),
            letter.reason(), letter.problem());
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(Topics.DLQ,
            record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8),
            JsonCodec.shared().mapper().writeValueAsBytes(letter));
        out.headers().add(DeadLetters.PROBLEM_HEADER, letter.problem().getBytes(StandardCharsets.UTF_8));
        out.headers().add(DeadLetters.SERVICE_HEADER, letter.service().getBytes(StandardCharsets.UTF_8));
        dlq.send(out).get(30, TimeUnit.SECONDS);
      } else if (outcome instanceof Outcome.NotNow notNow) {
        LOG.warn("{}-{}@{} cannot be handled now, trying again: {}", record.topic(), record.partition(),
            record.offset(), notNow.reason());
        backOff();
        return false;
      }
      backoffMillis = 100;
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.set(false);
      return false;
    } catch (Exception e) {
      LOG.warn("writing the dead letter of {}-{}@{} failed, trying again: {}", record.topic(), record.partition(),
          record.offset(), e.toString());
      backOff();
      return false;
    }
  }

  /** The broker or Kubernetes is away: waits before the same record again, doubling up to 10 s; close() ends it. */
  private void backOff() {
    try {
      stopping.await(backoffMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.set(false);
    }
    backoffMillis = Math.min(MAX_BACKOFF.toMillis(), backoffMillis * 2);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    stopping.countDown();
    consumer.wakeup();
    loop.join(TimeUnit.SECONDS.toMillis(15));
    dlq.close(Duration.ofSeconds(5));
  }
}
