package io.pxops.requestingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.DeadLetter;
import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.RequestRejected;
import io.pxops.events.Topics;
import io.pxops.pipeline.doorauth.DoorAuthConfig;
import io.pxops.pipeline.doorauth.DoorAuthorizer;
import io.pxops.requestingest.kubernetes.OpsRequestWatcher;
import io.pxops.sandbox.kafka.TopicSpec;
import io.pxops.sandbox.kafka.UniqueNames;
import io.pxops.sandbox.kube.LocalAccessReviews;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.sandbox.world.LocalWorldExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The longer fuzz run of {@code scripts/fuzz.sh} — NOT part of the test suite (its name matches neither *Test nor
 * *IT; the script selects it with {@code -Dit.test=DoorsFuzz}). On the local world's real broker and Kubernetes API,
 * with the real Kafka door loop and HTTP server: publishes {@code fuzz.records} generated hostile records (with
 * random keys) and posts as many hostile HTTP bodies, then checks that the loop is alive and handled every record,
 * no body answered 5xx, every refusal names its rule and field, and a valid request sent after them all is admitted
 * through each door. Prints the figures and writes them to {@code target/fuzz-figures.txt}.
 */
class DoorsFuzz {

  private static final String NS = HostileRequests.NS;

  @RegisterExtension
  static final LocalWorldExtension WORLD = new LocalWorldExtension(LocalWorld.builder().namespace(NS)
      .pods(LocalWorld.Pods.SIMULATED));

