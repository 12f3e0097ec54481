package io.pxops.pipeline;

import io.pxops.events.Envelope;
import io.pxops.events.InvalidMessageException;
import io.pxops.events.JsonCodec;
import io.pxops.events.Topics;
import io.pxops.pipeline.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the history of one ops request from the log: its commands ({@code pxops.commands}) and events
 * ({@code pxops.events}), committed records only, from the beginning to the end as of the call, without joining a
 * consumer group (it commits nothing and disturbs no service).
 */
public final class LifecycleLogReader {

  private LifecycleLogReader() {
  }

  /**
   * Everything the pipeline wrote about {@code opsRequest}, oldest first.
   *
   * @param bootstrapServers Kafka
   * @param opsRequest {@code namespace/name}
   * @return the envelopes, sorted by {@code occurredAt}; records that are not valid envelopes are skipped
   */
  public static List<Envelope> read(String bootstrapServers, String opsRequest) {
    return read(KafkaClientSettings.plaintext(bootstrapServers), opsRequest);
  }

  /** As {@link #read(String, String)}, with the brokers and client settings (TLS, SASL) of {@code kafka}. */
  public static List<Envelope> read(KafkaClientSettings kafka, String opsRequest) {
    Properties own = new Properties();
    Properties p = own;
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<Envelope> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka.properties(own), new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(Topics.COMMANDS, Topics.EVENTS)) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(15));
        for (PartitionInfo info : infos == null ? List.<PartitionInfo>of() : infos) {
          partitions.add(new TopicPartition(topic, info.partition()));
        }
      }
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          try {
            Envelope e = JsonCodec.shared().decode(r.value());
            if (opsRequest.equals(e.opsRequest())) {
              out.add(e);
            }
          } catch (InvalidMessageException ignored) {
            // a record the dead-letter topic already holds; not part of any request's history
          }
        }
      }
    }
    out.sort(Comparator.comparing(Envelope::occurredAt));
    return out;
  }
}
