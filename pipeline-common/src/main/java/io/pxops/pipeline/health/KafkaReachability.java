package io.pxops.pipeline.health;

import io.pxops.pipeline.kafka.KafkaClientSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the Kafka cluster answers: an Admin {@code describeCluster} with a short timeout, its answer cached for a
 * few seconds so that probes every second do not become a load on the brokers. A Kafka client never fails when the
 * broker is gone — it retries quietly for ever — so without this a service cut off from Kafka would call itself
 * ready.
 */
public final class KafkaReachability implements AutoCloseable {

  /** How long one check waits for the cluster's answer. */
  public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

  /** How long an answer is reused. */
  public static final Duration CACHED_FOR = Duration.ofSeconds(3);

  private final Admin admin;
  private final Clock clock;
  private Instant checkedAt = Instant.MIN;
  private String problem = "not checked yet";

  public KafkaReachability(String bootstrapServers) {
    this(KafkaClientSettings.plaintext(bootstrapServers), Clock.systemUTC());
  }

  /** Checks with the brokers and client settings (TLS, SASL) of {@code kafka}. */
  public KafkaReachability(KafkaClientSettings kafka) {
    this(kafka, Clock.systemUTC());
  }

  KafkaReachability(String bootstrapServers, Clock clock) {
    this(KafkaClientSettings.plaintext(bootstrapServers), clock);
  }

  KafkaReachability(KafkaClientSettings kafka, Clock clock) {
    int timeoutMs = (int) CHECK_TIMEOUT.toMillis();
    this.admin = Admin.create(kafka.map(Map.of(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
        // a dead broker is retried at most every second, not at the client's default back-off ceiling
        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000)));
    this.clock = clock;
  }

  /**
   * Why Kafka is not reachable, or null when it answered within the last {@link #CACHED_FOR}.
   *
   * @return the problem, or null
   */
  public synchronized String problem() {
    Instant now = clock.instant();
    if (now.isBefore(checkedAt.plus(CACHED_FOR))) {
      return problem;
    }
    try {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) CHECK_TIMEOUT.toMillis())).nodes()
          .get(CHECK_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
      problem = null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = "interrupted";
    } catch (Exception e) {
      problem = "Kafka did not answer describeCluster in " + CHECK_TIMEOUT + ": " + e;
    }
    checkedAt = clock.instant();
    return problem;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(1));
  }
}
