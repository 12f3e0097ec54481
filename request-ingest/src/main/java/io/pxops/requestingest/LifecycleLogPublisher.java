package io.pxops.requestingest;

import io.pxops.pipeline.logging.LogContext;
import io.pxops.pipeline.logging.TraceIds;
import io.pxops.events.Envelope;
import io.pxops.events.Headers;
import io.pxops.events.JsonCodec;
import io.pxops.pipeline.kafka.KafkaClientSettings;
import io.pxops.pipeline.metrics.ServiceMetrics;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes the ingest's facts (admissions, rejections, replay and cancel requests) to their topic, keyed by database,
 * with the envelope's id and type as headers. Each write returns only once the broker acknowledged it
 * ({@code acks=all}, idempotent producer): a door reports success only for what is on the log.
 */
public final class LifecycleLogPublisher implements Consumer<Envelope>, AutoCloseable {

  private final KafkaProducer<String, byte[]> producer;

  public LifecycleLogPublisher(String bootstrapServers) {
    this(KafkaClientSettings.plaintext(bootstrapServers));
  }

  /** A publisher with the brokers and client settings (TLS, SASL) of {@code kafka}. */
  public LifecycleLogPublisher(KafkaClientSettings kafka) {
    Properties p = new Properties();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producer = new KafkaProducer<>(kafka.properties(p), new StringSerializer(), new ByteArraySerializer());
    ServiceMetrics.bind(producer);
  }

  @Override
  public void accept(Envelope envelope) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(envelope.topic(), envelope.database(),
        JsonCodec.shared().encode(envelope));
    Headers.of(envelope).forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    // the door's trace id (its LogContext): the first record of the request's trace on the lifecycle log
    TraceIds.put(record.headers(), LogContext.traceId());
    try {
      producer.send(record).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing " + envelope.type(), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not write " + envelope.type() + " to " + envelope.topic() + ": "
          + e.getCause(), e.getCause());
    }
  }

  @Override
  public void close() {
    // bounded: a stop with the broker gone must not wait for ever on unsent records
    producer.close(java.time.Duration.ofSeconds(2));
  }
}
