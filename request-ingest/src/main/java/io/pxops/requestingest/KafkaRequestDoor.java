package io.pxops.requestingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.pxops.events.DeadLetter;
import io.pxops.events.Envelope;
import io.pxops.events.GroupIds;
import io.pxops.events.JsonCodec;
import io.pxops.events.RequestRejected;
import io.pxops.events.RequestSpec;
import io.pxops.events.Topics;
import io.pxops.pipeline.DeadLetters;
import io.pxops.requestingest.admission.Admission;
import io.pxops.requestingest.admission.UpdateRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka door: any Kafka client may write a request to {@code pxops.requests} in the published JSON Schema
 * ({@code schema/update-request.schema.json}, example in {@code docs/examples/update-request.json}). Each record is
 * checked against the schema, then by the same admission as every door, and created as an ops request object (the
 * Kubernetes door admits it onto the lifecycle log). A record that is not JSON or not of the schema's shape goes
 * to {@code pxops.dlq} with the reason; one that breaks a rule gets a {@code RequestRejected} on the lifecycle log,
 * so the status shows why. Offsets are committed after each batch is handled: a crash handles a record again, and
 * object creation is idempotent by name.
 */
public final class KafkaRequestDoor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestDoor.class);
  private static final JsonSchema SCHEMA = loadSchema();

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> dlq;
  private final OpsRequestSubmitter submitter;
  private final Consumer<Envelope> publish;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread loop;

  public KafkaRequestDoor(String bootstrapServers, String groupId, OpsRequestSubmitter submitter,
      Consumer<Envelope> publish, Clock clock) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    dlq = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.submitter = submitter;
    this.publish = publish;
    this.clock = clock;
    this.loop = new Thread(this::run, "kafka-request-door");
  }

  /**
   * Starts consuming in the background, reporting the loop's death to {@code health}: a door whose thread died in
   * a process that lives on (and answers its probes) is a zombie nobody restarts.
   */
  public KafkaRequestDoor start(io.pxops.pipeline.health.ServiceHealth health, String part) {
    health.ready(part);
    loop.setUncaughtExceptionHandler((thread, e) -> health.died(part, "the Kafka door's loop threw " + e, e));
    return start();
  }

  /** Starts consuming in the background. */
  public KafkaRequestDoor start() {
    consumer.subscribe(List.of(Topics.REQUESTS));
    loop.start();
    return this;
  }

  private void run() {
    try {
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          handle(record);
        }
        consumer.commitSync();
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      consumer.close();
    }
  }

  void handle(ConsumerRecord<String, byte[]> record) {
    JsonNode tree;
    try {
      tree = record.value() == null ? null : JsonCodec.shared().mapper().readTree(record.value());
    } catch (IOException e) {
      deadLetter(record, "NotJson", "the value is not JSON: " + e.getMessage().split("\n")[0]);
      return;
    }
    if (tree == null || tree.isMissingNode()) {
      deadLetter(record, "NotJson", "the record has no value");
      return;
    }
    Set<ValidationMessage> problems = SCHEMA.validate(tree);
    if (!problems.isEmpty()) {
      deadLetter(record, "WrongShape", "the value does not fit the update request schema: "
          + problems.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; ")));
      return;
    }
    UpdateRequest request = new UpdateRequest(text(tree, "name"), text(tree, "namespace"), Admission.UPDATE_VERSION,
        text(tree, "database"), text(tree, "targetVersion"), text(tree, "timeout"), text(tree, "apply"),
        tree.hasNonNull("maxRetries") ? tree.get("maxRetries").asInt() : null, clock.instant(),
        RequestSpec.DOOR_KAFKA, text(tree, "clientRequestId"));
    OpsRequestSubmitter.Outcome outcome = submitter.submit(request);
    String field;
    String rule;
    String message;
    if (outcome instanceof OpsRequestSubmitter.Outcome.Refused refused) {
      field = refused.rejection().field();
      rule = refused.rejection().rule();
      message = refused.rejection().message();
    } else if (outcome instanceof OpsRequestSubmitter.Outcome.NameTaken taken) {
      field = "name";
      rule = "NameTaken";
      message = "an ops request named " + taken.namespace() + "/" + taken.name() + " already exists";
    } else {
      return;
    }
    String name = request.name() != null ? request.name() : OpsRequestSubmitter.nameFor(request);
    String ns = request.namespace();
    String database = request.database() != null && request.database().matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
        ? request.database() : "unknown";
    if (ns == null || !ns.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || !name.matches("[a-z0-9.-]+")) {
      // no valid reference to report the rejection under: the record itself goes to the DLQ with the reason
      deadLetter(record, rule, message);
      return;
    }
    publish.accept(Envelope.of(UUID.randomUUID().toString(), ns + "/" + name, ns + "/" + database,
        clock.instant(), null, new RequestRejected(name, ns, request.database(), request.targetVersion(),
            RequestSpec.DOOR_KAFKA, request.clientRequestId(), field, rule, message)));
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record, String problem, String reason) {
    DeadLetter letter = DeadLetters.of(GroupIds.REQUEST_INGEST, record.topic(), record.partition(), record.offset(),
        record.key(), record.value(), problem, reason, clock.instant());
    LOG.warn("dead letter from {}-{}@{}: {} ({})", record.topic(), record.partition(), record.offset(), reason,
        problem);
    try {
      dlq.send(new ProducerRecord<>(Topics.DLQ, record.key(), JsonCodec.shared().mapper().writeValueAsBytes(letter)))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException("could not write a dead letter to " + Topics.DLQ, e);
    }
  }

  private static String text(JsonNode tree, String field) {
    return tree.hasNonNull(field) ? tree.get(field).asText() : null;
  }

  private static JsonSchema loadSchema() {
    try (InputStream in = KafkaRequestDoor.class.getResourceAsStream("/schema/update-request.schema.json")) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    } catch (IOException e) {
      throw new IllegalStateException("the update request schema is missing from the classpath", e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    loop.join(10_000);
    dlq.close();
  }
}
