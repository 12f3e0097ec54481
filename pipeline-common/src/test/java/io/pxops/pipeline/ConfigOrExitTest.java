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
}
