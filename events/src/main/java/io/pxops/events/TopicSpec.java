package io.pxops.events;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One topic of the catalogue.
 *
 * @param name the topic name
 * @param partitions the default partition count (deployments may override it; keys keep one
 *     database's history in one partition whatever the count)
 * @param compacted whether the topic is log-compacted ({@code cleanup.policy=compact})
 * @param retention for a topic that is not compacted, how long a record is kept ({@code retention.ms}); declared
 *     for every such topic, so that no topic falls back to whatever the broker's default happens to be; {@code
 *     null} for a compacted topic (the latest value of each key is kept)
 * @param keyDescription what the record key is
 * @param description what the topic holds and who writes and reads it
 */
public record TopicSpec(
    String name, int partitions, boolean compacted, Duration retention, String keyDescription, String description) {

  /** Validates every field. */
  public TopicSpec {
    Require.text(name, "name");
    Require.atLeast(partitions, 1, "partitions");
    if (compacted && retention != null) {
      throw new IllegalArgumentException("retention: a compacted topic keeps the latest value of each key, not "
          + "records for a time; leave it null for " + name);
    }
    if (!compacted) {
      Require.positive(retention, "retention");
    }
    Require.text(keyDescription, "keyDescription");
    Require.text(description, "description");
  }

  /**
   * The topic configuration pxops creates this topic with: its cleanup policy and, for a topic that is not
   * compacted, its retention.
   *
   * @param retentionOverride a deployment's own retention for this topic, or {@code null} for the catalogue's
   * @return Kafka topic configs, by their Kafka names
   */
  public Map<String, String> configs(Duration retentionOverride) {
    Map<String, String> configs = new LinkedHashMap<>();
    configs.put("cleanup.policy", compacted ? "compact" : "delete");
    if (!compacted) {
      Duration kept = retentionOverride != null ? Require.positive(retentionOverride, "retentionOverride")
          : retention;
      configs.put("retention.ms", Long.toString(kept.toMillis()));
    }
    return Map.copyOf(configs);
  }
}
