package io.pxops.pipeline.health;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ties a Kafka Streams client to a {@link ServiceHealth}: ready only while RUNNING; an exception that escapes a
 * stream thread shuts the client down (a poison record is dead-lettered before it gets there, so what arrives here is
 * a bug or a broker problem that a replacement thread would only repeat), and ERROR, PENDING_ERROR or a shutdown the service did not ask for is a death —
 * the process exits non-zero and is restarted, instead of staying up with no stream thread.
 */
public final class StreamsHealth {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsHealth.class);

  private StreamsHealth() {
  }

  /**
   * Installs the state listener and the uncaught exception handler; call before {@code start()}.
   *
   * @param part the part's name in the registry
   */
  public static void watch(KafkaStreams streams, String part, ServiceHealth health) {
    health.starting(part);
    streams.setUncaughtExceptionHandler(e -> {
      health.died(part, "a stream thread threw " + e, e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.setStateListener((next, previous) -> {
      LOG.info("{}: Kafka Streams {} -> {}", health.service(), previous, next);
      switch (next) {
        case RUNNING -> health.ready(part);
        case ERROR, PENDING_ERROR -> health.died(part, "Kafka Streams went " + previous + " -> " + next, null);
        // only the service's own stop closes Streams; any other way there is a client with no threads
        case NOT_RUNNING, PENDING_SHUTDOWN -> health.died(part, "Kafka Streams went " + previous + " -> " + next
            + " without the service stopping", null);
        default -> health.notReady(part, "Kafka Streams " + next);
      }
    });
  }
}
