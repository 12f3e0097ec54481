package io.pxops.sandbox.world;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MembershipMonitorTest {

  @Test
  void syncedAndDonorNodesOfThePrimaryComponentAreIn() {
    assertThat(MembershipMonitor.isIn("Synced", "Primary", false)).isTrue();
    assertThat(MembershipMonitor.isIn("Donor/Desynced", "Primary", false)).isTrue();
    assertThat(MembershipMonitor.isIn("Synced", "non-Primary", false)).as("a partitioned node").isFalse();
  }

  @Test
  void aDonorCatchingUpIsIn_butAJoinerIsOut() {
    assertThat(MembershipMonitor.cameAsDonor("Donor/Desynced")).isTrue();
    assertThat(MembershipMonitor.cameAsDonor("Synced")).as("the Donor state fell between two samples").isTrue();
    assertThat(MembershipMonitor.cameAsDonor("Joining")).isFalse();
    assertThat(MembershipMonitor.cameAsDonor(null)).as("from no answer: a restarted node").isFalse();
    assertThat(MembershipMonitor.isIn("Joined", "Primary", true)).isTrue();
    assertThat(MembershipMonitor.isIn("Joined", "Primary", false)).isFalse();
    assertThat(MembershipMonitor.isIn("Joining", "Primary", false)).isFalse();
  }
}
