package io.pxops.statusprojector.projection;

import io.pxops.events.JsonCodec;
import io.pxops.events.campaign.CampaignEvent;
import io.pxops.events.campaign.CampaignRecord;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each campaign's latest {@link CampaignRecord.Progress} and forwards it; forwards null for
 * every other record of {@code pxops.campaigns} (inputs and decisions, which the coordinator reads
 * and dead-letters when malformed: a second dead letter here would say nothing new).
 *
 * <p>The failed members and their reasons are folded here, from the run's {@code Decided
 * DatabaseUpdateFinished} records, into the stored progress ({@link CampaignRecord.Progress#failures}): the
 * coordinator's state counts failures but keeps no reasons, and "3 failed" without which and why sends an operator
 * to the logs. The coordinator writes a run's decisions before the progress after them, in one transaction on one
 * partition, and a failure always follows the run's first progress (a member finishes after the decision that
 * started it), so a failure lands on its run's stored progress and is carried by the next one; a failure of
 * another run than the stored one is ignored, and a new run starts with none.
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
    CampaignRecord read = read(record);
    CampaignRecord.Progress progress = null;
    if (read instanceof CampaignRecord.Progress p) {
      CampaignRecord.Progress before = store.get(record.key());
      progress = p.withFailures(before != null && before.uid() != null && before.uid().equals(p.uid())
          ? before.failures() : java.util.List.of());
      store.put(record.key(), progress);
    } else if (read instanceof CampaignRecord.Decided d
        && d.decoded().orElse(null) instanceof CampaignEvent.DatabaseUpdateFinished finished
        && !finished.succeeded() && finished.database() != null) {
      CampaignRecord.Progress before = store.get(record.key());
      if (before != null && before.uid() != null && before.uid().equals(d.uid())) {
        store.put(record.key(), before.withFailure(new CampaignRecord.FailedMember(finished.database(),
            shortened(finished.reason()))));
      }
    }
    context.forward(record.withValue(progress));
  }

  /** A reason as long as a status line should be: a step's reason may quote what it saw at length. */
  private static String shortened(String reason) {
    if (reason == null) {
      return "";
    }
    return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 1) + "…";
  }

  private static final int MAX_REASON = 500;

  private static CampaignRecord read(FixedKeyRecord<String, byte[]> record) {
    if (record.key() == null || record.value() == null) {
      return null;
    }
    try {
      CampaignRecord read = JsonCodec.shared().mapper().readValue(record.value(), CampaignRecord.class);
      return read != null && record.key().equals(read.campaign()) ? read : null;
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }
}
