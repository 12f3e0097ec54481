package io.pxops.benchmarks;

import io.pxops.events.Command;
import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.events.ResumeDatabase;
import io.pxops.events.Topics;
import io.pxops.sandbox.world.SuccessfulAnswers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Stands in for the step runners and the verifier, answering every command at once with its success, so that what
 * is measured is the pipeline alone: from a result leaving the "runner" to the next command arriving at it (the
 * coordinator's consume, decide, transactional produce and commit, and Kafka in between). Producer and consumer
 * use the settings of the real runners (acks=all, idempotent, linger 0; read_committed).
 */
final class SyntheticRunners implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final Map<String, Long> lastResultSentNanos = new ConcurrentHashMap<>();
  private final List<Long> handOvers = new CopyOnWriteArrayList<>();
  private final Map<String, Boolean> finished = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread loop;

  SyntheticRunners(String bootstrap) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : consumer.partitionsFor(Topics.COMMANDS)) {
      partitions.add(new TopicPartition(Topics.COMMANDS, info.partition()));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    loop = new Thread(this::run, "synthetic-runners");
    loop.setDaemon(true);
    loop.start();
  }

  /** Marks the moment a request was admitted: the first command's hand-over is measured from it. */
  void admitted(String opsRequest, long sentNanos) {
    lastResultSentNanos.put(opsRequest, sentNanos);
  }

  void send(String topic, String key, Envelope e) {
    producer.send(new ProducerRecord<>(topic, key, JsonCodec.shared().encode(e)));
  }

  private void run() {
    while (running.get()) {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
        long now = System.nanoTime();
        Envelope e = JsonCodec.shared().decode(r.value());
        if (!(e.payload() instanceof Command command)) {
          continue;
        }
        Long last = lastResultSentNanos.get(e.opsRequest());
        if (last != null) {
          handOvers.add(now - last);
        }
        Envelope result = Envelope.of(UUID.randomUUID().toString(), e.opsRequest(), e.database(), Instant.now(),
            e.eventId(), SuccessfulAnswers.to(e.database(), command));
        lastResultSentNanos.put(e.opsRequest(), System.nanoTime());
        send(Topics.EVENTS, e.database(), result);
        if (command instanceof ResumeDatabase) {
          finished.put(e.opsRequest(), true);
          lastResultSentNanos.remove(e.opsRequest());
        }
      }
    }
  }

  int finishedRequests() {
    return finished.size();
  }

  List<Long> handOvers() {
    return List.copyOf(handOvers);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    loop.join(5_000);
    consumer.close();
    producer.close();
  }
}
