package io.pxops.requestingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pxops.events.DeadLetter;
import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.RequestRejected;
import io.pxops.events.Topics;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka door on the local world: the published example admits; records that are not JSON or not of the
 * schema's shape go to the DLQ with the reason and nothing stalls; one that breaks a rule is rejected on the log.
 */
class KafkaDoorIT {

  private static final String NS = "demo";

  @RegisterExtension
  static final LocalWorldExtension WORLD = new LocalWorldExtension(LocalWorld.builder().namespace(NS)
      .pods(LocalWorld.Pods.SIMULATED));

  @Test
  void givenRecordsOnTheRequestsTopic_thenGoodOnesAreAdmittedAndBadOnesExplained(LocalWorld world) throws Exception {
    world.kafka().createTopics(TopicSpec.of(Topics.EVENTS, 3), TopicSpec.of(Topics.REQUESTS, 3),
        TopicSpec.of(Topics.DLQ, 3));
    world.createDatabase("demo-px", 3, world.olderVersion());
    String example = Files.readString(Path.of("../docs/examples/update-request.json"));
    try (LifecycleLogPublisher publisher = new LifecycleLogPublisher(world.kafka().bootstrapServers());
        OpsRequestWatcher watcher = new OpsRequestWatcher(world.client(), publisher, Duration.ofMinutes(10),
            Clock.systemUTC()).start();
        KafkaRequestDoor door = new KafkaRequestDoor(world.kafka().bootstrapServers(), UniqueNames.unique("door"),
            new OpsRequestSubmitter(world.client(), Duration.ofMinutes(10)), publisher, Clock.systemUTC()).start();
        KafkaProducer<String, byte[]> producer = producer(world);
        KafkaConsumer<String, byte[]> events = consumer(world, Topics.EVENTS);
        KafkaConsumer<String, byte[]> dlq = consumer(world, Topics.DLQ)) {
      send(producer, "not json at all");
      send(producer, "{\"namespace\":\"demo\",\"database\":\"demo-px\"}");
      send(producer, "{\"namespace\":\"demo\",\"database\":\"demo-px\",\"targetVersion\":\"10.11.19\",\"halt\":1}");
      send(producer, "{\"namespace\":\"demo\",\"database\":\"demo-px\",\"targetVersion\":\"10.11.77\","
          + "\"name\":\"unknown-target\"}");
      send(producer, example);

      List<DeadLetter> letters = new ArrayList<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(100))) {
          letters.add(JsonCodec.shared().mapper().readValue(r.value(), DeadLetter.class));
        }
        return letters.size() >= 3;
      });
      assertThat(letters).extracting(DeadLetter::problem).containsExactly("NotJson", "WrongShape", "WrongShape");
      assertThat(letters.get(1).reason()).contains("targetVersion");
      assertThat(letters.get(2).reason()).contains("halt");

      List<Envelope> seen = new ArrayList<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(100))) {
          seen.add(JsonCodec.shared().decode(r.value()));
        }
        return seen.stream().anyMatch(e -> e.payload() instanceof RequestAdmitted)
            && seen.stream().anyMatch(e -> e.payload() instanceof RequestRejected);
      });
      RequestRejected rejected = seen.stream().map(Envelope::payload).filter(RequestRejected.class::isInstance)
          .map(RequestRejected.class::cast).findFirst().orElseThrow();
      assertThat(rejected.rule()).isEqualTo("TargetVersionNotFound");
      assertThat(rejected.name()).isEqualTo("unknown-target");
      RequestAdmitted admitted = seen.stream().map(Envelope::payload).filter(RequestAdmitted.class::isInstance)
          .map(RequestAdmitted.class::cast).findFirst().orElseThrow();
      assertThat(admitted.spec().door()).isEqualTo("kafka");
      assertThat(world.client().resources(PerconaXtraDBOpsRequest.class).inNamespace(NS).list().getItems())
          .as("only the good request became an object").extracting(o -> o.getMetadata().getName())
          .containsExactly(admitted.spec().name());
    }
  }

  private static void send(KafkaProducer<String, byte[]> producer, String value) throws Exception {
    producer.send(new ProducerRecord<>(Topics.REQUESTS, "demo/demo-px", value.getBytes(StandardCharsets.UTF_8)))
        .get();
  }

  private static KafkaProducer<String, byte[]> producer(LocalWorld world) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, world.kafka().bootstrapServers());
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
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
