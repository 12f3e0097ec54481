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
 * Follows one request on the compacted {@code pxops.status} topic, where the projector writes every new status of a
 * request under its key {@code namespace/name}: reads from the beginning (compaction keeps the latest), then live.
 * Joins no consumer group.
 */
final class StatusTopicWatcher implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final String key;

  StatusTopicWatcher(KafkaClientSettings kafka, String key) {
    String bootstrapServers = kafka.bootstrapServers();
    Properties p = new Properties();
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    this.consumer = new KafkaConsumer<>(kafka.properties(p), new StringDeserializer(), new ByteArrayDeserializer());
    this.key = key;
    List<TopicPartition> partitions = new ArrayList<>();
    try {
      for (PartitionInfo info : consumer.partitionsFor(Topics.STATUS, Duration.ofSeconds(15))) {
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
    long deadline = System.nanoTime() + timeout.toNanos();
    RequestStatus last = null;
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        if (!key.equals(r.key()) || r.value() == null) {
          continue;
        }
        try {
          last = JsonCodec.shared().mapper().readValue(r.value(), RequestStatus.class);
        } catch (IOException e) {
          continue; // not a status this version understands
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
