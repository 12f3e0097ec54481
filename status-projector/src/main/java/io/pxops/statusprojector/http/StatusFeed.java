package io.pxops.statusprojector.http;

import io.pxops.events.JsonCodec;
import io.pxops.events.Topics;
import io.pxops.events.status.RequestStatus;
import io.pxops.statusprojector.projection.CampaignStatusTopology;
import io.pxops.pipeline.kafka.KafkaClientSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code pxops.status} from its end and hands every request status that changes to the subscribers (the
 * dashboard's SSE clients). Each projector instance reads every partition, with no consumer group, so that any
 * instance can serve any browser; a status is a few kilobytes and changes a few times a second per running update.
 *
 * <p>It only ever reads: nothing is committed. Records it cannot read (another version's shape) are skipped. Until
 * the topic exists (the coordinator creates it) it looks for it again every second. A subscriber that throws is
 * dropped, so one broken connection never stops the feed for the others. {@link #close} ends the thread within one
 * poll.
 */
public final class StatusFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StatusFeed.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaConsumer<String, byte[]> consumer;
  private final List<Consumer<RequestStatus>> subscribers = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService loop;
  private volatile boolean running = true;
  /** Touched by the loop's thread only. */
  private boolean consumerClosed;

  private StatusFeed(KafkaClientSettings kafka) {
    Properties p = new Properties();
    // only what the projector committed: an aborted transaction's status never reaches a browser
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    this.consumer = new KafkaConsumer<>(kafka.properties(p), new StringDeserializer(), new ByteArrayDeserializer());
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dashboard-status-feed");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts following the topic from its end.
   *
   * @param kafka the brokers and client settings
   * @return the running feed
   */
  public static StatusFeed start(KafkaClientSettings kafka) {
    StatusFeed feed = new StatusFeed(kafka);
    feed.loop.execute(feed::step);
    return feed;
  }

  /**
   * Adds a subscriber, called on the feed's thread for every status that changes from now on.
   *
   * @param subscriber the subscriber; it must not block for long (it delays every other subscriber)
   * @return a handle that removes it
   */
  public Runnable subscribe(Consumer<RequestStatus> subscriber) {
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  /** How many subscribers there are now (for the log and the tests). */
  public int subscribers() {
    return subscribers.size();
  }

  /**
   * One turn of the feed, on its own single thread (the consumer is used by that thread only): until the topic
   * exists, look again a second later (the scheduler waits, no thread sleeps); then poll once, publish, and queue
   * the next turn at once.
   */
  private void step() {
    if (!running) {
      closeConsumer();
      return;
    }
    try {
      if (consumer.assignment().isEmpty() && !assign()) {
        loop.schedule(this::step, 1, TimeUnit.SECONDS); // the coordinator creates the topic
        return;
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
        if (r.value() == null || CampaignStatusTopology.isCampaignKey(r.key())) {
          continue; // a tombstone, or a campaign's progress: no request to show
        }
        RequestStatus status;
        try {
          status = JsonCodec.shared().mapper().readValue(r.value(), RequestStatus.class);
        } catch (IOException e) {
          continue; // not a status this version can read
        }
        publish(status);
      }
      loop.execute(this::step);
    } catch (WakeupException | RejectedExecutionException e) {
      closeConsumer(); // close() asked us to stop
    } catch (RuntimeException e) {
      LOG.error("the dashboard's status feed stopped; live updates end until the projector restarts", e);
      closeConsumer();
    }
  }

  private void closeConsumer() {
    if (!consumerClosed) {
      consumerClosed = true;
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private boolean assign() {
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(Topics.STATUS, Duration.ofSeconds(5));
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      return false;
    }
    if (infos == null || infos.isEmpty()) {
      return false;
    }
    List<TopicPartition> partitions = new ArrayList<>();
    infos.forEach(i -> partitions.add(new TopicPartition(Topics.STATUS, i.partition())));
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    return true;
  }

  private void publish(RequestStatus status) {
    for (Consumer<RequestStatus> s : subscribers) {
      try {
        s.accept(status);
      } catch (RuntimeException e) {
        subscribers.remove(s);
        LOG.debug("dropped a dashboard subscriber that failed: {}", e.toString());
      }
    }
  }

  /** Stops the feed; returns once its thread has closed the consumer (at most a few seconds). */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    loop.shutdown(); // a turn already queued or scheduled still runs, sees running false, and closes the consumer
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
