package io.pxops.sandbox.kafka;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.config.TopicConfig;

/** Admin-client helpers shared by the broker implementations. */
final class KafkaTopics {

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private KafkaTopics() {}

  static Admin admin(String bootstrapServers) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "pxops-sandbox-admin");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    return Admin.create(p);
  }

  /**
   * Waits until the broker describes every topic. Right after createTopics a freshly started broker may still
   * answer UnknownTopicOrPartition (seen in a clean-clone CI run: the describe came before the broker had the
   * controller's metadata); that error is retriable, so look again until {@link #TIMEOUT}.
   */
  private static void awaitServed(Admin admin, List<String> names) {
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> served(admin, names));
  }

  /** True once described; false while the broker answers a retriable error; any other error is thrown. */
  private static boolean served(Admin admin, List<String> names) throws Exception {
    try {
      admin.describeTopics(names).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RetriableException) {
        return false;
      }
      throw e;
    }
  }

  static void create(String bootstrapServers, List<TopicSpec> topics) {
    if (topics.isEmpty()) {
      return;
    }
    List<NewTopic> newTopics = topics.stream()
        .map(t -> new NewTopic(t.name(), Optional.of(t.partitions()), Optional.empty())
            .configs(t.compacted() ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                : Map.of()))
        .toList();
    try (Admin admin = admin(bootstrapServers)) {
      admin.createTopics(newTopics).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      // createTopics completes when the controller has the topics; wait until the broker serves their metadata too
      List<String> names = topics.stream().map(TopicSpec::name).toList();
      awaitServed(admin, names);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not create topics " + topics + " on " + bootstrapServers + ": "
          + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("creating topics " + topics + " on " + bootstrapServers + " timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics " + topics, e);
    }
  }
}
