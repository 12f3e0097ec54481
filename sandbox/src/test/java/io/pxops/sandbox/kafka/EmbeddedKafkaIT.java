package io.pxops.sandbox.kafka;

import static io.pxops.sandbox.kafka.KafkaTestClients.consumerProps;
import static io.pxops.sandbox.kafka.KafkaTestClients.produce;
import static io.pxops.sandbox.kafka.UniqueNames.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class EmbeddedKafkaIT {

  @Test
  void idempotentProducerRecordsAcrossThreePartitionsAreConsumedExactlyOnce(KafkaBroker kafka) {
    String topic = unique("idempotent");
    kafka.createTopics(TopicSpec.of(topic, 3));
    int n = 1000;

    List<String> sent = produce(kafka.bootstrapServers(), topic, n);

    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
        consumerProps(kafka.bootstrapServers(), unique("idempotent-group"), IsolationLevel.READ_COMMITTED))) {
      consumer.subscribe(List.of(topic));
      await().atMost(KafkaTestClients.TIMEOUT).pollInSameThread().pollInterval(Duration.ofMillis(1)).until(() -> {
        consumer.poll(Duration.ofMillis(100)).forEach(received::add);
        return received.size() >= n;
      });
      List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1),
          new TopicPartition(topic, 2));
      // the log holds exactly n records: no duplicate was written by a retry
      assertThat(consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(n);
    }

    assertThat(received).hasSize(n);
    assertThat(KafkaTestClients.values(received)).containsExactlyInAnyOrderElementsOf(sent);
    Set<Integer> partitionsUsed = new TreeSet<>();
    received.forEach(r -> partitionsUsed.add(r.partition()));
    assertThat(partitionsUsed).containsExactly(0, 1, 2);
  }
}
