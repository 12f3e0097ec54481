package io.pxops.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicSpecTest {

  @Test
  void parsesNamePartitionsAndCompaction() {
    assertThat(TopicSpec.parse("pxops.events")).isEqualTo(TopicSpec.of("pxops.events", 1));
    assertThat(TopicSpec.parse("pxops.events:6")).isEqualTo(TopicSpec.of("pxops.events", 6));
    assertThat(TopicSpec.parse("pxops.status:3:compact")).isEqualTo(TopicSpec.compacted("pxops.status", 3));
    assertThat(TopicSpec.parse("pxops.dlq:2:delete")).isEqualTo(TopicSpec.of("pxops.dlq", 2));
    assertThat(TopicSpec.compacted("s", 3)).hasToString("s:3:compact");
  }

  @Test
  void rejectsWhatKafkaWouldReject() {
    assertThatThrownBy(() -> TopicSpec.parse("has space:1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TopicSpec.parse("t:0")).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> TopicSpec.parse("t:x")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> TopicSpec.parse("t:1:squash")).hasMessageContaining("compact");
    assertThatThrownBy(() -> TopicSpec.parse("t:1:compact:extra")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TopicSpec.of("..", 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void uniqueNamesAreLegalTopicNamesAndDistinct() {
    String a = UniqueNames.unique("t");
    String b = UniqueNames.unique("t");
    assertThat(a).isNotEqualTo(b).startsWith("t-");
    assertThat(TopicSpec.of(a, 1).name()).isEqualTo(a);
    assertThatThrownBy(() -> UniqueNames.unique("bad name")).isInstanceOf(IllegalArgumentException.class);
  }
}
