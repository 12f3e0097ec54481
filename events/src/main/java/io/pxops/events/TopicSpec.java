package io.pxops.events;

/**
 * One topic of the catalogue.
 *
 * @param name the topic name
 * @param partitions the default partition count (deployments may override it; keys keep one
 *     database's history in one partition whatever the count)
 * @param compacted whether the topic is log-compacted ({@code cleanup.policy=compact})
 * @param keyDescription what the record key is
 * @param description what the topic holds and who writes and reads it
 */
public record TopicSpec(
    String name, int partitions, boolean compacted, String keyDescription, String description) {

  /** Validates every field. */
  public TopicSpec {
    Require.text(name, "name");
    Require.atLeast(partitions, 1, "partitions");
    Require.text(keyDescription, "keyDescription");
    Require.text(description, "description");
  }
}
