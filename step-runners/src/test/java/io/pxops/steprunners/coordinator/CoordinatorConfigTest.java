package io.pxops.steprunners.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoordinatorConfigTest {

  @Test
  void givenNoRetentionSetting_thenTheLifecycleLogKeepsThirtyDays() {
    assertThat(CoordinatorConfig.fromEnv(Map.of()).eventsRetention()).isEqualTo(Duration.ofDays(30));
    assertThat(CoordinatorConfig.fromEnv(Map.of("PXOPS_EVENTS_RETENTION", "P90D")).eventsRetention())
        .isEqualTo(Duration.ofDays(90));
  }

  @Test
  void givenARetentionShorterThanAStepOrNotADuration_thenTheSettingIsNamedWithItsRule() {
    assertThatThrownBy(() -> CoordinatorConfig.fromEnv(Map.of("PXOPS_EVENTS_RETENTION", "PT5M")))
        .hasMessageContaining("PXOPS_EVENTS_RETENTION").hasMessageContaining("at least PT1H");
    assertThatThrownBy(() -> CoordinatorConfig.fromEnv(Map.of("PXOPS_EVENTS_RETENTION", "30 days")))
        .hasMessageContaining("PXOPS_EVENTS_RETENTION").hasMessageContaining("ISO-8601");
    assertThatThrownBy(() -> CoordinatorConfig.fromEnv(Map.of("PXOPS_EVENTS_RETENTION", "-P1D")))
        .hasMessageContaining("PXOPS_EVENTS_RETENTION").hasMessageContaining("positive");
  }
}
