package io.pxops.pipeline.steps;

import io.pxops.events.Command;
import io.pxops.events.Envelope;
import io.pxops.events.Event;
import io.pxops.events.Headers;
import io.pxops.events.InvalidMessageException;
import io.pxops.events.JsonCodec;
import io.pxops.events.StepFailed;
import io.pxops.events.StepProgressed;
import io.pxops.events.Topics;
import io.pxops.pipeline.DeadLetters;
import io.pxops.pipeline.steps.ErrorClassifier.ErrorClass;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service that answers commands, on Kafka: consumes {@code pxops.commands} in its own consumer group and answers
 * the commands its {@link CommandHandler} handles on {@code pxops.events}. The step runners and the verifier are two
 * such services; two instances of one share the partitions.
 *
 * <p>Long waits never block the poll loop: each command is attempted on a scheduler and, while it is not done, tried
 * again every {@code recheck} (a blocked step, a pod still starting). A partition's offset is committed only up to
 * its lowest command not yet answered, so the commands a crashed instance had in hand are redelivered to the next
 * one; the runners are level-based and the coordinator ignores a second answer to the same command, so that is safe.
 * Results are sent by an idempotent producer with {@code acks=all}; no transaction is needed, because nothing read
 * here is written back atomically with the result.
 */
public final class CommandService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CommandService.class);
  private static final int MAX_RETRIABLE_ATTEMPTS = 6;
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final CommandHandler handler;
  private final String service;
  private final Clock clock;
  private final Duration recheck;
  private final ScheduledExecutorService scheduler;
  /** Offsets read and not yet answered, per partition: the commit point is the lowest. */
  private final Map<TopicPartition, TreeSet<Long>> pending = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Long> consumed = new ConcurrentHashMap<>();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread loop;

  /**
   * Creates the service; {@link #start()} starts it.
   *
   * @param bootstrapServers Kafka
   * @param groupId the consumer group: the service's name, shared by its instances
   * @param handler what answers the commands
   * @param clock the clock of timestamps and deadlines
   * @param recheck how long to wait before looking again at a step that is not done yet
   */
  public CommandService(String bootstrapServers, String groupId, CommandHandler handler, Clock clock,
      Duration recheck) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // a crashed instance's commands go to another one only once its session expires: keep that well inside a
    // step's timeout (the default 45 s would be most of a short one)
    c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
    consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.handler = handler;
    this.service = groupId;
    this.clock = clock;
    this.recheck = recheck;
    // attempts wait on the network (Kubernetes, JDBC) and never on each other: a few threads keep many steps moving
    this.scheduler = Executors.newScheduledThreadPool(4, r -> {
      Thread t = new Thread(r, groupId + "-attempt");
      t.setDaemon(true);
      return t;
    });
    this.loop = new Thread(this::run, groupId + "-poll");
  }

  /**
   * Subscribes and starts the poll loop.
   *
   * @return this
   */
  public CommandService start() {
    consumer.subscribe(List.of(Topics.COMMANDS));
    loop.start();
    return this;
  }

  private void run() {
    try {
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          consumed.put(tp, record.offset() + 1);
          take(tp, record);
        }
        commit();
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      consumer.close();
    }
  }

  private void take(TopicPartition tp, ConsumerRecord<String, byte[]> record) {
    Envelope envelope;
    try {
      envelope = JsonCodec.shared().decode(record.value());
    } catch (InvalidMessageException e) {
      send(Topics.DLQ, record.key(), deadLetter(record, e));
      return;
    }
    if (!(envelope.payload() instanceof Command command) || !handler.handles(command)
        || !inFlight.add(envelope.eventId())) {
      return; // another service's, or already in hand
    }
    TreeSet<Long> offsets = pending.computeIfAbsent(tp, k -> new TreeSet<>());
    synchronized (offsets) {
      offsets.add(record.offset());
    }
    Instant giveUpAt = clock.instant().plus(command.timeout());
    scheduler.execute(() -> attempt(tp, record.offset(), envelope, command, giveUpAt, 0, Instant.MIN));
  }

  private void attempt(TopicPartition tp, long offset, Envelope envelope, Command command, Instant giveUpAt,
      int retriableFailures, Instant lastProgress) {
    if (!running.get()) {
      return;
    }
    try {
      Attempt a = handler.attempt(envelope);
      if (a instanceof Attempt.Done done) {
        answer(tp, offset, envelope, done.result());
        return;
      }
      Attempt.NotYet notYet = (Attempt.NotYet) a;
      Instant now = clock.instant();
      Instant progressed = lastProgress;
      if (notYet.progress() && now.isAfter(lastProgress.plus(PROGRESS_EVERY))) {
        send(Topics.EVENTS, envelope.database(), result(envelope, new StepProgressed(command.step(), command.pod(),
            notYet.detail())));
        progressed = now;
      }
      // progress moves the coordinator's deadline; follow it, or a long state transfer would be abandoned here
      Instant deadline = notYet.progress() ? now.plus(command.timeout()) : giveUpAt;
      again(tp, offset, envelope, command, deadline, 0, progressed, recheck);
    } catch (RuntimeException e) {
      ErrorClass kind = ErrorClassifier.classify(e);
      if (kind == ErrorClass.BLOCKED) {
        again(tp, offset, envelope, command, giveUpAt, 0, lastProgress, recheck);
      } else if (kind == ErrorClass.RETRIABLE && retriableFailures + 1 < MAX_RETRIABLE_ATTEMPTS) {
        again(tp, offset, envelope, command, giveUpAt, retriableFailures + 1, lastProgress,
            recheck.multipliedBy(1L << Math.min(retriableFailures + 1, 5)));
      } else {
        String reason = e instanceof FatalStepException f ? f.reason() : e.getClass().getSimpleName();
        LOG.warn("{} for {} failed ({}): {}", envelope.type(), envelope.opsRequest(), kind, e.getMessage());
        answer(tp, offset, envelope, new StepFailed(command.step(), command.pod(), reason,
            String.valueOf(e.getMessage()), kind == ErrorClass.RETRIABLE));
      }
    }
  }

  private void again(TopicPartition tp, long offset, Envelope envelope, Command command, Instant giveUpAt,
      int retriableFailures, Instant lastProgress, Duration delay) {
    if (clock.instant().isAfter(giveUpAt)) {
      // the coordinator has timed the step out by now; stop looking and let the offset go
      done(tp, offset, envelope);
      return;
    }
    scheduler.schedule(() -> attempt(tp, offset, envelope, command, giveUpAt, retriableFailures, lastProgress),
        delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void answer(TopicPartition tp, long offset, Envelope command, Event result) {
    send(Topics.EVENTS, command.database(), result(command, result));
    done(tp, offset, command);
  }

  private void done(TopicPartition tp, long offset, Envelope command) {
    TreeSet<Long> offsets = pending.get(tp);
    if (offsets != null) {
      synchronized (offsets) {
        offsets.remove(offset);
      }
    }
    inFlight.remove(command.eventId());
  }

  private void commit() {
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    consumed.forEach((tp, next) -> {
      TreeSet<Long> offsets = pending.get(tp);
      long point = next;
      if (offsets != null) {
        synchronized (offsets) {
          if (!offsets.isEmpty()) {
            point = offsets.first();
          }
        }
      }
      commits.put(tp, new OffsetAndMetadata(point));
    });
    if (!commits.isEmpty()) {
      consumer.commitSync(commits);
    }
  }

  private Envelope result(Envelope command, Event result) {
    return Envelope.of(UUID.randomUUID().toString(), command.opsRequest(), command.database(), clock.instant(),
        command.eventId(), result);
  }

  private void send(String topic, String key, Object value) {
    byte[] bytes;
    ProducerRecord<String, byte[]> record;
    if (value instanceof Envelope e) {
      bytes = JsonCodec.shared().encode(e);
      record = new ProducerRecord<>(topic, key, bytes);
      Headers.of(e).forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    } else {
      try {
        bytes = JsonCodec.shared().mapper().writeValueAsBytes(value);
      } catch (Exception ex) {
        throw new IllegalStateException(ex);
      }
      record = new ProducerRecord<>(topic, key, bytes);
    }
    try {
      producer.send(record).get();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(ex);
    } catch (ExecutionException ex) {
      throw new IllegalStateException("could not write to " + topic + ": " + ex.getCause(), ex.getCause());
    }
  }

  private Object deadLetter(ConsumerRecord<String, byte[]> record, InvalidMessageException e) {
    return DeadLetters.of(service, record.topic(), record.partition(), record.offset(), record.key(),
        record.value(), e.problem().name(), e.getMessage(), clock.instant());
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    loop.join(10_000);
    scheduler.shutdownNow();
    producer.close();
  }
}
