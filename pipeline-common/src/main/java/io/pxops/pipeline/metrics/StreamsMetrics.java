package io.pxops.pipeline.metrics;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Binds a Kafka Streams application's metrics (its threads, tasks and embedded clients, the consumer's
 * {@code records-lag-max} among them) to {@link ServiceMetrics#registry()}. Apart from {@link ServiceMetrics}
 * because Streams is an optional dependency of this module: the services without Streams (ingest, runners,
 * verifier) must be able to load {@link ServiceMetrics} without it on their classpath.
 */
public final class StreamsMetrics {

  private StreamsMetrics() {
  }

  /**
   * Binds {@code streams}.
   *
   * @return the Streams application, for binding where it is built
   */
  public static KafkaStreams bind(KafkaStreams streams) {
    new KafkaStreamsMetrics(streams).bindTo(ServiceMetrics.registry());
    return streams;
  }
}
