package io.pxops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigOrExitTest {

  private static final Map<String, String> ENV = Map.of("KAFKA_BOOTSTRAP_SERVERS", "env:9092",
      "PXOPS_RECHECK_INTERVAL", "PT1S");

  @Test
  void flagsInBothFormsWinOverTheEnvironment() {
    Map<String, String> s = ConfigOrExit.settings(ENV, new String[] {"--kafka-bootstrap-servers=flag:9092",
        "--pxops-stuck-grace", "PT5M"});
    assertThat(s).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "flag:9092").containsEntry("PXOPS_STUCK_GRACE", "PT5M")
        .containsEntry("PXOPS_RECHECK_INTERVAL", "PT1S");
  }

  @Test
  void noFlagsIsTheEnvironment() {
    assertThat(ConfigOrExit.settings(ENV, new String[0])).isEqualTo(ENV);
  }

  @Test
  void anUnknownFlagAFlagWithoutValueAndAStrayWordAreRefusedByName() {
    assertThatThrownBy(() -> ConfigOrExit.settings(ENV, new String[] {"--home=/tmp"}))
        .hasMessageContaining("unknown flag --home");
    assertThatThrownBy(() -> ConfigOrExit.settings(ENV, new String[] {"--pxops-stuck-grace"}))
        .hasMessageContaining("--pxops-stuck-grace needs a value");
    assertThatThrownBy(() -> ConfigOrExit.settings(ENV, new String[] {"verbose"}))
        .hasMessageContaining("'verbose' is not a flag");
  }

  @Test
  void aFlagNoSettingReadsIsRefusedNamingTheNearestOne_whileKnownFlagsKafkaSettingsAndStrayVariablesPass() {
    java.util.function.Function<Map<String, String>, String> reader = s -> s.getOrDefault("PXOPS_RECHECK_INTERVAL",
        "PT1S") + " " + s.getOrDefault("PXOPS_STUCK_GRACE", "PT2M") + " " + s.get("KAFKA_BOOTSTRAP_SERVERS");
    assertThatThrownBy(() -> ConfigOrExit.readChecked(ENV, new String[] {"--pxops-recheck-intervl=PT5S"}, reader))
        .hasMessageContaining("unknown flag --pxops-recheck-intervl")
        .hasMessageContaining("the nearest setting is --pxops-recheck-interval (PXOPS_RECHECK_INTERVAL)");
    assertThat(ConfigOrExit.readChecked(ENV, new String[] {"--pxops-stuck-grace", "PT5M"}, reader))
        .isEqualTo("PT1S PT5M env:9092");
    // Kafka client settings are KafkaClientSettings' to check; a variable for another service is no error
    assertThat(ConfigOrExit.readChecked(Map.of("PXOPS_VERIFY_HOLD_POLLS", "3", "KAFKA_BOOTSTRAP_SERVERS", "e:1"),
        new String[] {"--pxops-kafka-security-protocol=SSL"}, reader)).isEqualTo("PT1S PT2M e:1");
  }

  @Test
  void aBadLoggingSettingEndsTheStartNamingItsRule_thoughNoReaderAsksForIt() {
    // Logback read it first and fell back to the default; the start must not go on as if it had been taken
    java.util.function.Function<Map<String, String>, String> reader = s -> s.get("KAFKA_BOOTSTRAP_SERVERS");
    Map<String, String> xml = new java.util.HashMap<>(ENV);
    xml.put("PXOPS_LOG_FORMAT", "xml");
    assertThatThrownBy(() -> ConfigOrExit.readChecked(xml, new String[0], reader))
        .hasMessage("PXOPS_LOG_FORMAT must be text or json but was \"xml\"");
    Map<String, String> json = new java.util.HashMap<>(ENV);
    json.put("PXOPS_LOG_FORMAT", "json");
    json.put("PXOPS_LOG_LEVEL", "debug");
    assertThat(ConfigOrExit.readChecked(json, new String[0], reader)).isEqualTo("env:9092");
  }

  @Test
  void theDistanceIsWhatATypoCosts() {
    assertThat(ConfigOrExit.distance("PXOPS_RECHECK_INTERVAL", "PXOPS_RECHECK_INTERVAL")).isZero();
    assertThat(ConfigOrExit.distance("PXOPS_RECHECK_INTERVAL", "PXOPS_RECHECK_INTERVL")).isEqualTo(1);
    assertThat(ConfigOrExit.distance("", "ABC")).isEqualTo(3);
    assertThat(ConfigOrExit.distance("KITTEN", "SITTING")).isEqualTo(3);
  }
}
