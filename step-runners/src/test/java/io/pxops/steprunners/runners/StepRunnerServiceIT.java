package io.pxops.steprunners.runners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.pxops.events.ApplyPolicy;
import io.pxops.events.Command;
import io.pxops.events.DatabasePaused;
import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.events.PauseDatabase;
import io.pxops.events.RequestSpec;
import io.pxops.events.RunPreflight;
import io.pxops.events.StepFailed;
import io.pxops.events.Topics;
import io.pxops.events.VerifyCluster;
import io.pxops.kubedb.KubeDbConditions;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.kubedb.PerconaXtraDBOpsRequestSpec;
import io.pxops.pipeline.steps.CommandService;
import io.pxops.sandbox.kafka.TopicSpec;
import io.pxops.sandbox.kafka.UniqueNames;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.sandbox.world.LocalWorldExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
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
 * The runners as a Kafka service: commands in, answers out with the command's id as causation; the verifier's
 * commands are left alone; a fatal problem is answered with a StepFailed naming it; a redelivered command is
 * answered again without harm.
 */
class StepRunnerServiceIT {

  private static final String NS = "service-it";
  private static final Duration TIMEOUT = Duration.ofMinutes(1);

  @RegisterExtension
  static final LocalWorldExtension WORLD = new LocalWorldExtension(LocalWorld.builder().namespace(NS)
      .pods(LocalWorld.Pods.SIMULATED));

  @Test
  void givenCommandsOnTheTopic_thenEachOfOursIsAnsweredOnTheLog(LocalWorld world) throws Exception {
    world.kafka().createTopics(TopicSpec.of(Topics.COMMANDS, 3), TopicSpec.of(Topics.EVENTS, 3),
        TopicSpec.of(Topics.DLQ, 3));
    world.createDatabase("orders", 3, world.olderVersion());
    PerconaXtraDBOpsRequest o = new PerconaXtraDBOpsRequest();
    o.setMetadata(new ObjectMetaBuilder().withName("upd").withNamespace(NS).build());
    PerconaXtraDBOpsRequestSpec spec = new PerconaXtraDBOpsRequestSpec();
    spec.setType("UpdateVersion");
    spec.setDatabaseRef(new LocalObjectReference("orders"));
    o.setSpec(spec);
    world.client().resources(PerconaXtraDBOpsRequest.class).inNamespace(NS).resource(o).create();

    StepRunners runners = new StepRunners(world.client(), Clock.systemUTC(), Duration.ofMinutes(2));
    try (CommandService service = new CommandService(world.kafka().bootstrapServers(),
        UniqueNames.unique("runners"), runners, Clock.systemUTC(), Duration.ofMillis(200)).start();
        KafkaProducer<String, byte[]> producer = producer(world);
        KafkaConsumer<String, byte[]> events = consumer(world)) {
      Envelope pause = command("orders", new PauseDatabase(TIMEOUT));
      Envelope verify = command("orders", new VerifyCluster(3, TIMEOUT));
      Envelope missing = command("nosuch", new RunPreflight(new RequestSpec("upd", NS, "nosuch",
          world.newerVersion(), TIMEOUT, ApplyPolicy.IF_READY, 1, Instant.now(), "http", null), false, TIMEOUT));
      send(producer, pause);
      send(producer, verify);
      send(producer, missing);
      send(producer, pause); // redelivered

      List<Envelope> seen = new ArrayList<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(100))) {
          seen.add(JsonCodec.shared().decode(r.value()));
        }
        return seen.stream().anyMatch(e -> e.payload() instanceof StepFailed)
            && seen.stream().filter(e -> e.payload() instanceof DatabasePaused).count() >= 1;
      });
      assertThat(seen).filteredOn(e -> e.payload() instanceof DatabasePaused).extracting(Envelope::causationId)
          .containsOnly(pause.eventId());
      StepFailed failed = seen.stream().map(Envelope::payload).filter(StepFailed.class::isInstance)
          .map(StepFailed.class::cast).findFirst().orElseThrow();
      assertThat(failed.reason()).isEqualTo("DatabaseNotFound");
      assertThat(failed.retriable()).isFalse();
      assertThat(seen).noneMatch(e -> verify.eventId().equals(e.causationId()));
      assertThat(KubeDbConditions.isPaused(world.client().resources(PerconaXtraDB.class).inNamespace(NS)
          .withName("orders").get())).isTrue();
    }
  }

  private static Envelope command(String db, Command c) {
    return Envelope.of(UUID.randomUUID().toString(), NS + "/upd", NS + "/" + db, Instant.now(), null, c);
  }

  private static void send(KafkaProducer<String, byte[]> producer, Envelope e) throws Exception {
    producer.send(new ProducerRecord<>(Topics.COMMANDS, e.database(), JsonCodec.shared().encode(e))).get();
  }

  private static KafkaProducer<String, byte[]> producer(LocalWorld world) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, world.kafka().bootstrapServers());
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<String, byte[]> consumer(LocalWorld world) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, world.kafka().bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, UniqueNames.unique("service-it"));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    c.subscribe(List.of(Topics.EVENTS));
    return c;
  }
}
