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
import io.pxops.pipeline.health.ServiceHealth;
import io.pxops.pipeline.kafka.KafkaClientSettings;
import io.pxops.pipeline.logging.LogContext;
import io.pxops.pipeline.logging.TraceIds;
import io.pxops.pipeline.metrics.PxopsMeters;
import io.pxops.pipeline.metrics.ServiceMetrics;
import io.pxops.pipeline.steps.ErrorClassifier.ErrorClass;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
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
 * again every {@code recheck} (a blocked step, a pod still starting). {@link #wake} looks again at once at the waiting
 * commands of one database — a watch calls it when a pod of that database changes, so a step sees the change as it
 * happens instead of up to one {@code recheck} later; the scheduled recheck stays as the fallback, so a watch that is
 * lost or late only costs what polling cost before, and never wedges a step. A partition's offset is committed only up to
 * its lowest command not yet answered, so the commands a crashed instance had in hand are redelivered to the next
 * one; the runners are level-based and the coordinator ignores a second answer to the same command, so that is safe.
 * Results are sent by an idempotent producer with {@code acks=all}; no transaction is needed, because nothing read
 * here is written back atomically with the result.
 *
 * <p>What keeps it from wedging or turning into a zombie:
 * <ul>
 *   <li>a rebalance: a revoked (or lost) partition's work is dropped — attempts still scheduled for it stop, answers
 *       not yet sent are not sent (the partition's new owner answers), and the offsets of what was answered are
 *       committed on revoke where the group still allows it;
 *   <li>a failed commit (CommitFailedException, RebalanceInProgressException, a timeout): logged and tried again the
 *       next round; the loop goes on;
 *   <li>a failed answer: sent again with a bounded back-off while the partition is still owned; it is never turned
 *       into the step's own failure (before, a broker hiccup while sending a pod's "restarted" became a StepFailed),
 *       and the offset is never committed past an unsent answer;
 *   <li>the poll loop's death: reported to the {@link ServiceHealth}, which ends the process so that it is restarted.
 * </ul>
 */
public final class CommandService implements AutoCloseable {

  /** The poll loop's name in the {@link ServiceHealth}. */
  public static final String LOOP = "command-loop";

  private static final Logger LOG = LoggerFactory.getLogger(CommandService.class);
  private static final int MAX_RETRIABLE_ATTEMPTS = 6;
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
  private static final Duration POLL = Duration.ofMillis(100);
  /** A commit waits at most this long: a broker that is gone must not hold the loop (or a stop). */
  static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(2);
  static final Duration SEND_RETRY_FIRST = Duration.ofMillis(100);
  static final Duration SEND_RETRY_MAX = Duration.ofSeconds(5);
  /**
   * The session timeout: a crashed instance that does not come back has its partitions moved after this long
   * (Kafka's default of 45 s would be most of a short step's timeout); one that comes back under the same
   * {@code group.instance.id} takes them back at once (static membership).
   */
  public static final int SESSION_TIMEOUT_MS = 10_000;

  /** The work in hand for one owned partition; replaced by a new one when the partition comes back. */
  private static final class Owned {
    /** Offsets read and not yet answered: the commit point is the lowest. Guarded by itself. */
    final TreeSet<Long> pending = new TreeSet<>();
    /** Commands of this partition in hand, by id: a redelivered copy is not attempted twice. */
    final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** The offset after the last record read; -1 before the first. Poll thread only. */
    long next = -1;
    /** Set when the partition is revoked or lost: its attempts stop and its answers are not sent. */
    volatile boolean revoked;

    void hold(long offset) {
      synchronized (pending) {
        pending.add(offset);
      }
    }

    void release(long offset) {
      synchronized (pending) {
        pending.remove(offset);
      }
    }

    /** The offset to commit, or -1 when nothing was read. */
    long commitPoint() {
      synchronized (pending) {
        return pending.isEmpty() ? next : Math.min(pending.first(), next);
      }
    }
  }

  private final Consumer<String, byte[]> consumer;
  private final Producer<String, byte[]> producer;
  private final CommandHandler handler;
  private final String service;
  private final Clock clock;
  private final Duration recheck;
  private final ServiceHealth health;
  private final ScheduledExecutorService scheduler;
  private final Map<TopicPartition, Owned> owned = new ConcurrentHashMap<>();
  /**
   * Commands in hand, by database, then by event id: each one's next attempt, or the attempt under way. What
   * {@link #wake} may bring forward. By database so that a wake costs the commands of that database, not of the
   * whole fleet (a watch sees every pod's changes). Guarded by {@link #waitingLock}: a wake, an attempt that starts
   * and an attempt that schedules the next one are one at a time, so a wake is never lost between them.
   */
  private final Map<String, Map<String, Waiting>> waiting = new HashMap<>();
  private final Object waitingLock = new Object();
  /** The last offset committed per partition, so that an unchanged point is not committed again. Poll thread. */
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  /** When each command in hand was taken ({@link System#nanoTime}), by event id: the start of its step's timer. */
  private final Map<String, Long> taken = new ConcurrentHashMap<>();
  private final Thread loop;

  /**
   * Creates the service with dynamic group membership and a health registry that only logs; {@link #start()}
   * starts it.
   *
   * @param bootstrapServers Kafka
   * @param groupId the consumer group: the service's name, shared by its instances
   * @param handler what answers the commands
   * @param clock the clock of timestamps and deadlines
   * @param recheck how long to wait before looking again at a step that is not done yet
   */
  public CommandService(String bootstrapServers, String groupId, CommandHandler handler, Clock clock,
      Duration recheck) {
    this(bootstrapServers, groupId, null, handler, clock, recheck, ServiceHealth.detached(groupId));
  }

  /**
   * Creates the service; {@link #start()} starts it.
   *
   * @param instanceId the instance's stable name, its {@code group.instance.id}; null for dynamic membership
   * @param health where the poll loop reports; its death ends a service process
   */
  public CommandService(String bootstrapServers, String groupId, String instanceId, CommandHandler handler,
      Clock clock, Duration recheck, ServiceHealth health) {
    this(KafkaClientSettings.plaintext(bootstrapServers), groupId, instanceId, handler, clock, recheck, health);
  }

  /**
   * Creates the service; {@link #start()} starts it.
   *
   * @param kafka the brokers and client settings (TLS, SASL) of every client it makes
   * @param instanceId the instance's stable name, its {@code group.instance.id}; null for dynamic membership
   * @param health where the poll loop reports; its death ends a service process
   */
  public CommandService(KafkaClientSettings kafka, String groupId, String instanceId, CommandHandler handler,
      Clock clock, Duration recheck, ServiceHealth health) {
    this(ServiceMetrics.bind(new KafkaConsumer<>(
            kafka.properties(consumerConfig(kafka.bootstrapServers(), groupId, instanceId)),
            new StringDeserializer(), new ByteArrayDeserializer())),
        ServiceMetrics.bind(new KafkaProducer<>(kafka.properties(producerConfig(kafka.bootstrapServers())),
            new StringSerializer(), new ByteArraySerializer())),
        groupId, handler, clock, recheck, health);
  }

  /** With given clients (Kafka's own {@code MockConsumer} and {@code MockProducer} in unit tests). */
  CommandService(Consumer<String, byte[]> consumer, Producer<String, byte[]> producer, String groupId,
      CommandHandler handler, Clock clock, Duration recheck, ServiceHealth health) {
    this.consumer = consumer;
    this.producer = producer;
    this.handler = handler;
    this.service = groupId;
    this.clock = clock;
    this.recheck = recheck;
    this.health = health;
    // attempts wait on the network (Kubernetes, JDBC) and never on each other: a few threads keep many steps moving
    this.scheduler = Executors.newScheduledThreadPool(4, r -> {
      Thread t = new Thread(r, groupId + "-attempt");
      t.setDaemon(true);
      return t;
    });
    this.loop = new Thread(this::run, groupId + "-poll");
    DeadLetters.initializeMeters(groupId);
    PxopsMeters.initializeRetries();
    health.starting(LOOP);
  }

  static Properties consumerConfig(String bootstrapServers, String groupId, String instanceId) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    if (instanceId != null) {
      // static membership (KIP-345): a restarted instance rejoins under its old identity and gets its partitions
      // back at once, with no rebalance and no wait for the dead member's session to expire
      c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupId + "-" + instanceId);
    }
    c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
    c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
    return c;
  }

  static Properties producerConfig(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    // a send that cannot complete fails within seconds and is retried by this service (while the partition is
    // still owned) instead of blocking an attempt thread for the client's default two minutes
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    return p;
  }

  /**
   * Subscribes and starts the poll loop.
   *
   * @return this
   */
  public CommandService start() {
    consumer.subscribe(List.of(Topics.COMMANDS), new Rebalances());
    loop.start();
    return this;
  }

  private void run() {
    try {
      while (running.get()) {
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        health.ready(LOOP);
        for (ConsumerRecord<String, byte[]> record : records) {
          Owned o = owned.get(new TopicPartition(record.topic(), record.partition()));
          if (o != null) {
            o.next = record.offset() + 1;
            take(o, record);
          }
        }
        commit(owned.keySet());
      }
    } catch (WakeupException e) {
      if (running.get()) {
        health.died(LOOP, "woken up while running", e);
      }
    } catch (Throwable t) {
      if (running.get()) {
        health.died(LOOP, "the poll loop threw " + t, t);
      }
      if (t instanceof Error e) {
        throw e;
      }
    } finally {
      try {
        // a stop leaves the group at once, so the partitions move to another instance now; static membership is
        // for the crash, where there is no leaving: the restarted instance takes its partitions back
        consumer.close(CloseOptions.timeout(COMMIT_TIMEOUT)
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
      } catch (RuntimeException e) {
        LOG.warn("{}: closing the consumer failed: {}", service, e.toString());
      }
    }
  }

  /** What happens to the work in hand when the group moves partitions; runs on the poll thread, inside poll. */
  private final class Rebalances implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // commit first (what was answered is done), then drop: a partition's new owner redoes the rest
      commit(partitions);
      drop(partitions, "revoked");
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // lost (the session expired): another member may own them already, so nothing may be committed for them
      drop(partitions, "lost");
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        owned.put(tp, new Owned());
        committed.remove(tp);
      }
      if (!partitions.isEmpty()) {
        LOG.info("{}: assigned {}", service, partitions);
      }
    }

    private void drop(Collection<TopicPartition> partitions, String how) {
      for (TopicPartition tp : partitions) {
        Owned o = owned.remove(tp);
        committed.remove(tp);
        if (o != null) {
          o.revoked = true;
          o.inFlight.forEach(taken::remove);
          if (!o.inFlight.isEmpty()) {
            LOG.info("{}: {} {}; dropped {} command(s) in hand, its new owner answers them", service, tp, how,
                o.inFlight.size());
          }
        }
      }
    }
  }

  /**
   * A command's next attempt and its scheduled run, replaced under {@link #waitingLock}. The attempt runs at most
   * once, whichever of its scheduled runs gets there first: a {@code ScheduledFuture} whose task has already started
   * still answers {@code cancel(false)} with true (a FutureTask stays NEW until it completes), so without
   * {@code started} a wake during an attempt scheduled a second one, and the same command — an eviction — was
   * attempted twice at once (CommandServiceTest's burst of wakes caught it, once in a few runs).
   *
   * <p>A started attempt stays in {@link #waiting} until it ends, and a wake meanwhile sets {@code wokenWhileRunning}:
   * the change it announces may have come after the attempt's look, so the next attempt runs at once instead of a
   * {@code recheck} later. Before, a wake during an attempt was dropped: a pod that turned Ready while the previous
   * look was reading it was seen only at the next recheck (1 s by default; the update-overhead benchmark's 0.2 s
   * showed as a 221 ms wait between a node's Synced and the runner seeing its pod Ready).
   */
  private final class Waiting {
    private final Runnable attempt;
    ScheduledFuture<?> run;
    boolean started;
    boolean wokenWhileRunning;

    Waiting(Runnable attempt) {
      this.attempt = attempt;
    }

    /** The attempt, unless a run of it has already started. */
    void runOnce() {
      synchronized (waitingLock) {
        if (started) {
          return;
        }
        started = true;
      }
      attempt.run();
    }
  }

  /**
   * Looks again now at every command of {@code database} ({@code namespace/name}) that waits for its next attempt.
   * A command whose attempt has already started is left alone (its run cannot be cancelled any more), so a command
   * is never attempted twice at once; a burst of wakes is harmless, each only brings forward a run already due.
   *
   * @return how many waiting commands were brought forward
   */
  public int wake(String database) {
    int woken = 0;
    synchronized (waitingLock) {
      Map<String, Waiting> ofDatabase = waiting.get(database);
      if (ofDatabase == null) {
        return 0;
      }
      for (Waiting w : ofDatabase.values()) {
        if (w.started) {
          w.wokenWhileRunning = true; // its next attempt runs at once (see Waiting)
          woken++;
        } else if (w.run != null && w.run.cancel(false)) {
          w.run = schedule(w::runOnce, Duration.ZERO);
          woken++;
        }
      }
    }
    return woken;
  }

  private void take(Owned o, ConsumerRecord<String, byte[]> record) {
    Envelope envelope;
    try {
      envelope = JsonCodec.shared().decode(record.value());
    } catch (InvalidMessageException e) {
      o.hold(record.offset());
      deliver(o, record.offset(), null, dlqRecord(record, e), "a dead letter", 0);
      return;
    }
    if (!(envelope.payload() instanceof Command command) || !handler.handles(command)
        || !o.inFlight.add(envelope.eventId())) {
      return; // another service's, or already in hand
    }
    o.hold(record.offset());
    taken.put(envelope.eventId(), System.nanoTime());
    Instant giveUpAt = clock.instant().plus(command.timeout());
    // the command's context goes with every attempt (schedule carries it), so the runner's lines name the request
    // and its answer carries the request's trace id
    // the first attempt too is a Waiting: a pod that changes while it looks wakes the next one at once
    try (LogContext.Scope scope = LogContext.of(envelope, TraceIds.of(record.headers()))) {
      again(o, record.offset(), envelope, command, giveUpAt, 0, Instant.MIN, Duration.ZERO);
    }
  }

  /** One attempt ({@code self}'s run), then what follows it; {@code self} leaves the waiting commands unless replaced. */
  private void attempt(Waiting self, Owned o, long offset, Envelope envelope, Command command, Instant giveUpAt,
      int retriableFailures, Instant lastProgress) {
    try {
      attempt(o, offset, envelope, command, giveUpAt, retriableFailures, lastProgress);
    } finally {
      synchronized (waitingLock) {
        Map<String, Waiting> ofDatabase = waiting.get(envelope.database());
        if (ofDatabase != null && ofDatabase.get(envelope.eventId()) == self) {
          ofDatabase.remove(envelope.eventId());
          if (ofDatabase.isEmpty()) {
            waiting.remove(envelope.database());
          }
        }
      }
    }
  }

  private void attempt(Owned o, long offset, Envelope envelope, Command command, Instant giveUpAt,
      int retriableFailures, Instant lastProgress) {
    if (!running.get() || o.revoked) {
      return; // stopping, or the partition moved: its new owner attempts the command
    }
    Attempt a;
    try {
      a = handler.attempt(envelope);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      ErrorClass kind = ErrorClassifier.classify(e);
      if (kind == ErrorClass.BLOCKED) {
        again(o, offset, envelope, command, giveUpAt, 0, lastProgress, recheck);
      } else if (kind == ErrorClass.RETRIABLE && retriableFailures + 1 < MAX_RETRIABLE_ATTEMPTS) {
        PxopsMeters.stepRetry(command.step().name(), kind.name());
        again(o, offset, envelope, command, giveUpAt, retriableFailures + 1, lastProgress,
            recheck.multipliedBy(1L << Math.min(retriableFailures + 1, 5)));
      } else {
        String reason = e instanceof FatalStepException f ? f.reason() : e.getClass().getSimpleName();
        LOG.warn("{} for {} failed ({}): {}", envelope.type(), envelope.opsRequest(), kind, e.getMessage());
        answer(o, offset, envelope, new StepFailed(command.step(), command.pod(), reason,
            String.valueOf(e.getMessage()), kind == ErrorClass.RETRIABLE));
      }
      return;
    }
    if (a instanceof Attempt.Done done) {
      answer(o, offset, envelope, done.result());
      return;
    }
    Attempt.NotYet notYet = (Attempt.NotYet) a;
    Instant now = clock.instant();
    Instant progressed = lastProgress;
    if (notYet.progress() && now.isAfter(lastProgress.plus(PROGRESS_EVERY))) {
      // progress is news, not an answer: if it cannot be sent, the next one (or the answer) will be
      Envelope progress = result(envelope, new StepProgressed(command.step(), command.pod(), notYet.detail()));
      try {
        producer.send(eventRecord(progress), (meta, failure) -> {
          if (failure != null) {
            LOG.warn("{}: progress of {} not sent: {}", service, envelope.opsRequest(), failure.toString());
          }
        });
      } catch (RuntimeException e) {
        LOG.warn("{}: progress of {} not sent: {}", service, envelope.opsRequest(), e.toString());
      }
      progressed = now;
    }
    // progress moves the coordinator's deadline; follow it, or a long state transfer would be abandoned here
    Instant deadline = notYet.progress() ? now.plus(command.timeout()) : giveUpAt;
    Duration next = notYet.lookAgainIn() != null && notYet.lookAgainIn().compareTo(recheck) < 0
        && !notYet.lookAgainIn().isNegative() ? notYet.lookAgainIn() : recheck;
    again(o, offset, envelope, command, deadline, 0, progressed, next);
  }

  private void again(Owned o, long offset, Envelope envelope, Command command, Instant giveUpAt,
      int retriableFailures, Instant lastProgress, Duration delay) {
    if (clock.instant().isAfter(giveUpAt)) {
      // the coordinator has timed the step out by now; stop looking and let the offset go
      o.release(offset);
      o.inFlight.remove(envelope.eventId());
      taken.remove(envelope.eventId());
      return;
    }
    // carried here, not only by schedule: a wake reschedules the attempt from the pod watch's thread
    Waiting[] next = new Waiting[1];
    Runnable carried = LogContext.carry(
        () -> attempt(next[0], o, offset, envelope, command, giveUpAt, retriableFailures, lastProgress));
    Waiting w = new Waiting(carried);
    next[0] = w;
    synchronized (waitingLock) {
      Map<String, Waiting> ofDatabase = waiting.computeIfAbsent(envelope.database(), db -> new HashMap<>());
      Waiting previous = ofDatabase.put(envelope.eventId(), w);
      // a wake that came while the previous attempt looked: what changed may be after its look, so look now
      boolean missed = previous != null && previous.wokenWhileRunning;
      w.run = schedule(w::runOnce, missed ? Duration.ZERO : delay);
    }
  }

  private void answer(Owned o, long offset, Envelope command, Event result) {
    Long start = taken.remove(command.eventId());
    if (start != null && command.payload() instanceof Command c) {
      // the step as its runner saw it, every attempt and wait included: what an operator compares across pods
      PxopsMeters.stepDuration(c.step().name(), result instanceof StepFailed ? "failed" : "done",
          Duration.ofNanos(System.nanoTime() - start));
    }
    // one line per step a runner ends: with the MDC, the request's story in this service's log
    LOG.info("{}: {} answered with {}", service, command.type(), result.getClass().getSimpleName());
    deliver(o, offset, command.eventId(), eventRecord(result(command, result)), "the answer to " + command.type()
        + " of " + command.opsRequest(), 0);
  }

  /**
   * Sends {@code record} and releases {@code offset} once the broker has it; a failed send is tried again with a
   * back-off (100 ms doubling to 5 s) for as long as the partition is owned. The same record is sent again — the
   * answer keeps its event id — so a copy that did arrive after all is a duplicate the coordinator ignores.
   */
  private void deliver(Owned o, long offset, String commandId, ProducerRecord<String, byte[]> record, String what,
      int failures) {
    if (!running.get() || o.revoked) {
      return; // not sent, offset not committed: the partition's owner answers the command again
    }
    LogContext.Snapshot context = LogContext.capture();
    Callback sent = (meta, failure) -> {
      if (failure == null) {
        o.release(offset);
        if (commandId != null) {
          o.inFlight.remove(commandId);
        }
      } else {
        // on the producer's I/O thread: the retry's lines still name the command's request
        context.run(() -> retryDelivery(o, offset, commandId, record, what, failures, failure));
      }
    };
    try {
      producer.send(record, sent);
    } catch (RuntimeException e) {
      retryDelivery(o, offset, commandId, record, what, failures, e);
    }
  }

  private void retryDelivery(Owned o, long offset, String commandId, ProducerRecord<String, byte[]> record,
      String what, int failures, Exception failure) {
    Duration delay = SEND_RETRY_FIRST.multipliedBy(1L << Math.min(failures, 6));
    if (delay.compareTo(SEND_RETRY_MAX) > 0) {
      delay = SEND_RETRY_MAX;
    }
    LOG.warn("{}: could not send {} to {} ({}); trying again in {} ms", service, what, record.topic(),
        failure.toString(), delay.toMillis());
    schedule(() -> deliver(o, offset, commandId, record, what, failures + 1), delay);
  }

  private ScheduledFuture<?> schedule(Runnable work, Duration delay) {
    Runnable task = LogContext.carry(work);
    try {
      return scheduler.schedule(() -> {
        try {
          task.run();
        } catch (Throwable t) {
          // a bug here would leave a command in hand for ever, its offset never committed: end the process
          // (it is restarted and the command redelivered) rather than wedge
          if (running.get()) {
            health.died("attempts", "an attempt threw " + t, t);
          }
        }
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      if (running.get()) {
        throw e;
      }
      return null;
    }
  }

  /** Commits the commit points of {@code partitions} that moved; a failure is logged and retried next round. */
  private void commit(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    for (TopicPartition tp : partitions) {
      Owned o = owned.get(tp);
      long point = o == null ? -1 : o.commitPoint();
      if (point >= 0 && !Long.valueOf(point).equals(committed.get(tp))) {
        commits.put(tp, new OffsetAndMetadata(point));
      }
    }
    if (commits.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(commits, COMMIT_TIMEOUT);
      commits.forEach((tp, offset) -> committed.put(tp, offset.offset()));
    } catch (WakeupException | FencedInstanceIdException e) {
      throw e; // a stop; or another process runs under this instance's id, and this one must go
    } catch (KafkaException e) {
      // CommitFailedException / RebalanceInProgressException (the group is moving partitions: whatever this
      // member still owns afterwards is committed next round), a timeout (the broker is slow or gone)
      LOG.warn("{}: commit of {} failed, trying again next round: {}", service, commits, e.toString());
    }
  }

  private Envelope result(Envelope command, Event result) {
    return Envelope.of(UUID.randomUUID().toString(), command.opsRequest(), command.database(), clock.instant(),
        command.eventId(), result);
  }

  /** The record of an answer (or progress) to the command being handled: it carries that command's trace id. */
  private static ProducerRecord<String, byte[]> eventRecord(Envelope e) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.EVENTS, e.database(),
        JsonCodec.shared().encode(e));
    Headers.of(e).forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    TraceIds.put(record.headers(), LogContext.traceId());
    return record;
  }

  private ProducerRecord<String, byte[]> dlqRecord(ConsumerRecord<String, byte[]> record,
      InvalidMessageException e) {
    Object letter = DeadLetters.of(service, record.topic(), record.partition(), record.offset(), record.key(),
        record.value(), e.problem().name(), e.getMessage(), clock.instant());
    try {
      return new ProducerRecord<>(Topics.DLQ, record.key(), JsonCodec.shared().mapper().writeValueAsBytes(letter));
    } catch (Exception ex) {
      throw new IllegalStateException(ex);
    }
  }

  /**
   * Stops within a few seconds even with the broker gone: the loop commits what it can (bounded), answers not yet
   * sent are dropped (their commands are redelivered), and the clients close with bounded timeouts.
   */
  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    loop.join(3 * COMMIT_TIMEOUT.toMillis());
    scheduler.shutdownNow();
    producer.close(COMMIT_TIMEOUT);
  }
}
