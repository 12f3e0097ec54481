package io.pxops.requestingest.campaign;

import io.pxops.events.JsonCodec;
import io.pxops.events.Topics;
import io.pxops.events.campaign.CampaignRecord;
import io.pxops.pipeline.kafka.KafkaClientSettings;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes the campaign doors' records to {@code pxops.campaigns}, keyed by campaign, and returns only
 * once the broker acknowledged them: a door answers 202 only for what is written.
 */
public final class CampaignLogPublisher implements Consumer<CampaignRecord>, AutoCloseable {

  private final KafkaProducer<String, byte[]> producer;

  /**
   * A publisher.
   *
   * @param kafka the brokers and client settings
   */
  public CampaignLogPublisher(KafkaClientSettings kafka) {
    Properties p = new Properties();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    // a door's answer must come in bounded time, the broker away or not
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    producer = new KafkaProducer<>(kafka.properties(p), new StringSerializer(), new ByteArraySerializer());
  }

  @Override
  public void accept(CampaignRecord record) {
    try {
      byte[] value = JsonCodec.shared().mapper().writerFor(CampaignRecord.class).writeValueAsBytes(record);
      producer.send(new ProducerRecord<>(Topics.CAMPAIGNS, record.campaign(), value)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to " + Topics.CAMPAIGNS, e);
    } catch (ExecutionException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("could not write to " + Topics.CAMPAIGNS + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