  @Test
  void givenManyHostileRecordsAndBodies_thenNoLoopStopsAndEveryRefusalNamesItsRule(LocalWorld world)
      throws Exception {
    int n = Integer.getInteger("fuzz.records", 300);
    world.kafka().createTopics(TopicSpec.of(Topics.EVENTS, 3), TopicSpec.of(Topics.REQUESTS, 3),
        TopicSpec.of(Topics.DLQ, 3));
    world.createDatabase(HostileRequests.DATABASE, 3, world.olderVersion());
    List<byte[]> values = HostileRequests.recordValues().sampleStream().limit(n).toList();
    List<byte[]> bodies = HostileRequests.recordValues().sampleStream().limit(n).toList();
    Random random = new Random(n);
    HttpClient http = HttpClient.newHttpClient();
    try (LifecycleLogPublisher publisher = new LifecycleLogPublisher(world.kafka().bootstrapServers());
        OpsRequestWatcher watcher = new OpsRequestWatcher(world.client(), publisher, Duration.ofMinutes(10),
            Clock.systemUTC()).start();
        KafkaRequestDoor door = new KafkaRequestDoor(world.kafka().bootstrapServers(), UniqueNames.unique("fuzz"),
            new OpsRequestSubmitter(world.client(), Duration.ofMinutes(10)), publisher, Clock.systemUTC()).start();
        IngestHttpServer server = IngestHttpServer.start("127.0.0.1", 0, world.client(),
            new OpsRequestSubmitter(world.client(), Duration.ofMinutes(10)), publisher, null, Clock.systemUTC(),
            DoorAuthorizer.of(DoorAuthConfig.defaults(), world.client(), "the fuzzed HTTP door"));
        KafkaProducer<byte[], byte[]> producer = producer(world);
        KafkaConsumer<String, byte[]> dlq = consumer(world, Topics.DLQ);
        KafkaConsumer<String, byte[]> events = consumer(world, Topics.EVENTS)) {
      long started = System.nanoTime();
      for (byte[] value : values) {
        byte[] key = new byte[random.nextInt(12)];
        random.nextBytes(key);
        producer.send(new ProducerRecord<>(Topics.REQUESTS, random.nextBoolean() ? key : null, value));
      }
      producer.flush();

      int http5xx = 0;
      int httpRefusals = 0;
      int httpRefusalsUnnamed = 0;
      for (byte[] body : bodies) {
        HttpResponse<String> response = post(http, server.port(), body);
        if (response.statusCode() >= 500) {
          http5xx++;
          System.out.println("5xx for body " + new String(body, StandardCharsets.UTF_8) + ": " + response.body());
        } else if (response.statusCode() >= 400) {
          httpRefusals++;
          JsonNode answer = JsonCodec.shared().mapper().readTree(response.body());
          if (!answer.path("error").isTextual() || !answer.path("field").isTextual()) {
            httpRefusalsUnnamed++;
          }
        }
      }

      // a valid request through each door after all the hostile ones
      String kafkaId = "fuzz-kafka-" + UUID.randomUUID();
      producer.send(new ProducerRecord<>(Topics.REQUESTS, null, ("{\"namespace\":\"" + NS + "\",\"database\":\""
          + HostileRequests.DATABASE + "\",\"targetVersion\":\"" + world.newerVersion() + "\",\"clientRequestId\":\""
          + kafkaId + "\"}").getBytes(StandardCharsets.UTF_8))).get();
      HttpResponse<String> valid = post(http, server.port(), ("{\"database\":\"" + HostileRequests.DATABASE
          + "\",\"targetVersion\":\"" + world.newerVersion() + "\",\"clientRequestId\":\"fuzz-http-"
          + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8));

      await().atMost(Duration.ofMinutes(5)).until(() -> door.handled() >= n + 1);
      List<DeadLetter> letters = new ArrayList<>();
      List<Envelope> seen = new ArrayList<>();
      String kafkaName = OpsRequestSubmitter.nameFor(new io.pxops.requestingest.admission.UpdateRequest(null, NS,
          null, HostileRequests.DATABASE, null, null, null, null, null, null, kafkaId));
      await().atMost(Duration.ofMinutes(2)).until(() -> {
        for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(100))) {
          letters.add(JsonCodec.shared().mapper().readValue(r.value(), DeadLetter.class));
        }
        for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(100))) {
          seen.add(JsonCodec.shared().decode(r.value()));
        }
        return seen.stream().anyMatch(e -> e.opsRequest().equals(NS + "/" + kafkaName)
            && e.payload() instanceof RequestAdmitted);
      });
      // every dead letter was acknowledged before its record was committed past (door.handled() above), so the
      // DLQ's end offsets now cover them all: read up to those (an earlier version stopped reading as soon as the
      // admission was seen, and counted 0 dead letters in one run)
      Map<TopicPartition, Long> dlqEnd = dlq.endOffsets(dlq.assignment());
      await().atMost(Duration.ofMinutes(2)).until(() -> {
        for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(100))) {
          letters.add(JsonCodec.shared().mapper().readValue(r.value(), DeadLetter.class));
        }
        return dlqEnd.entrySet().stream().allMatch(e -> dlq.position(e.getKey()) >= e.getValue());
      });
      long lettersUnnamed = letters.stream().filter(l -> l.problem() == null || l.problem().isBlank()
          || l.reason() == null || !(l.reason().contains(": ") || "Unexpected".equals(l.problem()))).count();
      long unexpected = letters.stream().filter(l -> "Unexpected".equals(l.problem())).count();
      long rejections = seen.stream().filter(e -> e.payload() instanceof RequestRejected).count();
      double seconds = (System.nanoTime() - started) / 1e9;

      String figures = String.join("\n",
          "records tried (Kafka door):        " + n,
          "records handled by the loop:       " + door.handled(),
          "  dead letters:                    " + letters.size() + " (Unexpected: " + unexpected + ")",
          "  rejections on the lifecycle log: " + rejections,
          "HTTP bodies tried:                 " + n,
          "  refusals (4xx):                  " + httpRefusals,
          "  answers 5xx:                     " + http5xx,
          "refusals without a rule or field:  " + (lettersUnnamed + httpRefusalsUnnamed),
          "Kafka door loop alive:             " + door.alive(),
          "loops stopped:                     " + (door.alive() ? 0 : 1),
          "valid request after them admitted: kafka=yes http=" + valid.statusCode(),
          String.format("wall time:                         %.1f s", seconds));
      System.out.println("=== doors fuzz figures ===\n" + figures);
      Files.writeString(Path.of("target/fuzz-figures.txt"), figures + "\n");

      assertThat(door.alive()).isTrue();
      assertThat(http5xx).isZero();
      assertThat(lettersUnnamed + httpRefusalsUnnamed).isZero();
      assertThat(unexpected).isZero();
      assertThat(valid.statusCode()).isIn(200, 202);
    }
  }

  private static HttpResponse<String> post(HttpClient http, int port, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/namespaces/" + NS
        + "/updaterequests")).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + LocalAccessReviews.ADMIN_TOKEN)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static KafkaProducer<byte[], byte[]> producer(LocalWorld world) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, world.kafka().bootstrapServers());
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<String, byte[]> consumer(LocalWorld world, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, world.kafka().bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, UniqueNames.unique("fuzz-reader"));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    // assigned, not subscribed: every partition from its start, with no group join that could come late
    List<TopicPartition> partitions = c.partitionsFor(topic).stream()
        .map(info -> new TopicPartition(topic, info.partition())).toList();
    c.assign(partitions);
    c.seekToBeginning(partitions);
    return c;
  }
}
