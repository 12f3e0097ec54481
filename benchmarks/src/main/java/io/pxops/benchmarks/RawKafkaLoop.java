package io.pxops.benchmarks;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka's own floor on the same broker, in the same run: a ping loop with the runners' client settings (acks=all,
 * idempotent, linger 0; read_committed), {@code chains} pings in flight, each answered by the next as soon as it
 * is read — the shape of a step hand-over with no coordinator in between. Latency is send to receive.
 */
final class RawKafkaLoop {

  private RawKafkaLoop() {
  }

  static List<Long> run(String bootstrap, int samples, int chains) throws Exception {
    String topic = "bench.raw." + System.nanoTime();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    List<Long> latencies = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
        new ByteArraySerializer());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1),
          new TopicPartition(topic, 2));
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      int warmup = Math.min(50, samples / 10);
      int sent = 0;
      for (int i = 0; i < chains; i++) {
        ping(producer, topic, "chain-" + i);
        sent++;
      }
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      int received = 0;
      while (received < samples + warmup && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          long now = System.nanoTime();
          if (received++ >= warmup) {
            latencies.add(now - ByteBuffer.wrap(r.value()).getLong());
          }
          if (sent < samples + warmup) {
            ping(producer, topic, r.key());
            sent++;
          }
        }
      }
    }
    return latencies;
  }

  private static void ping(KafkaProducer<String, byte[]> producer, String topic, String key) {
    producer.send(new ProducerRecord<>(topic, key, ByteBuffer.allocate(8).putLong(System.nanoTime()).array()));
  }
}
