package io.pxops.pipeline.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsRequestClaimTest {

  private static final Map<String, String> PXOPS = Map.of(OpsRequestClaim.KEY, OpsRequestClaim.VALUE);
  private static final Map<String, String> KUBEDB = Map.of(OpsRequestClaim.KEY, "kubedb");

  @Test
  void givenNoSetting_thenOnlyRequestsMarkedForPxopsAreClaimed() {
    OpsRequestClaim claim = OpsRequestClaim.fromEnv(Map.of());

    assertThat(claim).isEqualTo(OpsRequestClaim.LABELLED);
    assertThat(claim.claims("UpdateVersion", Map.of(), Map.of())).as("KubeDB's own, unmarked").isFalse();
    assertThat(claim.claims("UpdateVersion", null, null)).isFalse();
    assertThat(claim.claims("UpdateVersion", PXOPS, null)).as("label").isTrue();
    assertThat(claim.claims("UpdateVersion", null, PXOPS)).as("annotation").isTrue();
    assertThat(claim.claims("UpdateVersion", KUBEDB, PXOPS)).as("the label wins").isFalse();
  }

  @Test
  void givenAll_thenEveryUpdateVersionNotMarkedForAnotherManagerIsClaimed() {
    OpsRequestClaim claim = OpsRequestClaim.fromEnv(Map.of(OpsRequestClaim.ENV, "All"));

    assertThat(claim.claims("UpdateVersion", null, null)).isTrue();
    assertThat(claim.claims("UpdateVersion", PXOPS, null)).isTrue();
    assertThat(claim.claims("UpdateVersion", KUBEDB, null)).isFalse();
    assertThat(claim.claims("UpdateVersion", null, KUBEDB)).isFalse();
  }

  @Test
  void givenAnyOtherType_thenNothingIsClaimedInEitherMode() {
    for (OpsRequestClaim claim : new OpsRequestClaim[] {OpsRequestClaim.ALL, OpsRequestClaim.LABELLED}) {
      for (String type : new String[] {"Restart", "HorizontalScaling", "VerticalScaling", "Reconfigure",
          "updateversion", "", null}) {
        assertThat(claim.claims(type, PXOPS, PXOPS)).as(claim + " " + type).isFalse();
      }
    }
  }

  @Test
  void givenABadValue_thenTheErrorNamesTheVariableAndTheRule() {
    assertThatThrownBy(() -> OpsRequestClaim.fromEnv(Map.of(OpsRequestClaim.ENV, "some")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PXOPS_CLAIM must be all or labelled but was \"some\"");
  }
}
