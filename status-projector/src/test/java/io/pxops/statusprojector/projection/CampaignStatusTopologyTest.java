package io.pxops.statusprojector.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.JsonCodec;
import io.pxops.events.Topics;
import io.pxops.events.campaign.CampaignEvent;
import io.pxops.events.campaign.CampaignProgress;
import io.pxops.events.campaign.CampaignProgress.StageProgress;
import io.pxops.events.campaign.CampaignRecord;
import io.pxops.events.status.RequestStatus;
import io.pxops.pipeline.JsonSerde;
import io.pxops.statusprojector.ProjectorConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Campaign statuses: the coordinator's progress records kept per campaign and copied onto pxops.status. */
class CampaignStatusTopologyTest {

  private static final Instant NOW = Instant.parse("2026-07-02T09:00:00Z");

  @TempDir Path stateDir;

  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> campaigns;
  private TestOutputTopic<String, byte[]> status;

  @BeforeEach
  void start() {
    ProjectorConfig config = ProjectorConfig.fromEnv(Map.of(
        ProjectorConfig.STATE_DIR, stateDir.toString(), ProjectorConfig.BOOTSTRAP_SERVERS, "unused:9092"));
    driver = new TopologyTestDriver(StatusTopology.build(Clock.fixed(NOW, ZoneOffset.UTC)),
        StatusTopology.streamsConfig(config));
    campaigns = driver.createInputTopic(Topics.CAMPAIGNS, new StringSerializer(), new ByteArraySerializer());
    status = driver.createOutputTopic(Topics.STATUS, new StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void givenProgressAndOtherRecords_thenTheLatestProgressIsKeptAndPublishedUnderTheCampaignKey() throws Exception {
    pipe(progress("Running", 0, 1));
    pipe(new CampaignRecord.Approve("px", "rest", "alice"));
    campaigns.pipeInput("px", "not json".getBytes());
    pipe(progress("AwaitingApproval", 1, 0));

    KeyValueStore<String, CampaignRecord.Progress> store = driver.getKeyValueStore(
        CampaignStatusTopology.CAMPAIGN_STORE);
    assertThat(store.get("px").progress().phase()).isEqualTo("AwaitingApproval");
    assertThat(store.get("px").progress().stages().get(0).done()).isEqualTo(1);

    var out = status.readKeyValuesToList();
    assertThat(out).as("only the progress records, keyed apart from any ops request").hasSize(2)
        .allSatisfy(kv -> assertThat(kv.key).isEqualTo("campaign:px"));
    assertThat(CampaignStatusTopology.isCampaignKey(out.get(1).key)).isTrue();
    assertThat(CampaignStatusTopology.isCampaignKey("shop/upd-1")).isFalse();
    // a reader of request statuses cannot mistake it for one: it is refused, not read as an empty request
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() ->
        new JsonSerde<>(RequestStatus.class).deserializer().deserialize(Topics.STATUS, out.get(1).value)))
        .isNotNull();
  }

  @Test
  void givenFailedMembers_thenTheNextProgressListsThemWithTheirReasonsAndANewRunStartsWithNone() throws Exception {
    pipe(progress("Running", 1, 1));
    pipe(CampaignRecord.Decided.of("px", "run1",
        new CampaignEvent.DatabaseUpdateFinished("shop/a", true, "Successful")));
    pipe(CampaignRecord.Decided.of("px", "run1",
        new CampaignEvent.DatabaseUpdateFinished("shop/b", false, "TargetNotAllowed: already at 8.4.3")));
    pipe(CampaignRecord.Decided.of("px", "run0",
        new CampaignEvent.DatabaseUpdateFinished("shop/c", false, "a result of an earlier run")));
    pipe(CampaignRecord.Decided.of("px", "run1",
        new CampaignEvent.DatabaseUpdateFinished("shop/d", false, "x".repeat(2_000))));
    pipe(progress("BudgetExhausted", 1, 0));

    var out = status.readValuesToList();
    CampaignRecord.Progress last = JsonCodec.shared().mapper().readValue(out.get(out.size() - 1),
        CampaignRecord.Progress.class);
    assertThat(last.progress().phase()).isEqualTo("BudgetExhausted");
    assertThat(last.failures()).extracting(CampaignRecord.FailedMember::database)
        .as("the run's failures in order; successes and another run's failure are not listed")
        .containsExactly("shop/b", "shop/d");
    assertThat(last.failures().get(0).reason()).isEqualTo("TargetNotAllowed: already at 8.4.3");
    assertThat(last.failures().get(1).reason()).as("a long reason is cut").hasSize(500);
    assertThat(JsonCodec.shared().mapper().readValue(out.get(0), CampaignRecord.Progress.class).failures())
        .isEmpty();

    pipe(new CampaignRecord.Progress("px", "run2", NOW, new CampaignProgress("px", "Running",
        List.of(new StageProgress("canary", "Running", 0, 1, 0, 0, 0, 0))), 0, 0, 0));
    KeyValueStore<String, CampaignRecord.Progress> store = driver.getKeyValueStore(
        CampaignStatusTopology.CAMPAIGN_STORE);
    assertThat(store.get("px").failures()).as("a new run of the same name").isEmpty();
  }

  private void pipe(CampaignRecord record) throws Exception {
    campaigns.pipeInput(record.campaign(),
        JsonCodec.shared().mapper().writerFor(CampaignRecord.class).writeValueAsBytes(record));
  }

  private static CampaignRecord.Progress progress(String phase, int done, int running) {
    return new CampaignRecord.Progress("px", "run1", NOW, new CampaignProgress("px", phase,
        List.of(new StageProgress("canary", "Completed", done, running, 0, 0, 0, 0))), 0, 0, 0);
  }
}
