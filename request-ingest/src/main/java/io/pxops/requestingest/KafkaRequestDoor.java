package io.pxops.requestingest;

import io.pxops.pipeline.logging.LogContext;
import io.pxops.pipeline.logging.TraceIds;
import io.pxops.events.DeadLetter;
import io.pxops.events.Envelope;
import io.pxops.events.GroupIds;
import io.pxops.events.JsonCodec;
import io.pxops.events.Topics;
import io.pxops.pipeline.DeadLetters;
import io.pxops.pipeline.kafka.KafkaClientSettings;
import io.pxops.pipeline.metrics.ServiceMetrics;
import io.pxops.pipeline.steps.CommandService;
import io.pxops.requestingest.KafkaRequestRecords.RecordOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka door: any Kafka client may write a request to {@code pxops.requests} in the published JSON Schema
 * ({@code schema/update-request.schema.json}, example in {@code docs/examples/update-request.json}). Each record is
 * read against the schema, then judged by the same admission as every door, and created as an ops request object
 * (the Kubernetes door admits it onto the lifecycle log). A record that is not JSON or not of the schema's shape
 * goes to {@code pxops.dlq} with the field and the rule; one that breaks a rule gets a {@code RequestRejected} on the
 * lifecycle log, so the status shows why.
 *
 * <p>No record can end the loop. One record once did: an exception escaped, the door's thread died with the
 * process still up and healthy, every later request was silently never admitted, and a restart read the same
 * record and died again. Now:
 * <ul>
 *   <li>keys and values are read as bytes, so polling never fails on a record's content;
 *   <li>what a record means is decided by {@link KafkaRequestRecords}, which is total (an unforeseen failure is a
 *       dead letter with problem {@code Unexpected});
 *   <li>a record is committed past only once what it needs is written and acknowledged (its dead letter, its
 *       rejection) or it was submitted; until then — the DLQ unwritable, the Kubernetes API away — it is tried
 *       again with a bounded back-off, and the partition does not move on, so nothing is lost;
 *   <li>any failure of the loop itself (a poll, a commit) is logged and the loop goes on after a back-off.
 * </ul>
 * Handling a record twice after a crash is harmless: object creation is idempotent by name.
 */
