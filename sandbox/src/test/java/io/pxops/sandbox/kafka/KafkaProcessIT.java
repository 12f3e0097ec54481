package io.pxops.sandbox.kafka;

import static io.pxops.sandbox.kafka.KafkaTestClients.consumerProps;
import static io.pxops.sandbox.kafka.KafkaTestClients.produce;
import static io.pxops.sandbox.kafka.UniqueNames.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;

class KafkaProcessIT {

  @Test
  void givenTheBrokerKilledWithSigkill_whenStartedAgain_thenSameAddressAndEveryAcknowledgedRecordIsThere() throws Exception {
    try (KafkaProcess kafka = KafkaProcess.start()) {
      String topic = unique("survivor");
      kafka.createTopics(TopicSpec.of(topic, 2));
      List<String> sent = produce(kafka.bootstrapServers(), topic, 200);
      String address = kafka.bootstrapServers();
      long firstPid = kafka.pid();

      kafka.kill();
      assertThat(kafka.alive()).isFalse();
      kafka.restart();

      assertThat(kafka.bootstrapServers()).as("the clients' address").isEqualTo(address);
      assertThat(kafka.pid()).isNotEqualTo(firstPid);
      List<String> received = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
          consumerProps(address, unique("survivor-group"), IsolationLevel.READ_COMMITTED))) {
        consumer.subscribe(List.of(topic));
        await().atMost(KafkaTestClients.TIMEOUT).pollInSameThread().pollInterval(Duration.ofMillis(1)).until(() -> {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
            received.add(r.value());
          }
          return received.size() >= sent.size();
        });
      }
      assertThat(received).as("acknowledged records after the crash").containsExactlyInAnyOrderElementsOf(sent);
    }
  }
}
