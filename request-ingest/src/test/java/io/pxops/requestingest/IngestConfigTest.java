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
}
