package io.pxops.statusprojector.projection;

import io.pxops.events.JsonCodec;
import io.pxops.events.campaign.CampaignRecord;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each campaign's latest {@link CampaignRecord.Progress} and forwards it; forwards null for
 * every other record of {@code pxops.campaigns} (inputs and decisions, which the coordinator reads
 * and dead-letters when malformed: a second dead letter here would say nothing new).
 */
final class CampaignStatusProcessor
    implements FixedKeyProcessor<String, byte[], CampaignRecord.Progress> {

  private FixedKeyProcessorContext<String, CampaignRecord.Progress> context;
  private KeyValueStore<String, CampaignRecord.Progress> store;

  @Override
  public void init(FixedKeyProcessorContext<String, CampaignRecord.Progress> context) {
    this.context = context;
    this.store = context.getStateStore(CampaignStatusTopology.CAMPAIGN_STORE);
  }

  @Override
  public void process(FixedKeyRecord<String, byte[]> record) {
    CampaignRecord.Progress progress = null;
    if (record.key() != null && record.value() != null) {
      try {
        if (JsonCodec.shared().mapper().readValue(record.value(), CampaignRecord.class)
            instanceof CampaignRecord.Progress p && record.key().equals(p.campaign())) {
          progress = p;
        }
      } catch (java.io.IOException | RuntimeException e) {
        progress = null;
      }
    }
    if (progress != null) {
      store.put(record.key(), progress);
    }
    context.forward(record.withValue(progress));
  }
}
