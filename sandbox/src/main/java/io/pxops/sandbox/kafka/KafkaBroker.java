package io.pxops.sandbox.kafka;

import java.util.List;

/**
 * A Kafka broker that clients can reach at {@link #bootstrapServers()}: the in-process {@link EmbeddedKafka}, a
 * Testcontainers container, or an external cluster that something else runs. {@link KafkaBrokers} picks one.
 *
 * <p>Closing releases what this object started (the in-process broker, the container); an external broker is left
 * running.
 */
public interface KafkaBroker extends AutoCloseable {

  /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:41234}. */
  String bootstrapServers();

  /** What kind of broker this is and where, for logs and messages, e.g. {@code embedded (127.0.0.1:41234)}. */
  String describe();

  /**
   * Creates the topics (replication factor 1 on the single-node brokers, the broker default on an external one)
   * and waits until the broker has them. A topic that already exists is an error, so tests use unique names.
   */
  default void createTopics(List<TopicSpec> topics) {
    KafkaTopics.create(bootstrapServers(), topics);
  }

  /** Same as {@link #createTopics(List)}. */
  default void createTopics(TopicSpec... topics) {
    createTopics(List.of(topics));
  }

  @Override
  void close();
}
