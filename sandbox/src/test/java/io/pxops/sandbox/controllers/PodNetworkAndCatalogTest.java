package io.pxops.sandbox.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.pxops.kubedb.PerconaXtraDBVersion;
import io.pxops.sandbox.runtime.ServerImages;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodNetworkAndCatalogTest {

  @Test
  void podAddressesAreDistinctPerSetAndStablePerPod() {
    PodNetwork network = new PodNetwork();
    assertThat(network.addressesOf("demo", "orders", 3)).containsExactly("127.77.1.1", "127.77.1.2", "127.77.1.3");
    assertThat(network.addressesOf("shop", "orders", 2)).containsExactly("127.77.2.1", "127.77.2.2");
    assertThat(network.addressOf("demo", "orders", 1)).isEqualTo("127.77.1.2");
    assertThat(network.addressOf("demo", "carts", 0)).isEqualTo("127.77.3.1");
    assertThatThrownBy(() -> network.addressOf("demo", "orders", 254)).isInstanceOf(IllegalArgumentException.class);

    PodNetwork big = new PodNetwork();
    for (int i = 0; i < 254; i++) {
      big.addressOf("ns", "db" + i, 0);
    }
    assertThat(big.addressOf("ns", "db254", 0)).isEqualTo("127.78.1.1");
  }

  @Test
  void aNetworkStartingElsewhereWrapsRoundAndNeverGivesTwoSetsOneBlock() {
    PodNetwork second = new PodNetwork(PodNetwork.BLOCKS_PER_PROCESS);
    assertThat(second.addressOf("demo", "orders", 0)).isEqualTo("127.77.21.1");
    // the last block is followed by the first
    PodNetwork late = new PodNetwork(-1);
    assertThat(late.addressOf("ns", "last", 0)).isEqualTo("127.254.254.1");
    assertThat(late.addressOf("ns", "first", 0)).isEqualTo("127.77.1.1");
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 1000; i++) {
      assertThat(seen.add(late.addressOf("ns", "db" + i, 0))).isTrue();
    }
    PodNetwork mine = PodNetwork.forThisProcess();
    assertThat(mine.addressOf("ns", "db", 0)).matches("127\\.(7[7-9]|[89]\\d|1\\d\\d|2[0-4]\\d|25[0-4])\\.\\d+\\.1");
  }

  @Test
  void catalogAllowsSameOrNewerWithinTheMinorAndDeniesDowngrade() {
    List<PerconaXtraDBVersion> entries = LocalCatalog.entriesFor(List.of("10.11.13", "10.11.14"));
    assertThat(entries).extracting(e -> e.getMetadata().getName()).containsExactly("10.11.13", "10.11.14");
    PerconaXtraDBVersion first = entries.get(0);
    assertThat(first.getSpec().getVersion()).isEqualTo("10.11.13");
    assertThat(first.getSpec().getDb().getImage()).isEqualTo(ServerImages.imageFor("10.11.13"));
    assertThat(first.getSpec().getUpdateConstraints().getAllowlist()).containsExactly(">= 10.11.13, < 10.12.0");
    assertThat(first.getSpec().getUpdateConstraints().getDenylist()).containsExactly("< 10.11.13");
    assertThat(LocalCatalog.nextMinor("8.4.3")).isEqualTo("8.5.0");
  }

  @Test
  void revisionHashIsStableAndFollowsTheTemplate() {
    PodTemplateSpec a = template("img:1");
    assertThat(RevisionHash.of(a)).isEqualTo(RevisionHash.of(template("img:1")))
        .isNotEqualTo(RevisionHash.of(template("img:2")))
        .matches("[bcdfghjklmnpqrstvwxz2456789]+");
    assertThat(RevisionHash.revisionName("orders", a)).startsWith("orders-");
  }

  private static PodTemplateSpec template(String image) {
    return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("b", "2").addToLabels("a", "1").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec().build();
  }
}
