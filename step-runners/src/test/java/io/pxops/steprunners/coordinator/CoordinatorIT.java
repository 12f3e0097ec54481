package io.pxops.steprunners.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pxops.events.ApplyPolicy;
import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.RequestSpec;
import io.pxops.events.RequestSucceeded;
import io.pxops.events.ResumeDatabase;
import io.pxops.events.Topics;
import io.pxops.sandbox.kafka.KafkaBroker;
import io.pxops.sandbox.kafka.KafkaBrokerExtension;
import io.pxops.sandbox.kafka.UniqueNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The coordinator on a real broker under exactly_once_v2: a request runs to success while the test answers its
 * commands as the runners would, and a coordinator instance that stops mid-request is replaced by one with an
 * empty state directory (its state comes back from the changelog) without any command being issued twice.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CoordinatorIT {


  @Test
  void givenACoordinatorReplacedMidRequest_thenTheUpdateCompletesAndNoCommandIsIssuedTwice(KafkaBroker broker)
      throws Exception {
    CoordinatorMain.createMissingTopics(broker.bootstrapServers(), 1, null);
    String appId = UniqueNames.unique("coordinator-it");
    String db = UniqueNames.unique("orders");
    String database = "it/" + db;
    KafkaStreams first = start(broker, appId);
    Map<String, Integer> issued = new HashMap<>();
    List<Long> stepLatenciesMicros = new ArrayList<>();

    try (KafkaProducer<String, byte[]> producer = producer(broker);
        KafkaConsumer<String, byte[]> commands = consumer(broker, Topics.COMMANDS);
        KafkaConsumer<String, byte[]> events = consumer(broker, Topics.EVENTS)) {
      RequestSpec spec = new RequestSpec("upd-1", "it", db, "10.11.19", Duration.ofMinutes(5), ApplyPolicy.IF_READY,
          1, Instant.now(), RequestSpec.DOOR_KUBERNETES, null);
      send(producer, Envelope.of(UUID.randomUUID().toString(), "it/upd-1", database, Instant.now(), null,
          new RequestAdmitted(spec)));

      KafkaStreams current = first;
      int answered = 0;
      long sentAt = System.nanoTime();
      boolean succeeded = false;
      while (!succeeded) {
        Envelope command = nextCommand(commands, database);
        stepLatenciesMicros.add((System.nanoTime() - sentAt) / 1000);
        issued.merge(command.type() + HappyRunners.podOf(command.payload()), 1, Integer::sum);
        if (++answered == 6) {
          // the coordinator goes away mid-request; its replacement starts from an empty state directory
          current.close(Duration.ofSeconds(10));
          current = start(broker, appId);
        }
        sentAt = System.nanoTime();
        send(producer, Envelope.of(UUID.randomUUID().toString(), command.opsRequest(), command.database(),
            Instant.now(), command.eventId(), HappyRunners.answer(command.payload())));
        if (command.payload() instanceof ResumeDatabase) {
          await().atMost(Duration.ofSeconds(30)).until(() -> succeeded(events, database));
          succeeded = true;
        }
      }
      current.close(Duration.ofSeconds(10));
    }

    assertThat(issued).hasSize(15).allSatisfy((command, count) -> assertThat(count).as(command).isEqualTo(1));
    List<Long> sorted = stepLatenciesMicros.stream().sorted().toList();
    System.out.printf("coordinator step latency (result produced -> next command read, read_committed): "
        + "p50 %d us, max %d us over %d steps (one includes the coordinator's replacement)%n",
        sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), sorted.size());
  }

  private static KafkaStreams start(KafkaBroker broker, String appId) throws Exception {
    Path stateDir = Files.createTempDirectory("coordinator-it-");
    CoordinatorConfig config = CoordinatorConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
        "PXOPS_STATE_DIR", stateDir.toString(), "PXOPS_APPLICATION_ID", appId, "PXOPS_REPLICATION_FACTOR", "1",
        "PXOPS_TICK_INTERVAL", "PT0.5S"));
    Properties props = config.streamsProperties();
    // the replaced instance goes away without leaving the group, as a crashed one would: the broker's minimum
    // session timeout keeps the wait for its eviction short
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
    KafkaStreams streams = new KafkaStreams(CoordinatorTopology.build(config.tickInterval(), Clock.systemUTC()),
        props);
    streams.start();
    return streams;
  }

  private static Envelope nextCommand(KafkaConsumer<String, byte[]> commands, String database) {
    List<Envelope> found = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1)).until(() -> {
      for (ConsumerRecord<String, byte[]> r : commands.poll(Duration.ofMillis(20))) {
        if (database.equals(r.key())) {
          found.add(JsonCodec.shared().decode(r.value()));
        }
      }
      return !found.isEmpty();
    });
    assertThat(found).as("one outstanding command at a time").hasSize(1);
    return found.get(0);
  }

  private static boolean succeeded(KafkaConsumer<String, byte[]> events, String database) {
    for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(100))) {
      if (database.equals(r.key()) && JsonCodec.shared().decode(r.value()).payload() instanceof RequestSucceeded) {
        return true;
      }
    }
    return false;
  }



  private static void send(KafkaProducer<String, byte[]> producer, Envelope e) throws Exception {
    producer.send(new ProducerRecord<>(Topics.EVENTS, e.database(), JsonCodec.shared().encode(e))).get();
  }

  private static KafkaProducer<String, byte[]> producer(KafkaBroker broker) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<String, byte[]> consumer(KafkaBroker broker, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, UniqueNames.unique("it-reader"));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    c.subscribe(List.of(topic));
    return c;
  }
}
