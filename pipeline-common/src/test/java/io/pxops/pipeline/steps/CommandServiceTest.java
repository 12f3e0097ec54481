package io.pxops.pipeline.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.pxops.events.DatabasePaused;
import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.events.PauseDatabase;
import io.pxops.events.StepFailed;
import io.pxops.events.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.pipeline.health.ServiceHealth;
import io.pxops.pipeline.logging.JsonLogCapture;
import io.pxops.pipeline.logging.LogContext;
import io.pxops.pipeline.logging.TraceIds;
import io.pxops.pipeline.metrics.PxopsMeters;
import io.pxops.pipeline.metrics.ServiceMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The command loop against Kafka's own client test doubles ({@link MockConsumer}, {@link MockProducer}): what it
 * does when the handler throws, an answer cannot be sent, a partition is revoked, a commit fails, or the poll loop
 * dies. The rebalance is driven the way KafkaConsumer drives it: the listener runs on the poll thread, inside poll.
 */
class CommandServiceTest {

  private static final TopicPartition P0 = new TopicPartition(Topics.COMMANDS, 0);
  private static final TopicPartition P1 = new TopicPartition(Topics.COMMANDS, 1);
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  /** MockConsumer that keeps the rebalance listener and can fail commits, as a broker mid-rebalance does. */
  static final class Consumer extends MockConsumer<String, byte[]> {
    volatile ConsumerRebalanceListener listener;
    final AtomicInteger commitFailuresLeft = new AtomicInteger();
    final List<Map<TopicPartition, OffsetAndMetadata>> commits = new CopyOnWriteArrayList<>();

    Consumer() {
      super("earliest");
    }

    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener l) {
      listener = l;
      super.subscribe(topics, l);
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
      int left = commitFailuresLeft.getAndDecrement();
      if (left > 0) {
        throw left % 2 == 0 ? new CommitFailedException() : new RebalanceInProgressException("rebalancing");
      }
      commits.add(Map.copyOf(offsets));
      super.commitSync(offsets);
    }

    /** Moves the assignment to {@code now} on the poll thread, calling the listener as KafkaConsumer does. */
    void reassign(Set<TopicPartition> now) {
      schedulePollTask(() -> {
        Set<TopicPartition> revoked = new HashSet<>(assignment());
        revoked.removeAll(now);
        Set<TopicPartition> added = new HashSet<>(now);
        added.removeAll(assignment());
        if (!revoked.isEmpty()) {
          listener.onPartitionsRevoked(revoked);
        }
        rebalance(now);
        for (TopicPartition tp : added) {
          updateBeginningOffsets(Map.of(tp, 0L));
        }
        listener.onPartitionsAssigned(added);
      });
    }

