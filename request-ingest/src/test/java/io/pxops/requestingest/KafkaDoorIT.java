package io.pxops.requestingest;

import io.pxops.pipeline.logging.TraceIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pxops.events.DeadLetter;
import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.RequestRejected;
import io.pxops.events.Topics;
import io.pxops.pipeline.DeadLetters;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.requestingest.kubernetes.OpsRequestWatcher;
import io.pxops.sandbox.kafka.TopicSpec;
import io.pxops.sandbox.kafka.UniqueNames;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.sandbox.world.LocalWorldExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka door on the local world: the published example admits; records that are not JSON or not of the
 * schema's shape go to the DLQ with the reason and nothing stalls; one that breaks a rule is rejected on the log.
 * Poison records (1 MB, a key that is not UTF-8, empty, a tombstone, a number for a string, a duplicated key, deep
 * nesting, a name Kubernetes would refuse, a timeout past any duration) are set aside and a valid request sent after
 * them is still admitted by the same loop.
 */
class KafkaDoorIT {

  private static final String NS = "demo";

  @RegisterExtension
  static final LocalWorldExtension WORLD = new LocalWorldExtension(LocalWorld.builder().namespace(NS)
      .pods(LocalWorld.Pods.SIMULATED));

  @Test
  void givenRecordsOnTheRequestsTopic_thenGoodOnesAreAdmittedAndBadOnesExplained(LocalWorld world) throws Exception {
    topics(world);
    world.createDatabase("demo-px", 3, world.olderVersion());
    String example = Files.readString(Path.of("../docs/examples/update-request.json"));
    try (LifecycleLogPublisher publisher = new LifecycleLogPublisher(world.kafka().bootstrapServers());
        // the default, labelled claim: what the Kafka door creates is pxops' in either mode
        OpsRequestWatcher watcher = new OpsRequestWatcher(world.client(), publisher, Duration.ofMinutes(10),
            Clock.systemUTC(), io.pxops.pipeline.claim.OpsRequestClaim.LABELLED).start();
        KafkaRequestDoor door = new KafkaRequestDoor(world.kafka().bootstrapServers(), UniqueNames.unique("door"),
            new OpsRequestSubmitter(world.client(), Duration.ofMinutes(10)), publisher, Clock.systemUTC()).start();
        KafkaProducer<byte[], byte[]> producer = producer(world);
        KafkaConsumer<String, byte[]> events = consumer(world, Topics.EVENTS);
        KafkaConsumer<String, byte[]> dlq = consumer(world, Topics.DLQ)) {
      send(producer, "not json at all");
      send(producer, "{\"namespace\":\"demo\",\"database\":\"demo-px\"}");
      send(producer, "{\"namespace\":\"demo\",\"database\":\"demo-px\",\"targetVersion\":\"10.11.19\",\"halt\":1}");
      send(producer, "{\"namespace\":\"demo\",\"database\":\"demo-px\",\"targetVersion\":\"10.11.77\","
          + "\"name\":\"unknown-target\"}");
      // poison records: each once ended (or could end) the door's loop; all must be set aside and the loop go on
      byte[] oneMegabyte = new byte[1_000_000];
      java.util.Arrays.fill(oneMegabyte, (byte) 'x');
      send(producer, "demo/demo-px", oneMegabyte);
      send(producer, new byte[] {(byte) 0xC3, (byte) 0x28, 0, (byte) 0xFF}, "{".getBytes(StandardCharsets.UTF_8));
      send(producer, "demo/demo-px", new byte[0]);
      send(producer, "demo/demo-px", null);
      send(producer, "{\"namespace\":\"demo\",\"database\":\"demo-px\",\"targetVersion\":10.11}");
      send(producer, "{\"namespace\":\"demo\",\"database\":\"demo-px\",\"database\":\"x\","
          + "\"targetVersion\":\"10.11.19\"}");
      send(producer, "{\"namespace\":\"demo\",\"database\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
      send(producer, "{\"namespace\":\"demo\",\"database\":\"demo-px\",\"targetVersion\":\"10.11.19\","
          + "\"name\":\"Not..A_Name\"}");
      send(producer, "{\"namespace\":\"demo\",\"database\":\"demo-px\",\"targetVersion\":\"10.11.19\","
          + "\"timeout\":\"9999999999999999999s\",\"name\":\"huge-timeout\"}");
      send(producer, "{\"namespace\":\"demo\",\"database\":\"demo-px\",\"targetVersion\":\"../x\","
          + "\"name\":\"path-target\"}");
      // and a valid request after them all, sent under the sender's trace id
      String trace = TraceIds.newId();
      ProducerRecord<byte[], byte[]> good = new ProducerRecord<>(Topics.REQUESTS, null,
          example.getBytes(StandardCharsets.UTF_8));
      TraceIds.put(good.headers(), trace);
      producer.send(good).get();

      List<DeadLetter> letters = new ArrayList<>();
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(100))) {
          letters.add(JsonCodec.shared().mapper().readValue(r.value(), DeadLetter.class));
        }
        return letters.size() >= 11;
      });
      assertThat(letters).extracting(DeadLetter::problem).containsExactlyInAnyOrder("NotJson", "WrongShape",
          "WrongShape", "NotJson", "NotJson", "NotJson", "NotJson", "WrongShape", "WrongShape", "NotJson",
          "InvalidName");
      assertThat(letters).filteredOn(l -> l.reason().contains("halt")).singleElement()
          .satisfies(l -> assertThat(l.reason()).contains("UnknownField"));
      assertThat(letters).filteredOn(l -> l.reason().contains("Required")).singleElement()
          .satisfies(l -> assertThat(l.reason()).contains("targetVersion"));
      assertThat(letters).filteredOn(l -> l.reason().contains("WrongType")).singleElement()
          .satisfies(l -> assertThat(l.reason()).contains("spec.updateVersion.targetVersion"));
      assertThat(letters).filteredOn(l -> l.reason().contains("DuplicateField")).hasSize(1);
      DeadLetter big = letters.stream().filter(l -> l.valueSize() != null).findFirst().orElseThrow();
      assertThat(big.valueSize()).isEqualTo(1_000_000L);
      assertThat(big.valueSha256()).hasSize(64);
      assertThat(big.value()).hasSizeLessThanOrEqualTo(DeadLetters.MAX_VALUE_BYTES);
      assertThat(letters).filteredOn(l -> l.keyBase64() != null).hasSize(1);

      List<Envelope> seen = new ArrayList<>();
      java.util.Map<String, String> traces = new java.util.HashMap<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(100))) {
          Envelope e = JsonCodec.shared().decode(r.value());
          seen.add(e);
          traces.put(e.eventId(), TraceIds.of(r.headers()));
        }
        return seen.stream().anyMatch(e -> e.payload() instanceof RequestAdmitted)
            && seen.stream().filter(e -> e.payload() instanceof RequestRejected).count() >= 3;
      });
      assertThat(seen).extracting(Envelope::payload).filteredOn(RequestRejected.class::isInstance)
          .map(RequestRejected.class::cast).extracting(RequestRejected::name, RequestRejected::rule)
          .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("unknown-target", "TargetVersionNotFound"),
              org.assertj.core.groups.Tuple.tuple("huge-timeout", "InvalidTimeout"),
              org.assertj.core.groups.Tuple.tuple("path-target", "TargetVersionNotFound"));
      Envelope admission = seen.stream().filter(e -> e.payload() instanceof RequestAdmitted).findFirst()
          .orElseThrow();
      RequestAdmitted admitted = (RequestAdmitted) admission.payload();
      assertThat(admitted.spec().door()).isEqualTo("kafka");
      assertThat(traces.get(admission.eventId())).as("the sender's trace id, through the object to the admission")
          .isEqualTo(trace);
      assertThat(world.client().resources(PerconaXtraDBOpsRequest.class).inNamespace(NS).list().getItems())
          .as("only the good request became an object").extracting(o -> o.getMetadata().getName())
          .containsExactly(admitted.spec().name());
      assertThat(door.alive()).as("the door's loop survived every record").isTrue();
    }
  }

  /**
   * A dead letter that cannot be written (here: the DLQ topic refuses records of its size, as a misconfigured or
   * full topic would) holds its record; the record is not committed past and nothing is lost, the loop stays up,
   * and once the topic accepts it again the letter is written and the loop moves on.
   */
  @Test
  void givenTheDlqRefusesWrites_thenThePoisonRecordIsHeldNotLost_andTheLoopGoesOnWhenItAcceptsAgain(LocalWorld world)
      throws Exception {
    topics(world);
    String group = UniqueNames.unique("door-dlq-down");
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        world.kafka().bootstrapServers()))) {
      // start after whatever other tests left on the topic: only this test's records matter here
      Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
      for (var e : admin.listOffsets(partitionsOf(admin, Topics.REQUESTS)).all().get().entrySet()) {
        ends.put(e.getKey(), new OffsetAndMetadata(e.getValue().offset()));
      }
      admin.alterConsumerGroupOffsets(group, ends).all().get();
      ConfigResource dlqTopic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DLQ);
      AlterConfigOp tooSmall = new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "100"),
          AlterConfigOp.OpType.SET);
      admin.incrementalAlterConfigs(Map.of(dlqTopic, List.of(tooSmall))).all().get();
      try (LifecycleLogPublisher publisher = new LifecycleLogPublisher(world.kafka().bootstrapServers());
          KafkaRequestDoor door = new KafkaRequestDoor(world.kafka().bootstrapServers(), group,
              new OpsRequestSubmitter(world.client(), Duration.ofMinutes(10)), publisher, Clock.systemUTC()).start();
          KafkaProducer<byte[], byte[]> producer = producer(world);
          KafkaConsumer<String, byte[]> dlq = consumer(world, Topics.DLQ)) {
        send(producer, "dlq-down/first", "not json, and its dead letter cannot be written".getBytes(
            StandardCharsets.UTF_8));
        send(producer, "dlq-down/first", "{\"after\": \"the held one\"}".getBytes(StandardCharsets.UTF_8));

        await("the record held while the DLQ refuses").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
            .until(() -> door.alive() && door.handled() == 0);

        admin.incrementalAlterConfigs(Map.of(dlqTopic, List.of(new AlterConfigOp(
            new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, ""), AlterConfigOp.OpType.DELETE)))).all().get();
        List<DeadLetter> letters = new ArrayList<>();
        await("both dead letters once the DLQ accepts").atMost(Duration.ofSeconds(60)).until(() -> {
          for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(100))) {
            DeadLetter letter = JsonCodec.shared().mapper().readValue(r.value(), DeadLetter.class);
            if ("dlq-down/first".equals(letter.key())) {
              letters.add(letter);
            }
          }
          return letters.size() >= 2;
        });
        assertThat(letters).extracting(DeadLetter::problem).containsExactly("NotJson", "WrongShape");
        assertThat(door.handled()).isEqualTo(2);
        assertThat(door.alive()).isTrue();
      }
    }
  }

  private static final java.util.concurrent.atomic.AtomicBoolean TOPICS = new java.util.concurrent.atomic.AtomicBoolean();

  private static void topics(LocalWorld world) {
    if (TOPICS.compareAndSet(false, true)) {
      world.kafka().createTopics(TopicSpec.of(Topics.EVENTS, 3), TopicSpec.of(Topics.REQUESTS, 3),
          TopicSpec.of(Topics.DLQ, 3));
    }
  }

  private static Map<TopicPartition, OffsetSpec> partitionsOf(Admin admin, String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
        .forEach(p -> partitions.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    return partitions;
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String value) throws Exception {
    send(producer, "demo/demo-px", value.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String key, byte[] value) throws Exception {
    send(producer, key.getBytes(StandardCharsets.UTF_8), value);
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, byte[] key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(Topics.REQUESTS, key, value)).get();
  }

  private static KafkaProducer<byte[], byte[]> producer(LocalWorld world) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, world.kafka().bootstrapServers());
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<String, byte[]> consumer(LocalWorld world, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, world.kafka().bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, UniqueNames.unique("kafka-door-it"));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    c.subscribe(List.of(topic));
    return c;
  }
}
