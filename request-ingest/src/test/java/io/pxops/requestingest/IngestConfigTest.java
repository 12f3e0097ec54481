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
}
