package io.pxops.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MessageTypesTest {

  @Test
  void givenTheSealedHierarchy_whenTheRegistryIsDerived_thenItHoldsEveryRecordBySimpleName() {
    assertThat(MessageTypes.all()).hasSize(33);
    assertThat(MessageTypes.all().values().stream().filter(Event.class::isAssignableFrom))
        .hasSize(24);
    assertThat(MessageTypes.all().values().stream().filter(Command.class::isAssignableFrom))
        .hasSize(9);
    MessageTypes.all()
        .forEach(
            (name, type) -> {
              assertThat(type.isRecord()).as(name).isTrue();
              assertThat(type.getSimpleName()).isEqualTo(name);
              assertThat(MessageTypes.nameOf(type)).isEqualTo(name);
            });
    assertThat(MessageTypes.forName("PodEvicted")).contains(PodEvicted.class);
    assertThat(MessageTypes.forName("Event")).isEmpty();
    assertThat(MessageTypes.forName(null)).isEmpty();
  }

  @Test
  void givenTheRegistry_whenModified_thenItRefuses() {
    assertThatThrownBy(() -> MessageTypes.all().put("X", PodEvicted.class))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
