package io.pxops.sandbox.kafka;

import static io.pxops.sandbox.kafka.KafkaTestClients.committedOffsetSum;
import static io.pxops.sandbox.kafka.KafkaTestClients.produce;
import static io.pxops.sandbox.kafka.KafkaTestClients.readAll;
import static io.pxops.sandbox.kafka.KafkaTestClients.values;
import static io.pxops.sandbox.kafka.UniqueNames.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Exactly-once read-process-write with Kafka transactions, on the shared test broker. */
@ExtendWith(KafkaBrokerExtension.class)
class TransactionalReadProcessWriteIT {

  private static final int INPUTS = 300;

  @Test
  void eachInputIsProcessedOnceAndAbortedTransactionsStayInvisible(KafkaBroker kafka) {
    String bootstrap = kafka.bootstrapServers();
    String in = unique("rpw-in");
    String out = unique("rpw-out");
    String group = unique("rpw-group");
    kafka.createTopics(TopicSpec.of(in, 3), TopicSpec.of(out, 3));
    List<String> inputs = produce(bootstrap, in, INPUTS);

    long t0 = System.nanoTime();
    AtomicInteger transactions = new AtomicInteger();
    try (ReadProcessWriteLoop loop = new ReadProcessWriteLoop(bootstrap, in, out, group, unique("rpw-tx"))) {
      await().atMost(KafkaTestClients.TIMEOUT).pollInSameThread().pollInterval(Duration.ofMillis(1)).until(() -> {
        if (loop.processBatch() > 0) {
          transactions.incrementAndGet();
        }
        return loop.committedRecords() >= INPUTS;
      });
      assertThat(loop.committedRecords()).isEqualTo(INPUTS);
    }
    System.out.printf("[kafka] %d records in %d transactions in %d ms%n", INPUTS, transactions.get(),
        (System.nanoTime() - t0) / 1_000_000);

    // a transaction on the output topic that is aborted
    List<String> aborted = List.of("aborted:1", "aborted:2", "aborted:3");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(KafkaTestClients.transactionalProducerProps(bootstrap, unique("rpw-abort-tx")))) {
      producer.initTransactions();
      producer.beginTransaction();
      for (String v : aborted) {
        producer.send(new ProducerRecord<>(out, "abort-key", v));
      }
      producer.flush();
      producer.abortTransaction();
    }

    List<String> expected = inputs.stream().map(ReadProcessWriteLoop::transform).toList();
    assertThat(values(readAll(bootstrap, out, IsolationLevel.READ_COMMITTED)))
        .as("read_committed: one transformed record per input, nothing from the aborted transaction")
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(values(readAll(bootstrap, out, IsolationLevel.READ_UNCOMMITTED)))
        .as("read_uncommitted does see the aborted records, so the check above can fail")
        .hasSize(INPUTS + aborted.size())
        .containsAll(aborted);
    assertThat(committedOffsetSum(bootstrap, group, in)).isEqualTo(INPUTS);
  }

  @Test
  void anInstanceThatCrashesBeforeCommittingIsFencedAndItsBatchIsReprocessedOnce(KafkaBroker kafka) {
    String bootstrap = kafka.bootstrapServers();
    String in = unique("crash-in");
    String out = unique("crash-out");
    String group = unique("crash-group");
    String transactionalId = unique("crash-tx");
    kafka.createTopics(TopicSpec.of(in, 3), TopicSpec.of(out, 3));
    List<String> inputs = produce(bootstrap, in, INPUTS);

    ReadProcessWriteLoop first = new ReadProcessWriteLoop(bootstrap, in, out, group, transactionalId);
    int crashedBatch;
    try {
      AtomicInteger batch = new AtomicInteger();
      await().atMost(KafkaTestClients.TIMEOUT).pollInSameThread().pollInterval(Duration.ofMillis(1))
          .until(() -> {
            batch.set(first.processBatchThenCrashBeforeCommit());
            return batch.get() > 0;
          });
      crashedBatch = batch.get();

      // the replacement uses the same transactional.id: initTransactions fences the first and aborts its transaction
      try (ReadProcessWriteLoop second = new ReadProcessWriteLoop(bootstrap, in, out, group, transactionalId)) {
        assertThatThrownBy(first::commitLate)
            .as("the crashed instance's late commit is refused")
            .isInstanceOf(ProducerFencedException.class);
        await().atMost(KafkaTestClients.TIMEOUT).pollInSameThread().pollInterval(Duration.ofMillis(1)).until(() -> {
          second.processBatch();
          return second.committedRecords() >= INPUTS;
        });
        assertThat(second.committedRecords()).as("the second instance reprocessed the crashed batch")
            .isEqualTo(INPUTS);
      }
    } finally {
      first.close();
    }

    List<String> expected = inputs.stream().map(ReadProcessWriteLoop::transform).toList();
    assertThat(values(readAll(bootstrap, out, IsolationLevel.READ_COMMITTED)))
        .as("read_committed: exactly one output per input despite the crash")
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(readAll(bootstrap, out, IsolationLevel.READ_UNCOMMITTED))
        .as("the crashed batch's records are in the log (aborted), so duplicates were really written")
        .hasSize(INPUTS + crashedBatch);
    assertThat(committedOffsetSum(bootstrap, group, in)).isEqualTo(INPUTS);
  }
}
