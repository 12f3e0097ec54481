package io.pxops.sandbox.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * A transactional read-process-write loop: a read_committed consumer in a group and a transactional producer; each
 * poll's records are transformed and written, and the consumed offsets committed, in ONE transaction.
 */
final class ReadProcessWriteLoop implements AutoCloseable {

  private final KafkaConsumer<String, String> consumer;
  private final KafkaProducer<String, String> producer;
  private final String outputTopic;
  private long committedRecords;
  private boolean consumerClosed;

  ReadProcessWriteLoop(String bootstrap, String inputTopic, String outputTopic, String groupId,
      String transactionalId) {
    this.outputTopic = outputTopic;
    var consumerProps = KafkaTestClients.consumerProps(bootstrap, groupId, IsolationLevel.READ_COMMITTED);
    consumerProps.put("max.poll.records", 50);
    this.consumer = new KafkaConsumer<>(consumerProps);
    this.producer = new KafkaProducer<>(KafkaTestClients.transactionalProducerProps(bootstrap, transactionalId));
    // fences any earlier producer with this transactional.id and aborts its open transaction
    producer.initTransactions();
    consumer.subscribe(List.of(inputTopic));
  }

  static String transform(String value) {
    return "processed:" + value;
  }

  /** Polls once and, if records came, processes them in one committed transaction. Returns the record count. */
  int processBatch() {
    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
    if (records.isEmpty()) {
      return 0;
    }
    producer.beginTransaction();
    sendWithOffsets(records);
    producer.commitTransaction();
    committedRecords += records.count();
    return records.count();
  }

  /**
   * Polls once and, if records came, does everything but the commit: begin, send (flushed to the broker),
   * sendOffsetsToTransaction; then the "process" dies. Returns the record count (0: nothing polled, no transaction).
   */
  int processBatchThenCrashBeforeCommit() {
    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
    if (records.isEmpty()) {
      return 0;
    }
    producer.beginTransaction();
    sendWithOffsets(records);
    producer.flush();
    // a crashed process leaves its group without committing anything; its producer is gone but not aborted
    consumer.close(Duration.ZERO);
    consumerClosed = true;
    return records.count();
  }

  /** A zombie's late commit: what the crashed instance would do if it came back. */
  void commitLate() {
    producer.commitTransaction();
  }

  long committedRecords() {
    return committedRecords;
  }

  private void sendWithOffsets(ConsumerRecords<String, String> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<String, String>> batch = records.records(tp);
      for (ConsumerRecord<String, String> r : batch) {
        producer.send(new ProducerRecord<>(outputTopic, r.key(), transform(r.value())));
      }
      offsets.put(tp, new OffsetAndMetadata(batch.get(batch.size() - 1).offset() + 1));
    }
    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
  }

  @Override
  public void close() {
    try {
      producer.close(Duration.ZERO);
    } finally {
      if (!consumerClosed) {
        consumer.close();
      }
    }
  }
}
