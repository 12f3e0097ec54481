package io.pxops.systemtests;

import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.events.Topics;
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

/** Reads what the pipeline wrote for one ops request: its commands and its events, committed ones only. */
final class EventLog {

  private EventLog() {
  }

  /** Every committed command and event of {@code opsRequest} ({@code ns/name}), by time. */
  static List<Envelope> of(String bootstrap, String opsRequest) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<Envelope> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(Topics.COMMANDS, Topics.EVENTS)) {
        for (PartitionInfo info : c.partitionsFor(topic)) {
          partitions.add(new TopicPartition(topic, info.partition()));
        }
      }
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          Envelope e = JsonCodec.shared().decode(r.value());
          if (opsRequest.equals(e.opsRequest())) {
            out.add(e);
          }
        }
      }
    }
    out.sort(Comparator.comparing(Envelope::occurredAt));
    return out;
  }
}
