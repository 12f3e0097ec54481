package io.pxops.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pxops.events.Envelope;
import io.pxops.events.InvalidMessageException;
import io.pxops.events.JsonCodec;
import io.pxops.events.Topics;
import io.pxops.pipeline.logging.TraceIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What one request left behind, read back for its trace id: its records on the lifecycle log, the commands topic and
 * the status topic with their {@code pxops-trace-id} header, and the services' JSON log lines that carry the trace.
 */
final class RequestTrace {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One record of the request: where, what, and its trace header (null when it has none). */
  record Traced(String topic, String type, String trace) {}

  private RequestTrace() {}

  /**
   * Every committed record of {@code opsRequest} on the events, commands and status topics, as they are now.
   *
   * @param bootstrapServers Kafka
   * @param opsRequest {@code namespace/name}
   * @return the records, in partition order per topic
   */
  static List<Traced> records(String bootstrapServers, String opsRequest) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "request-trace-" + UUID.randomUUID());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // the coordinator and the projector write in transactions: an aborted record is not part of the story
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<Traced> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(Topics.EVENTS, Topics.COMMANDS, Topics.STATUS)) {
        consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Instant giveUp = Instant.now().plus(Duration.ofSeconds(30));
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (Instant.now().isAfter(giveUp)) {
          throw new AssertionError("the topics were not read to their end within 30 s: " + end);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          String trace = TraceIds.of(r.headers());
          if (r.topic().equals(Topics.STATUS)) {
            if (opsRequest.equals(r.key()) && r.value() != null) {
              out.add(new Traced(r.topic(), "status", trace));
            }
            continue;
          }
          try {
            Envelope e = JsonCodec.shared().decode(r.value());
            if (e.opsRequest().equals(opsRequest)) {
              out.add(new Traced(r.topic(), e.type(), trace));
            }
          } catch (InvalidMessageException ignored) {
            // another test's poison record: not this request's
          }
        }
      }
    }
    return out;
  }

  /**
   * The JSON lines of a service's log whose MDC carries {@code trace}; a line that is not JSON (the JVM's own
   * warnings) is passed over.
   *
   * @param log the service's log file
   * @param trace the trace id
   * @return the lines, parsed
   */
  static List<JsonNode> jsonLines(Path log, String trace) {
    List<JsonNode> lines = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(log)) {
        if (!line.startsWith("{")) {
          continue;
        }
        JsonNode node = JSON.readTree(line);
        if (trace.equals(node.path("mdc").path("traceId").asText())) {
          lines.add(node);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }
}