public final class KafkaRequestDoor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestDoor.class);
  /** First and longest wait before trying a record (or the loop) again. */
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  /** Tries of one record within one poll; then the partition is rewound to it, so the consumer keeps polling. */
  private static final int TRIES_PER_POLL = 5;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> dlq;
  private final KafkaRequestRecords records;
  private final Consumer<Envelope> publish;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final AtomicLong handled = new AtomicLong();
  private final Thread loop;
  private int failuresInARow;

  public KafkaRequestDoor(String bootstrapServers, String groupId, OpsRequestSubmitter submitter,
      Consumer<Envelope> publish, Clock clock) {
    this(bootstrapServers, groupId, null, submitter, publish, clock);
  }

  /**
   * @param instanceId the instance's stable name, its {@code group.instance.id}; null for dynamic membership
   */
  public KafkaRequestDoor(String bootstrapServers, String groupId, String instanceId, OpsRequestSubmitter submitter,
      Consumer<Envelope> publish, Clock clock) {
    this(KafkaClientSettings.plaintext(bootstrapServers), groupId, instanceId, submitter, publish, clock);
  }

  /**
   * @param kafka the brokers and client settings (TLS, SASL) of the door's consumer and dead-letter producer
   * @param instanceId the instance's stable name, its {@code group.instance.id}; null for dynamic membership
   */
  public KafkaRequestDoor(KafkaClientSettings kafka, String groupId, String instanceId,
      OpsRequestSubmitter submitter, Consumer<Envelope> publish, Clock clock) {
    consumer = new KafkaConsumer<>(kafka.properties(consumerConfig(kafka.bootstrapServers(), groupId, instanceId)),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Properties p = new Properties();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // a send must end (acknowledged or failed) well inside one record's tries, so the loop keeps its pace
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    dlq = new KafkaProducer<>(kafka.properties(p), new ByteArraySerializer(), new ByteArraySerializer());
    ServiceMetrics.bind(consumer);
    ServiceMetrics.bind(dlq);
    DeadLetters.initializeMeters(GroupIds.REQUEST_INGEST, KafkaRequestRecords.NOT_JSON,
        KafkaRequestRecords.WRONG_SHAPE, KafkaRequestRecords.UNEXPECTED);
    IngestMeters.initialize();
    this.records = new KafkaRequestRecords(submitter::submit, clock);
    this.publish = publish;
    this.loop = new Thread(this::run, "kafka-request-door");
  }

  /**
   * Starts consuming in the background, reporting the loop's death to {@code health}: a door whose thread died in
   * a process that lives on (and answers its probes) is a zombie nobody restarts.
   */
  public KafkaRequestDoor start(io.pxops.pipeline.health.ServiceHealth health, String part) {
    health.ready(part);
    loop.setUncaughtExceptionHandler((thread, e) -> health.died(part, "the Kafka door's loop threw " + e, e));
    return start();
  }

  /**
   * The door's consumer settings: commits are ours, a new group starts at the earliest request, and a named instance
   * is a static member with the pipeline's short session, so a restarted ingest reads requests again at once instead
   * of leaving them unread until its old membership times out (45 s by default).
   */
  static Properties consumerConfig(String bootstrapServers, String groupId, String instanceId) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    if (instanceId != null) {
      c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupId + "-" + instanceId);
    }
    c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, CommandService.SESSION_TIMEOUT_MS);
    return c;
  }

  /** Starts consuming in the background. */
  public KafkaRequestDoor start() {
    consumer.subscribe(List.of(Topics.REQUESTS));
    loop.start();
    return this;
  }

  /** Whether the loop is running: false only after {@link #close()} (a health check may read it). */
  public boolean alive() {
    return loop.isAlive();
  }

  /** Records handled to the end (submitted, rejected or dead-lettered) since start. */
  public long handled() {
    return handled.get();
  }

  private void run() {
    try {
      while (running.get()) {
        try {
          pollOnce();
          failuresInARow = 0;
        } catch (WakeupException e) {
          // close() woke the poll; the loop condition decides
        } catch (RuntimeException e) {
          // a poll or commit failed (broker away, group rebalanced under us): nothing was committed past an
          // unhandled record, so going on is safe; what was not committed is read again
          LOG.warn("the Kafka door's loop failed; going on after a back-off", e);
          backOff();
        }
      }
    } finally {
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.warn("closing the Kafka door's consumer failed", e);
      }
    }
  }

  private void pollOnce() {
    ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
    for (TopicPartition partition : batch.partitions()) {
      for (ConsumerRecord<byte[], byte[]> record : batch.records(partition)) {
        if (!running.get() || !handleToTheEnd(record)) {
          // not done: read this partition again from this record at the next poll, never past it
          consumer.seek(partition, record.offset());
          break;
        }
        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
        handled.incrementAndGet();
      }
    }
  }

  /** Handles one record and writes what it needs; false when that could not be done yet (then retry later). */
  private boolean handleToTheEnd(ConsumerRecord<byte[], byte[]> record) {
    // the Kafka door is where a request sent on pxops.requests starts its trace, or continues the sender's
    String trace = TraceIds.of(record.headers());
    try (LogContext.Scope scope = LogContext.of(null, null, trace != null ? trace : TraceIds.newId())) {
      return handleToTheEndTraced(record);
    }
  }

  private boolean handleToTheEndTraced(ConsumerRecord<byte[], byte[]> record) {
    for (int attempt = 0; attempt < TRIES_PER_POLL && running.get(); attempt++) {
      RecordOutcome outcome = records.handle(record.topic(), record.partition(), record.offset(), record.key(),
          record.value());
      try {
        if (outcome instanceof RecordOutcome.Submitted) {
          failuresInARow = 0;
          return true;
        }
        if (outcome instanceof RecordOutcome.Rejected rejected) {
          publish.accept(rejected.rejection());
          failuresInARow = 0;
          return true;
        }
        if (outcome instanceof RecordOutcome.DeadLettered dead) {
          send(dead.letter());
          IngestMeters.deadLettered();
          failuresInARow = 0;
          return true;
        }
        LOG.warn("{}-{}@{} cannot be handled now, trying again: {}", record.topic(), record.partition(),
            record.offset(), ((RecordOutcome.NotNow) outcome).reason());
      } catch (RuntimeException e) {
        LOG.warn("{}-{}@{}: writing its outcome failed, trying again (the record is not committed past): {}",
            record.topic(), record.partition(), record.offset(), e.toString());
      }
      backOff();
    }
    return false;
  }

  private void send(DeadLetter letter) {
    LOG.warn("dead letter from {}-{}@{}: {} ({})", letter.topic(), letter.partition(), letter.offset(),
        letter.reason(), letter.problem());
    ProducerRecord<byte[], byte[]> out;
    try {
      out = new ProducerRecord<>(Topics.DLQ, letter.key() == null ? null
          : letter.key().getBytes(StandardCharsets.UTF_8), JsonCodec.shared().mapper().writeValueAsBytes(letter));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a dead letter cannot be written as JSON", e);
    }
    out.headers().add(DeadLetters.PROBLEM_HEADER, letter.problem().getBytes(StandardCharsets.UTF_8));
    out.headers().add(DeadLetters.SERVICE_HEADER, letter.service().getBytes(StandardCharsets.UTF_8));
    TraceIds.put(out.headers(), LogContext.traceId());
    try {
      dlq.send(out).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing a dead letter", e);
    } catch (Exception e) {
      throw new IllegalStateException("could not write a dead letter to " + Topics.DLQ + ": " + e, e);
    }
  }

  /** Waits 100 ms, doubling with each failure in a row up to 10 s; close() ends the wait at once. */
  private void backOff() {
    long millis = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(failuresInARow, 10));
    failuresInARow++;
    try {
      stopping.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.set(false);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    stopping.countDown();
    consumer.wakeup();
    loop.join(10_000);
    dlq.close(Duration.ofSeconds(5));
  }
}
