package io.pxops.steprunners.coordinator;

import io.pxops.events.TopicSpec;
import io.pxops.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the broker's topics what the catalogue ({@link Topics}) declares: creates the missing ones with their
 * cleanup policy and retention, and sets the retention of existing delete-policy topics to the declared one.
 *
 * <p>Why set it on existing topics too: a topic created by hand, by an older version or by a broker with
 * {@code auto.create.topics.enable} gets the broker's default retention (7 days), and the lifecycle log would then
 * silently forget a request's history a week after it ran, while the deployment asked for longer. The cleanup
 * policy of an existing topic is never changed (turning a delete topic into a compacted one, or back, loses data):
 * a mismatch is logged instead.
 */
final class TopicCatalogue {

  private static final Logger LOG = LoggerFactory.getLogger(TopicCatalogue.class);
  private static final long TIMEOUT_SECONDS = 60;

  private TopicCatalogue() {
  }

  /**
   * Creates the missing topics and aligns the retention of the existing ones.
   *
   * @param admin a connected admin client
   * @param replicationFactor of new topics, -1 for the broker's default
   * @param eventsRetention the deployment's retention of the lifecycle log, or {@code null} for the catalogue's
   * @return what was done, one line per topic changed (for the log and the tests)
   */
  static List<String> ensure(Admin admin, int replicationFactor, Duration eventsRetention) throws Exception {
    Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    List<NewTopic> missing = new ArrayList<>();
    List<String> done = new ArrayList<>();
    for (TopicSpec spec : Topics.all()) {
      Map<String, String> wanted = spec.configs(Topics.EVENTS.equals(spec.name()) ? eventsRetention : null);
      if (!existing.contains(spec.name())) {
        missing.add(new NewTopic(spec.name(), Optional.of(spec.partitions()),
            replicationFactor < 0 ? Optional.empty() : Optional.of((short) replicationFactor)).configs(wanted));
        done.add("created " + spec.name() + " " + wanted);
      } else {
        align(admin, spec, wanted).ifPresent(done::add);
      }
    }
    if (!missing.isEmpty()) {
      admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    done.forEach(line -> LOG.info("topics: {}", line));
    return done;
  }

  private static Optional<String> align(Admin admin, TopicSpec spec, Map<String, String> wanted) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
    Config actual = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .get(resource);
    String policy = value(actual, TopicConfig.CLEANUP_POLICY_CONFIG);
    if (!wanted.get(TopicConfig.CLEANUP_POLICY_CONFIG).equals(policy)) {
      LOG.warn("topic {} has cleanup.policy={} where pxops declares {}; left as it is (changing it loses records)",
          spec.name(), policy, wanted.get(TopicConfig.CLEANUP_POLICY_CONFIG));
      return Optional.empty();
    }
    String retention = wanted.get(TopicConfig.RETENTION_MS_CONFIG);
    if (retention == null || retention.equals(value(actual, TopicConfig.RETENTION_MS_CONFIG))) {
      return Optional.empty();
    }
    Collection<AlterConfigOp> ops = List.of(new AlterConfigOp(
        new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, retention), AlterConfigOp.OpType.SET));
    admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return Optional.of("set " + spec.name() + " retention.ms=" + retention + " (was "
        + value(actual, TopicConfig.RETENTION_MS_CONFIG) + ")");
  }

  private static String value(Config config, String name) {
    ConfigEntry entry = config.get(name);
    return entry == null ? null : entry.value();
  }
}
