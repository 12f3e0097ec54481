package io.pxops.statusprojector.projection;

import io.pxops.events.Topics;
import io.pxops.events.campaign.CampaignRecord;
import io.pxops.pipeline.JsonSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Campaign statuses, added to the projector's topology:
 *
 * <pre>
 *  pxops.campaigns (key: campaign)
 *    └ fold-campaign-status [store campaign-status, key campaign] ─► pxops.status (key campaign:&lt;name&gt;)
 * </pre>
 *
 * <p>The coordinator writes each campaign's {@link CampaignRecord.Progress} after every decision;
 * this keeps the latest per campaign for the HTTP API ({@code GET /api/v1/campaigns/{name}}) and
 * copies it onto {@code pxops.status}. There its key is {@value #STATUS_KEY_PREFIX}{@code <name>}:
 * a colon is in no Kubernetes name, so it never meets an ops request's {@code namespace/name}, and
 * the readers of request statuses skip it by the key alone ({@link #isCampaignKey}). The store is
 * keyed like its input, so a campaign's status lives on the instance that owns its partition.
 */
public final class CampaignStatusTopology {

  /** The store of campaign statuses, keyed by campaign name. */
  public static final String CAMPAIGN_STORE = "campaign-status";

  /** The prefix of a campaign's key on {@code pxops.status}. */
  public static final String STATUS_KEY_PREFIX = "campaign:";

  private static final JsonSerde<CampaignRecord.Progress> SERDE =
      new JsonSerde<>(CampaignRecord.Progress.class);

  private CampaignStatusTopology() {}

  /**
   * Whether a {@code pxops.status} key is a campaign's rather than an ops request's.
   *
   * @param key a key of {@code pxops.status}
   * @return true for a campaign's
   */
  public static boolean isCampaignKey(String key) {
    return key != null && key.startsWith(STATUS_KEY_PREFIX);
  }

  /**
   * Adds the campaign statuses to the projector's topology.
   *
   * @param builder the projector's builder
   */
  public static void addTo(StreamsBuilder builder) {
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(CAMPAIGN_STORE), Serdes.String(), SERDE));
    builder
        .stream(Topics.CAMPAIGNS, Consumed.with(Serdes.String(), Serdes.ByteArray())
            .withName("campaigns-source"))
        .processValues(CampaignStatusProcessor::new, Named.as("fold-campaign-status"), CAMPAIGN_STORE)
        .filter((campaign, progress) -> progress != null, Named.as("campaign-status-changed"))
        .selectKey((campaign, progress) -> STATUS_KEY_PREFIX + campaign, Named.as("key-by-campaign-status"))
        .to(Topics.STATUS, Produced.with(Serdes.String(), SERDE).withName("campaign-status-sink"));
  }
}