    long committedOffset(TopicPartition tp) {
      OffsetAndMetadata o = committed(Set.of(tp)).get(tp);
      return o == null ? -1 : o.offset();
    }
  }

  private final Consumer consumer = new Consumer();
  private final MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(),
      new ByteArraySerializer());
  private final List<String> exits = new CopyOnWriteArrayList<>();
  private final ServiceHealth health = new ServiceHealth("test-runners", (s, reason, cause) -> exits.add(reason),
      () -> null);
  private CommandService service;

  private CommandService start(CommandHandler handler) {
    service = new CommandService(consumer, producer, "test-runners", handler, Clock.systemUTC(),
        Duration.ofMillis(20), health).start();
    consumer.reassign(Set.of(P0, P1));
    return service;
  }

  @AfterEach
  void close() throws Exception {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void givenTheAnswerCannotBeSent_thenItIsSentAgainAndNeverBecomesTheStepsFailure() {
    start(handler(e -> new Attempt.Done(new DatabasePaused())));
    Envelope pause = command("orders");
    addRecord(P0, 0, pause);

    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
    producer.errorNext(new TimeoutException("the broker did not answer"));
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 2);
    producer.errorNext(new TimeoutException("the broker did not answer"));
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 3);
    assertThat(consumer.committedOffset(P0)).as("not committed past an unsent answer").isLessThan(1);

    producer.completeNext();
    await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committedOffset(P0) == 1);
    List<Envelope> sent = producer.history().stream().map(r -> JsonCodec.shared().decode(r.value())).toList();
    assertThat(sent).allSatisfy(e -> {
      assertThat(e.payload()).isInstanceOf(DatabasePaused.class);
      assertThat(e.causationId()).isEqualTo(pause.eventId());
    });
    assertThat(sent).extracting(Envelope::eventId).as("the same answer, sent again").containsOnly(
        sent.get(0).eventId());
    assertThat(exits).isEmpty();
  }

  @Test
  void givenTheHandlerThrows_thenTheStepFailsWithTheReasonAndTheLoopGoesOn() {
    producer.close();
    MockProducer<String, byte[]> autoProducer = new MockProducer<>(true, null, new StringSerializer(),
        new ByteArraySerializer());
    Envelope broken = command("broken");
    Envelope fine = command("fine");
    service = new CommandService(consumer, autoProducer, "test-runners", handler(e -> {
      if (e.eventId().equals(broken.eventId())) {
        throw new IllegalStateException("a bug in the handler");
      }
      return new Attempt.Done(new DatabasePaused());
    }), Clock.systemUTC(), Duration.ofMillis(20), health).start();
    consumer.reassign(Set.of(P0, P1));
    addRecord(P0, 0, broken);
    addRecord(P0, 1, fine);

    await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committedOffset(P0) == 2);
    Map<String, Object> answers = new java.util.HashMap<>();
    for (ProducerRecord<String, byte[]> r : autoProducer.history()) {
      Envelope e = JsonCodec.shared().decode(r.value());
      answers.put(e.causationId(), e.payload());
    }
    assertThat(answers.get(broken.eventId())).isInstanceOfSatisfying(StepFailed.class,
        f -> assertThat(f.reason()).isEqualTo("IllegalStateException"));
    assertThat(answers.get(fine.eventId())).isInstanceOf(DatabasePaused.class);
    assertThat(health.live().ok()).isTrue();
    assertThat(exits).isEmpty();
  }

  @Test
  void givenThePartitionIsRevoked_thenItsAttemptsStopAndTheirAnswersAreNotSent() {
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger looks = new AtomicInteger();
    start(handler(e -> {
      looks.incrementAndGet();
      return done.get() ? new Attempt.Done(new DatabasePaused()) : new Attempt.NotYet("a pod starting", false);
    }));
    addRecord(P0, 0, command("orders"));
    await().atMost(Duration.ofSeconds(10)).until(() -> looks.get() >= 3);

    consumer.reassign(Set.of(P1));
    await().atMost(Duration.ofSeconds(10)).until(() -> !consumer.assignment().contains(P0));
    done.set(true);
    int seen = looks.get();
    // the recheck is 20 ms: a live attempt would have looked many times, and answered, within this wait
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> looks.get() <= seen + 1);
    assertThat(producer.history()).as("no answer for a revoked partition").isEmpty();
    assertThat(consumer.committedOffset(P0)).as("the unanswered command stays uncommitted").isLessThan(1);
    assertThat(exits).isEmpty();
  }

  @Test
  void givenCommitsFail_thenTheLoopGoesOnAndCommitsLater() {
    producer.close();
    MockProducer<String, byte[]> autoProducer = new MockProducer<>(true, null, new StringSerializer(),
        new ByteArraySerializer());
    consumer.commitFailuresLeft.set(6);
    service = new CommandService(consumer, autoProducer, "test-runners",
        handler(e -> new Attempt.Done(new DatabasePaused())), Clock.systemUTC(), Duration.ofMillis(20), health)
        .start();
    consumer.reassign(Set.of(P0, P1));
    addRecord(P0, 0, command("orders"));
    addRecord(P1, 0, command("billing"));

    await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committedOffset(P0) == 1
        && consumer.committedOffset(P1) == 1);
    assertThat(consumer.commitFailuresLeft.get()).as("every failure was met").isLessThanOrEqualTo(0);
    assertThat(autoProducer.history()).hasSize(2);
    assertThat(health.live().ok()).isTrue();
    assertThat(exits).isEmpty();
  }

  @Test
  void givenThePollLoopDies_thenTheServiceHealthEndsTheProcess() {
    start(handler(e -> new Attempt.Done(new DatabasePaused())));
    await().atMost(Duration.ofSeconds(10)).until(() -> health.readiness().ok());
    consumer.setPollException(new KafkaException("the consumer is broken for good"));

    await().atMost(Duration.ofSeconds(10)).until(() -> !exits.isEmpty());
    assertThat(exits.get(0)).startsWith(CommandService.LOOP + " died");
    assertThat(health.live().ok()).isFalse();
    assertThat(health.readiness().ok()).isFalse();
  }

  private CommandService startWithRecheck(CommandHandler handler, Duration recheck) {
    service = new CommandService(consumer, producer, "test-runners", handler, Clock.systemUTC(), recheck, health)
        .start();
    consumer.reassign(Set.of(P0, P1));
    return service;
  }

  @Test
  void givenAWakeForItsDatabase_thenAWaitingCommandLooksAgainAtOnceInsteadOfAtItsRecheck() {
    AtomicBoolean podReady = new AtomicBoolean();
    AtomicInteger looks = new AtomicInteger();
    // a recheck of an hour: only the wake can bring the answer within the test
    startWithRecheck(handler(e -> {
      looks.incrementAndGet();
      return podReady.get() ? new Attempt.Done(new DatabasePaused()) : new Attempt.NotYet("pod starting", false);
    }), Duration.ofHours(1));
    addRecord(P0, 0, command("orders"));
    await().atMost(Duration.ofSeconds(10)).until(() -> looks.get() == 1);

    podReady.set(true);
    assertThat(service.wake("ns/other")).as("another database's change wakes nothing").isZero();
    // the first look may still be finishing: wake until the command waits and is brought forward
    await().atMost(Duration.ofSeconds(10)).until(() -> service.wake("ns/orders") == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
    assertThat(looks.get()).isEqualTo(2);
    assertThat(JsonCodec.shared().decode(producer.history().get(0).value()).payload())
        .isInstanceOf(DatabasePaused.class);
    assertThat(exits).isEmpty();
  }

  @Test
  void givenAWakeWhileTheCommandIsBeingLookedAt_thenTheNextLookIsAtOnceNotAtItsRecheck() throws Exception {
    // the change the wake announces may come after the look read the pod: before, such a wake was dropped and the
    // next look waited a whole recheck (here an hour: only the remembered wake can answer within the test)
    java.util.concurrent.CountDownLatch looking = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch woken = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger looks = new AtomicInteger();
    startWithRecheck(handler(e -> {
      if (looks.incrementAndGet() == 1) {
        looking.countDown();
        try {
          assertThat(woken.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
        return new Attempt.NotYet("pod starting (read before the change)", false);
      }
      return new Attempt.Done(new DatabasePaused());
    }), Duration.ofHours(1));
    addRecord(P0, 0, command("orders"));
    assertThat(looking.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(service.wake("ns/orders")).as("the command being looked at is woken").isEqualTo(1);
    woken.countDown();

    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
    assertThat(looks.get()).isEqualTo(2);
    assertThat(exits).isEmpty();
  }

  @Test
  void givenAnAttemptThatAsksToLookAgainSoon_thenTheSchedulerLooksThenNotAtItsRecheck() {
    // a recheck of an hour: only the attempt's own, sooner look-again can bring the answer within the test
    AtomicInteger looks = new AtomicInteger();
    startWithRecheck(handler(e -> looks.incrementAndGet() >= 5 ? new Attempt.Done(new DatabasePaused())
        : new Attempt.NotYet("controller catching up", false, Duration.ofMillis(10))), Duration.ofHours(1));
    addRecord(P0, 0, command("orders"));
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
    assertThat(looks.get()).isEqualTo(5);
    assertThat(exits).isEmpty();
  }

  @Test
  void givenNoWakeEverComes_thenTheRecheckStillAnswersTheCommand() {
    // the watch is lost: nothing calls wake, and the poll at the recheck interval still ends the wait
    AtomicInteger looks = new AtomicInteger();
    startWithRecheck(handler(e -> looks.incrementAndGet() >= 3 ? new Attempt.Done(new DatabasePaused())
        : new Attempt.NotYet("pod starting", false)), Duration.ofMillis(20));
    addRecord(P0, 0, command("orders"));
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
    assertThat(looks.get()).isEqualTo(3);
  }

  @Test
  void givenABurstOfWakes_thenACommandIsNeverAttemptedTwiceAtOnce() {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostInside = new AtomicInteger();
    AtomicInteger looks = new AtomicInteger();
    startWithRecheck(handler(e -> {
      mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
      try {
        Thread.onSpinWait();
        return looks.incrementAndGet() >= 200 ? new Attempt.Done(new DatabasePaused())
            : new Attempt.NotYet("pod starting", false);
      } finally {
        inside.decrementAndGet();
      }
    }), Duration.ofMillis(5));
    addRecord(P0, 0, command("orders"));
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      for (int i = 0; i < 50; i++) {
        service.wake("ns/orders");
      }
      return looks.get() >= 200;
    });
    assertThat(mostInside.get()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
    assertThat(exits).isEmpty();
  }

  @Test
  void givenAStepAnsweredAfterWaiting_thenItsWholeRunIsOneObservationOfTheStepHistogram() {
    Timer done = PxopsMeters.stepTimer("PAUSE_DATABASE", "done");
    long before = done.count();
    double secondsBefore = done.totalTime(TimeUnit.SECONDS);
    AtomicInteger looks = new AtomicInteger();
    startWithRecheck(handler(e -> looks.incrementAndGet() >= 3 ? new Attempt.Done(new DatabasePaused())
        : new Attempt.NotYet("pod starting", false)), Duration.ofMillis(50));
    addRecord(P0, 0, command("orders"));
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);

    assertThat(done.count()).as("one run, however many attempts").isEqualTo(before + 1);
    assertThat(done.totalTime(TimeUnit.SECONDS) - secondsBefore).as("two rechecks of 50 ms waited")
        .isGreaterThanOrEqualTo(0.1);
    assertThat(ServiceMetrics.scrape()).contains(
        "pxops_step_duration_seconds_bucket{outcome=\"done\",step=\"PAUSE_DATABASE\",le=\"",
        "pxops_step_duration_seconds_count{outcome=\"done\",step=\"PAUSE_DATABASE\"}");
  }

  @Test
  void givenARetriableErrorThenAFatalOne_thenARetryIsCountedAndTheRunEndsAsFailed() {
    Counter retries = ServiceMetrics.registry().counter(PxopsMeters.STEP_RETRIES, "step", "PAUSE_DATABASE",
        "reason", "RETRIABLE");
    double retriesBefore = retries.count();
    Timer failed = PxopsMeters.stepTimer("PAUSE_DATABASE", "failed");
    long failedBefore = failed.count();
    AtomicInteger looks = new AtomicInteger();
    startWithRecheck(handler(e -> {
      if (looks.incrementAndGet() == 1) {
        throw new KubernetesClientException("a conflicting write", 409, null);
      }
      throw new FatalStepException("PodStuck", "the pod never started");
    }), Duration.ofMillis(5));
    addRecord(P0, 0, command("orders"));
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);

    assertThat(retries.count() - retriesBefore).isEqualTo(1.0);
    assertThat(failed.count()).isEqualTo(failedBefore + 1);
  }

  @Test
  void givenACommandCarryingATraceId_thenEveryLookRunsInItsLogContextAndTheAnswerCarriesTheTrace() {
    String trace = TraceIds.newId();
    List<Map<String, String>> contexts = new CopyOnWriteArrayList<>();
    AtomicBoolean podReady = new AtomicBoolean();
    try (JsonLogCapture log = JsonLogCapture.of(CommandService.class)) {
      // a recheck of an hour: the second look comes from a wake on this thread, which has no context of its own
      startWithRecheck(handler(e -> {
        contexts.add(MDC.getCopyOfContextMap());
        return podReady.get() ? new Attempt.Done(new DatabasePaused()) : new Attempt.NotYet("pod starting", false);
      }), Duration.ofHours(1));
      Envelope command = command("orders");
      ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(P0.topic(), P0.partition(), 0, command.database(),
          JsonCodec.shared().encode(command));
      record.headers().add(TraceIds.HEADER, trace.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      consumer.schedulePollTask(() -> consumer.addRecord(record));
      await().atMost(Duration.ofSeconds(10)).until(() -> contexts.size() == 1);
      podReady.set(true);
      await().atMost(Duration.ofSeconds(10)).until(() -> service.wake("ns/orders") == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);

      assertThat(contexts).hasSize(2).allSatisfy(c -> assertThat(c)
          .containsEntry(LogContext.OPS_REQUEST, "ns/upd-orders")
          .containsEntry(LogContext.DATABASE, "ns/orders")
          .containsEntry(LogContext.STEP, "PAUSE_DATABASE")
          .containsEntry(LogContext.EVENT_ID, command.eventId())
          .containsEntry(LogContext.TRACE_ID, trace));
      assertThat(TraceIds.of(producer.history().get(0).headers())).as("the answer's trace header").isEqualTo(trace);
      JsonNode answered = log.lines().stream()
          .filter(l -> l.path("formattedMessage").asText().contains("PauseDatabase answered with DatabasePaused"))
          .findFirst().orElseThrow();
      assertThat(answered.path("mdc").path(LogContext.OPS_REQUEST).asText()).isEqualTo("ns/upd-orders");
      assertThat(answered.path("mdc").path(LogContext.DATABASE).asText()).isEqualTo("ns/orders");
      assertThat(answered.path("mdc").path(LogContext.EVENT_ID).asText()).isEqualTo(command.eventId());
      assertThat(answered.path("mdc").path(LogContext.TRACE_ID).asText()).isEqualTo(trace);
    }
    assertThat(exits).isEmpty();
  }

  private void addRecord(TopicPartition tp, long offset, Envelope e) {
    consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(tp.topic(), tp.partition(), offset,
        e.database(), JsonCodec.shared().encode(e))));
  }

  private static Envelope command(String db) {
    return Envelope.of(UUID.randomUUID().toString(), "ns/upd-" + db, "ns/" + db, Instant.now(), null,
        new PauseDatabase(TIMEOUT));
  }

  private static CommandHandler handler(java.util.function.Function<Envelope, Attempt> attempt) {
    return new CommandHandler() {
      @Override
      public boolean handles(io.pxops.events.Command command) {
        return true;
      }

      @Override
      public Attempt attempt(Envelope command) {
        return attempt.apply(command);
      }
    };
  }
}
