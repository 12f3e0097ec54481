package io.pxops.requestingest.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.JsonCodec;
import io.pxops.events.Topics;
import io.pxops.events.campaign.CampaignRecord;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What each record of pxops.campaigns needs of the ingest's Kafka door. */
class CampaignKafkaDoorTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
  private static final String FLEET = """
      {"databases": [{"namespace": "shop", "name": "a", "version": "8.0.40"}],
       "namespaces": {}, "namespaceWindows": [], "catalog": {"8.0.40": ["8.4.3"]}}
      """;
  private static final String SPEC = """
      {"name": "px", "target": {"version": "8.4.3"},
       "stages": [{"name": "all", "rest": true, "maxConcurrent": 1}], "failureBudget": {"count": 0}}
      """;

  private final List<CampaignRecord> written = new ArrayList<>();
  private final CampaignDoor door = new CampaignDoor(() -> json(FLEET), written::add);

  @Test
  void givenACreateWithoutAFleet_thenItIsWrittenAgainWithTheFleetAndARunIdOfItsPlaceInTheLog() {
    CampaignKafkaDoor.Outcome outcome = CampaignKafkaDoor.handle(door,
        record(7, new CampaignRecord.Create("px", null, "ci", json(SPEC), null)), CLOCK);

    assertThat(outcome).isInstanceOf(CampaignKafkaDoor.Outcome.Done.class);
    assertThat(written).singleElement().isInstanceOfSatisfying(CampaignRecord.Create.class, c -> {
      assertThat(c.uid()).isEqualTo("k1-7");
      assertThat(c.by()).isEqualTo("ci");
      assertThat(c.fleet()).isEqualTo(json(FLEET));
    });
  }

  @Test
  void givenABadSpec_thenItIsDeadLetteredWithTheRuleAndTheFieldAndNothingIsWritten() {
    CampaignKafkaDoor.Outcome outcome = CampaignKafkaDoor.handle(door, record(8, new CampaignRecord.Create("px",
        null, null, json(SPEC.replace("\"maxConcurrent\": 1", "\"maxConcurrent\": 0")), null)), CLOCK);

    assertThat(outcome).isInstanceOfSatisfying(CampaignKafkaDoor.Outcome.Refused.class, r -> {
      assertThat(r.letter().reason()).startsWith("stages[0].maxConcurrent: ");
      assertThat(r.letter().problem()).isNotBlank();
      assertThat(r.letter().offset()).isEqualTo(8);
    });
    assertThat(written).isEmpty();
  }

  @Test
  void givenRecordsThatAreNotThisDoors_thenNothingIsDone() {
    assertThat(CampaignKafkaDoor.handle(door, record(1, new CampaignRecord.Create("px", "u", "a", json(SPEC),
        json(FLEET))), CLOCK)).isInstanceOf(CampaignKafkaDoor.Outcome.Done.class);
    assertThat(CampaignKafkaDoor.handle(door, record(2, new CampaignRecord.Approve("px", "all", "a")), CLOCK))
        .isInstanceOf(CampaignKafkaDoor.Outcome.Done.class);
    assertThat(CampaignKafkaDoor.handle(door, new ConsumerRecord<>(Topics.CAMPAIGNS, 1, 3, "px",
        "{not json".getBytes()), CLOCK)).isInstanceOf(CampaignKafkaDoor.Outcome.Done.class);
    assertThat(written).isEmpty();
  }

  @Test
  void givenKubernetesAway_thenTheRecordIsTriedAgainLater() {
    CampaignDoor away = new CampaignDoor(() -> {
      throw new KubernetesClientException("connection refused", 503, null);
    }, written::add);
    assertThat(CampaignKafkaDoor.handle(away, record(9, new CampaignRecord.Create("px", null, null, json(SPEC),
        null)), CLOCK)).isInstanceOf(CampaignKafkaDoor.Outcome.NotNow.class);
    assertThat(written).isEmpty();
  }

  private static ConsumerRecord<String, byte[]> record(long offset, CampaignRecord r) {
    try {
      return new ConsumerRecord<>(Topics.CAMPAIGNS, 1, offset, r.campaign(),
          JsonCodec.shared().mapper().writerFor(CampaignRecord.class).writeValueAsBytes(r));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(String text) {
    try {
      return JsonCodec.shared().mapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
