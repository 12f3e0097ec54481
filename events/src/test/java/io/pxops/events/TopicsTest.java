package io.pxops.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void givenTheCatalogue_whenListed_thenEveryTopicIsDeclaredOnceWithItsKey() {
    assertThat(Topics.all())
        .extracting(TopicSpec::name)
        .containsExactly(
            "pxops.requests", "pxops.commands", "pxops.events", "pxops.status", "pxops.dlq",
            "pxops.campaigns")
        .doesNotHaveDuplicates();
    assertThat(Topics.all()).filteredOn(TopicSpec::compacted).extracting(TopicSpec::name)
        .containsExactly(Topics.STATUS);
    assertThat(Topics.spec(Topics.STATUS).orElseThrow().keyDescription()).contains("ops request");
    assertThat(Topics.spec(Topics.EVENTS).orElseThrow().keyDescription()).contains("database");
    assertThat(Topics.spec("pxops.other")).isEmpty();
  }

  @Test
  void givenTheCatalogue_whenItsConfigsAreRead_thenEveryTopicHasARetentionOnPurpose() {
    // no topic may fall back to the broker's default retention: the lifecycle log must outlive its requests
    for (TopicSpec spec : Topics.all()) {
      assertThat(spec.configs(null)).containsKey("cleanup.policy");
      if (spec.compacted()) {
        assertThat(spec.configs(null)).containsEntry("cleanup.policy", "compact").doesNotContainKey("retention.ms");
      } else {
        assertThat(spec.configs(null)).containsEntry("cleanup.policy", "delete")
            .containsEntry("retention.ms", Long.toString(spec.retention().toMillis()));
      }
    }
    assertThat(Topics.spec(Topics.EVENTS).orElseThrow().configs(null))
        .containsEntry("retention.ms", Long.toString(java.time.Duration.ofDays(30).toMillis()));
    assertThat(Topics.spec(Topics.EVENTS).orElseThrow().configs(java.time.Duration.ofDays(90)))
        .containsEntry("retention.ms", Long.toString(java.time.Duration.ofDays(90).toMillis()));
  }

  @Test
  void givenAnImpossibleRetention_whenDeclared_thenTheFieldIsNamed() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TopicSpec("t", 1, false, null, "k", "d"))
        .hasMessageContaining("retention");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new TopicSpec("t", 1, true, java.time.Duration.ofDays(1), "k", "d"))
        .hasMessageContaining("retention");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Topics.spec(Topics.EVENTS).orElseThrow().configs(java.time.Duration.ZERO))
        .hasMessageContaining("retentionOverride");
  }

  @Test
  void givenTheGroupIds_whenRead_thenTheyAreExplicitAndDistinct() {
    assertThat(
            java.util.List.of(
                GroupIds.COORDINATOR,
                GroupIds.STEP_RUNNERS,
                GroupIds.VERIFIER,
                GroupIds.STATUS_PROJECTOR,
                GroupIds.REQUEST_INGEST))
        .doesNotHaveDuplicates()
        .allMatch(id -> id.startsWith("pxops-"))
        .contains("pxops-coordinator");
  }
}
