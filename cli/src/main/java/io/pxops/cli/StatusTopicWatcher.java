package io.pxops.cli;

import io.pxops.events.JsonCodec;
import io.pxops.events.Topics;
import io.pxops.events.status.RequestStatus;
import io.pxops.pipeline.kafka.KafkaClientSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows one key on the compacted {@code pxops.status} topic, where the projector writes every new status of a
 * request under its key {@code namespace/name}, and every new progress of a campaign under {@code campaign:<name>}:
 * reads from the beginning (compaction keeps the latest), then live. Joins no consumer group.
 */
final class StatusTopicWatcher implements AutoCloseable {

  /** How long {@code pxops watch} tries to reach the topic before it gives up. */
  static final Duration REACH = Duration.ofSeconds(15);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String key;

  StatusTopicWatcher(KafkaClientSettings kafka, String key) {
    this(kafka, key, REACH);
  }

  /**
   * A watcher of {@code key}, or a {@link CliFailure} with {@link ExitCodes#UNAVAILABLE} when the topic's partitions
   * cannot be listed within {@code reach} (no broker there, a bootstrap address that does not resolve, refused
   * credentials).
   */
  StatusTopicWatcher(KafkaClientSettings kafka, String key, Duration reach) {
    String bootstrapServers = kafka.bootstrapServers();
    Properties p = new Properties();
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(1, reach.toMillis()));
    KafkaConsumer<String, byte[]> made;
    try {
      made = new KafkaConsumer<>(kafka.properties(p), new StringDeserializer(), new ByteArrayDeserializer());
    } catch (RuntimeException e) {
      // an address that does not resolve is refused by the constructor already
      throw new CliFailure(ExitCodes.UNAVAILABLE, "cannot read " + Topics.STATUS + " from " + bootstrapServers
          + ": " + e.getMessage());
    }
    this.consumer = made;
    this.key = key;
    List<TopicPartition> partitions = new ArrayList<>();
    try {
      for (PartitionInfo info : consumer.partitionsFor(Topics.STATUS, reach)) {
        partitions.add(new TopicPartition(Topics.STATUS, info.partition()));
      }
    } catch (RuntimeException e) {
      consumer.close();
      throw new CliFailure(ExitCodes.UNAVAILABLE, "cannot read " + Topics.STATUS + " from " + bootstrapServers
          + ": " + e.getMessage());
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /**
   * Calls {@code onChange} with each new status of the request until it returns true or {@code timeout} passes.
   *
   * @return the last status seen, or null when none came
   */
  RequestStatus follow(Duration timeout, Predicate<RequestStatus> onChange) {
    return follow(timeout, RequestStatus.class, onChange);
  }

  /**
   * Calls {@code onChange} with each new value of the key, read as {@code type}, until it returns true or {@code
   * timeout} passes; a value that cannot be read as {@code type} is passed over.
   *
   * @return the last value seen, or null when none came
   */
  <T> T follow(Duration timeout, Class<T> type, Predicate<T> onChange) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(Math.min(200, left)))) {
        if (!key.equals(r.key()) || r.value() == null) {
          continue;
        }
        try {
          last = JsonCodec.shared().mapper().readValue(r.value(), type);
        } catch (IOException e) {
          continue; // not a value this version understands
        }
        if (onChange.test(last)) {
          return last;
        }
      }
    }
    return last;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
