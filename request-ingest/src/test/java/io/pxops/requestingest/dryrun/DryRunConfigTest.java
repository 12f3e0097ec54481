package io.pxops.requestingest.dryrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where dry runs read measured updates: PXOPS_STATUS_URL only when it is set, never its localhost default. */
class DryRunConfigTest {

  @Test
  void givenNoStatusUrl_thenThereIsNoMeasurementSource() {
    assertThat(DryRunConfig.fromEnv(Map.of()).measurementsUrl()).isEmpty();
    assertThat(DryRunConfig.fromEnv(Map.of("PXOPS_STATUS_URL", " ")).measurementsUrl()).isEmpty();
  }

  @Test
  void givenAStatusUrl_thenItIsTheSourceWithoutATrailingSlash() {
    assertThat(DryRunConfig.fromEnv(Map.of("PXOPS_STATUS_URL", "http://pxops-status-projector:8082/"))
        .measurementsUrl()).contains(URI.create("http://pxops-status-projector:8082"));
  }

  @Test
  void givenABadStatusUrl_thenTheStartIsRefusedNamingTheSettingAndTheRule() {
    assertThatThrownBy(() -> DryRunConfig.fromEnv(Map.of("PXOPS_STATUS_URL", "ftp://x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PXOPS_STATUS_URL")
        .hasMessageContaining("http(s) URL");
    assertThatThrownBy(() -> DryRunConfig.fromEnv(Map.of("PXOPS_STATUS_URL", "http://a b")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PXOPS_STATUS_URL");
  }
}
