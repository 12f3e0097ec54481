package io.pxops.statusprojector.k8s;

import io.pxops.events.Topics;
import io.pxops.events.campaign.CampaignRecord;
import io.pxops.pipeline.health.ServiceHealth;
import io.pxops.events.status.RequestStatus;
import io.pxops.statusprojector.ProjectorConfig;
import io.pxops.pipeline.JsonSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import io.pxops.pipeline.logging.LogContext;
import io.pxops.pipeline.logging.TraceIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every request status from {@code pxops.status} back to its {@code
 * PerconaXtraDBOpsRequest}'s {@code .status}, so that {@code kubectl get pxcops} shows what the
 * pipeline does.
 *
 * <p><b>Why a separate consumer and not a side effect in the topology.</b> A Kubernetes write is
 * not part of a Kafka transaction: inside the EOS topology it would be repeated whenever a task is
 * retried or moves to another instance, it could write a status whose transaction then aborts, and
 * a slow API server would hold up the projection itself. A plain {@code read_committed} consumer of
 * the compacted status topic sees only committed statuses, one key's statuses in order, and the
 * latest status of every request after a restart; the projection keeps running if Kubernetes is
 * down.
 *
 * <p><b>Why it is safe to repeat.</b> Delivery is at least once (offsets are committed after the
 * writes), and every write is idempotent: {@link OpsRequestStatusClient} compares the object's
 * status with the one to write and writes only a difference, as a resourceVersion-checked JSON
 * patch, retried on conflict. Within a poll only the latest status of each request is written.
 *
 * <p>A campaign's progress (key {@code campaign:<name>}) goes to its Campaign object's {@code status.progress},
 * if it has one ({@link CampaignObjectStatusClient}), best effort: its failure is logged and never holds up the
 * partition.
 *
 * <p>A write that fails (API server down, forbidden) keeps its partition's offset at the first
 * status not written, pauses that partition and retries after a growing back-off (up to {@link
 * #MAX_BACKOFF}), without blocking the other partitions or leaving the consumer group.
 */
public final class StatusWriteBack implements AutoCloseable {

  /** The longest wait between two tries of a failing write. */
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(StatusWriteBack.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaConsumer<String, byte[]> consumer;
  private final OpsRequestStatusClient writer;
  private final Deserializer<RequestStatus> statuses =
      new JsonSerde<>(RequestStatus.class).deserializer();
  private final Map<TopicPartition, Instant> pausedUntil = new HashMap<>();
  private final Map<TopicPartition, Integer> failures = new HashMap<>();
  private final Map<OpsRequestStatusClient.Result, AtomicLong> counts =
      new EnumMap<>(OpsRequestStatusClient.Result.class);
  private final CampaignObjectStatusClient campaigns;
  private final Deserializer<CampaignRecord.Progress> campaignProgress =
      new JsonSerde<>(CampaignRecord.Progress.class).deserializer();
  private final Map<CampaignObjectStatusClient.Result, AtomicLong> campaignCounts =
      new EnumMap<>(CampaignObjectStatusClient.Result.class);
  private final Thread thread;
  private final ServiceHealth health;
  private volatile boolean running = true;

  /** The loop's name in the service's health registry. */
  public static final String PART = "status-write-back";

  private StatusWriteBack(KafkaConsumer<String, byte[]> consumer, OpsRequestStatusClient writer,
      ServiceHealth health) {
    this.consumer = consumer;
    this.health = health;
    health.ready(PART);
    this.writer = writer;
    for (OpsRequestStatusClient.Result result : OpsRequestStatusClient.Result.values()) {
      counts.put(result, new AtomicLong());
    }
    this.campaigns = new CampaignObjectStatusClient(writer.client());
    for (CampaignObjectStatusClient.Result result : CampaignObjectStatusClient.Result.values()) {
      campaignCounts.put(result, new AtomicLong());
    }
    this.thread = new Thread(this::run, "status-write-back");
  }

  /**
   * Starts the write-back on its own thread.
   *
   * @param config the projector's configuration (brokers, group id, client overrides)
   * @param writer where to write
   * @return the running write-back
   */
  public static StatusWriteBack start(ProjectorConfig config, OpsRequestStatusClient writer) {
    return start(config, writer, ServiceHealth.detached("status-projector"));
  }

  /** As {@link #start(ProjectorConfig, OpsRequestStatusClient)}, reporting the loop's death to {@code health}. */
  public static StatusWriteBack start(ProjectorConfig config, OpsRequestStatusClient writer, ServiceHealth health) {
    StatusWriteBack writeBack = new StatusWriteBack(
        new KafkaConsumer<>(consumerConfig(config), new StringDeserializer(), new ByteArrayDeserializer()), writer,
        health);
    writeBack.thread.start();
    return writeBack;
  }

  /**
   * The write-back consumer's settings. With an instance id it is a static member with the projector's short
   * session, as the projection's own consumers are: a chaos run saw the ops request objects lag their log by 25 to
   * 60 s after the projector was killed, while a dynamic member with the default 45 s session held the partitions
   * of the dead process and the restarted one waited for it to time out.
   */
  static Properties consumerConfig(ProjectorConfig config) {
    Properties p = new Properties();
    config.kafkaOverrides().forEach(p::setProperty);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.writeBackGroupId());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.writeBackGroupId() + "-" + config.httpPort());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    if (config.instanceId() != null) {
      p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.writeBackGroupId() + "-" + config.instanceId());
    }
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ProjectorConfig.SESSION_TIMEOUT_MS);
    return p;
  }

  /**
   * How many statuses were handled, by result, since the start.
   *
   * @param result a result
   * @return the count
   */
  public long count(OpsRequestStatusClient.Result result) {
    return counts.get(result).get();
  }

  private void run() {
    try {
      consumer.subscribe(List.of(Topics.STATUS), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          partitions.forEach(pausedUntil::remove);
          partitions.forEach(failures::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          // nothing to set up: the committed offset is where writing resumes
        }
      });
      while (running) {
        resumeDue();
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        try {
          for (TopicPartition partition : records.partitions()) {
            process(partition, records.records(partition));
          }
        } catch (CommitFailedException | RebalanceInProgressException e) {
          // the partitions moved on while writing: their new owner starts from the last commit
          // and rewrites what is not committed, which changes nothing where it was written
          LOG.info("offsets not committed, the group is rebalancing: {}", e.toString());
        }
      }
    } catch (WakeupException e) {
      if (running) {
        health.died(PART, "woken up while running", e);
      }
    } catch (RuntimeException e) {
      // a write-back that stopped while the process lives on is a zombie: no status reaches the objects any more
      if (running) {
        health.died(PART, "the status write-back stopped: " + e, e);
      }
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
    }
  }

  private void process(TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
    // only the latest status of each request matters; keep them in the order of their offsets
    Map<String, ConsumerRecord<String, byte[]>> latest = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      latest.remove(record.key());
      latest.put(record.key(), record);
    }
    Set<String> written = new HashSet<>();
    for (ConsumerRecord<String, byte[]> record : latest.values()) {
      try {
        handle(record);
        written.add(record.key());
      } catch (RuntimeException e) {
        long resumeAt = records.stream().filter(r -> !written.contains(r.key()))
            .mapToLong(ConsumerRecord::offset).min().orElse(record.offset());
        retryLater(partition, resumeAt, record, e);
        return;
      }
    }
    failures.remove(partition);
    long next = records.get(records.size() - 1).offset() + 1;
    consumer.commitSync(Map.of(partition, new OffsetAndMetadata(next)));
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return; // a tombstone: the request's status was deleted from the topic, nothing to write
    }
    if (io.pxops.statusprojector.projection.CampaignStatusTopology.isCampaignKey(record.key())) {
      writeCampaign(record);
      return;
    }
    RequestStatus status;
    try {
      status = statuses.deserialize(record.topic(), record.value());
    } catch (SerializationException e) {
      // the projector wrote it, so this is a bug or a foreign writer; writing nothing is safe
      LOG.error("skipping status {} at {}-{}@{} that cannot be read", record.key(),
          record.topic(), record.partition(), record.offset(), e);
      return;
    }
    if (status.phase() == null) {
      return;
    }
    try (LogContext.Scope scope = LogContext.of(status.opsRequest(), status.database(),
        TraceIds.of(record.headers()))) {
      OpsRequestStatusClient.Result result = writer.write(status);
      counts.get(result).incrementAndGet();
      LOG.debug("status of {} ({}): {}", status.opsRequest(), status.phase().kubeName(), result);
    }
  }

  /**
   * A campaign's progress goes to its Campaign object, if it has one. Best effort, never retried: a campaign's
   * object is a view of what HTTP and the status topic hold, and a failing write (the projector not allowed to patch
   * campaigns, the CRD half installed) must not hold up the ops requests' statuses behind it on the partition. The
   * campaign's next progress writes again.
   */
  private void writeCampaign(ConsumerRecord<String, byte[]> record) {
    CampaignRecord.Progress progress;
    try {
      progress = campaignProgress.deserialize(record.topic(), record.value());
    } catch (SerializationException e) {
      LOG.error("skipping campaign progress {} at {}-{}@{} that cannot be read", record.key(),
          record.topic(), record.partition(), record.offset(), e);
      return;
    }
    if (progress == null || progress.campaign() == null) {
      return;
    }
    try {
      CampaignObjectStatusClient.Result result = campaigns.write(progress);
      campaignCounts.get(result).incrementAndGet();
      LOG.debug("progress of campaign {}: {}", progress.campaign(), result);
    } catch (RuntimeException e) {
      LOG.warn("cannot write the progress of campaign {} to its object (its next progress tries again): {}",
          progress.campaign(), e.toString());
    }
  }

  /**
   * How many campaign progresses were handled, by result, since the start.
   *
   * @param result a result
   * @return the count
   */
  public long count(CampaignObjectStatusClient.Result result) {
    return campaignCounts.get(result).get();
  }

  private void retryLater(TopicPartition partition, long offset,
      ConsumerRecord<String, byte[]> failed, RuntimeException error) {
    int count = failures.merge(partition, 1, Integer::sum);
    long millis = Math.min(MAX_BACKOFF.toMillis(),
        FIRST_BACKOFF.toMillis() << Math.min(count - 1, 10));
    LOG.warn("cannot write the status of {} yet (try {}), retrying in {} ms: {}", failed.key(),
        count, millis, error.toString());
    if (offset > 0) {
      consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset)));
    }
    consumer.seek(partition, offset);
    consumer.pause(List.of(partition));
    pausedUntil.put(partition, Instant.now().plusMillis(millis));
  }

  private void resumeDue() {
    Instant now = Instant.now();
    List<TopicPartition> due = pausedUntil.entrySet().stream()
        .filter(e -> !e.getValue().isAfter(now)).map(Map.Entry::getKey).toList();
    if (!due.isEmpty()) {
      due.forEach(pausedUntil::remove);
      consumer.resume(due);
    }
  }

  /** Stops the loop and closes the consumer; waits for the current write to finish. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(15).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
