package io.pxops.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void givenTheCatalogue_whenListed_thenEveryTopicIsDeclaredOnceWithItsKey() {
    assertThat(Topics.all())
        .extracting(TopicSpec::name)
        .containsExactly(
            "pxops.requests", "pxops.commands", "pxops.events", "pxops.status", "pxops.dlq")
        .doesNotHaveDuplicates();
    assertThat(Topics.all()).filteredOn(TopicSpec::compacted).extracting(TopicSpec::name)
        .containsExactly(Topics.STATUS);
    assertThat(Topics.spec(Topics.STATUS).orElseThrow().keyDescription()).contains("ops request");
    assertThat(Topics.spec(Topics.EVENTS).orElseThrow().keyDescription()).contains("database");
    assertThat(Topics.spec("pxops.other")).isEmpty();
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
