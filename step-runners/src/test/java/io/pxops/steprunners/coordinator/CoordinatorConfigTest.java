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
    assertThat(CoordinatorConfig.fromEnv(Map.of("PXOPS_EVENTS_RETENTION", "2160h")).eventsRetention())
        .isEqualTo(Duration.ofDays(90));
    // the ISO-8601 form every duration took before is still read the same
    assertThat(CoordinatorConfig.fromEnv(Map.of("PXOPS_EVENTS_RETENTION", "P90D")).eventsRetention())
        .isEqualTo(Duration.ofDays(90));
  }

  @Test
  void givenTheCommitIntervalAndPollAsDurationsOrByTheirOldMillisecondNames_thenStreamsGetsThem() {
    assertThat(CoordinatorConfig.fromEnv(Map.of("PXOPS_COMMIT_INTERVAL", "50ms", "PXOPS_POLL_TIMEOUT", "1s"))
        .streamsProperties()).containsEntry("commit.interval.ms", 50).containsEntry("poll.ms", 1000);
    assertThat(CoordinatorConfig.fromEnv(Map.of("PXOPS_COMMIT_INTERVAL_MS", "0", "PXOPS_POLL_MS", "7"))
        .streamsProperties()).containsEntry("commit.interval.ms", 0).containsEntry("poll.ms", 7);
    assertThat(CoordinatorConfig.fromEnv(Map.of()).streamsProperties())
        .containsEntry("commit.interval.ms", 20).containsEntry("poll.ms", 5);
  }

  @Test
  void givenARetentionShorterThanAStepOrNotADuration_thenTheSettingIsNamedWithItsRule() {
    assertThatThrownBy(() -> CoordinatorConfig.fromEnv(Map.of("PXOPS_EVENTS_RETENTION", "PT5M")))
        .hasMessageContaining("PXOPS_EVENTS_RETENTION").hasMessageContaining("at least 1h");
    assertThatThrownBy(() -> CoordinatorConfig.fromEnv(Map.of("PXOPS_EVENTS_RETENTION", "30 days")))
        .hasMessageContaining("PXOPS_EVENTS_RETENTION").hasMessageContaining("a duration such as 500ms, 1s, 10m");
    assertThatThrownBy(() -> CoordinatorConfig.fromEnv(Map.of("PXOPS_EVENTS_RETENTION", "-P1D")))
        .hasMessageContaining("PXOPS_EVENTS_RETENTION").hasMessageContaining("at least 1h");
  }

  @Test
  void givenKafkaSecuritySettings_thenStreamsGetsThemButKeepsItsOwnGuarantees() {
    CoordinatorConfig config = CoordinatorConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9093",
        "PXOPS_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "PXOPS_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
        "PXOPS_KAFKA_PROCESSING_GUARANTEE", "at_least_once"));

    assertThat(config.streamsProperties()).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("bootstrap.servers", "kafka:9093")
        .as("the coordinator's own setting wins").containsEntry("processing.guarantee", "exactly_once_v2");
  }
}
