package io.pxops.requestingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pxops.pipeline.claim.OpsRequestClaim;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

  @Test
  void givenNoClaimSetting_thenOnlyRequestsLabelledForPxopsAreClaimed() {
    assertThat(IngestConfig.fromEnv(Map.of()).claim()).isEqualTo(OpsRequestClaim.LABELLED);
    assertThat(IngestConfig.fromEnv(Map.of("PXOPS_CLAIM", "all")).claim()).isEqualTo(OpsRequestClaim.ALL);
  }

  @Test
  void givenABadClaimSetting_thenTheErrorNamesTheVariable() {
    assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of("PXOPS_CLAIM", "mine")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PXOPS_CLAIM must be all or labelled");
  }

  @Test
  void givenKafkaSecrets_thenTheStartLineMasksThem() {
    IngestConfig config = IngestConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9093",
        "PXOPS_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "PXOPS_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"ingest\" password=\"hunter2\";"));

    // IngestMain logs the record as it is
    assertThat(config.toString()).contains("security.protocol=SASL_SSL", "sasl.jaas.config=****")
        .doesNotContain("hunter2");
    assertThat(config.kafka().properties()).containsEntry("security.protocol", "SASL_SSL");
  }

  @Test
  void givenNamespaceWindows_thenTheConfigCarriesThem_andABadOneStopsTheStartNamingTheWindowTheFieldAndTheRule() {
    assertThat(IngestConfig.fromEnv(Map.of()).namespaceWindows()).isEmpty();
    assertThat(IngestConfig.fromEnv(Map.of("PXOPS_NAMESPACE_WINDOWS", "[{\"namespaceSelector\":{\"matchLabels\":"
        + "{\"team\":\"billing\"}},\"window\":{\"timeZone\":\"UTC\",\"days\":[{\"day\":\"Sunday\","
        + "\"start\":\"02:00\",\"end\":\"05:00\"}]}}]")).namespaceWindows())
        .singleElement().satisfies(w -> assertThat(w.namespaceSelector()).containsExactly(Map.entry("team",
            "billing")));
    // at start, through the one way the ingest reads its configuration (IngestMain exits 2 with this line)
    assertThatThrownBy(() -> io.pxops.pipeline.ConfigOrExit.readChecked(Map.of("PXOPS_NAMESPACE_WINDOWS",
        "[{\"namespaceSelector\":{},\"window\":{\"timeZone\":\"UTC\",\"days\":[{\"day\":\"Caturday\","
            + "\"start\":\"02:00\",\"end\":\"05:00\"}]}}]"), new String[0], IngestConfig::fromEnv))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("PXOPS_NAMESPACE_WINDOWS must be ")
        .hasMessageContaining("PXOPS_NAMESPACE_WINDOWS[0].window.days[0].day: ").hasMessageContaining("(Weekday)");
  }
}
