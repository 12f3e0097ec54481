package io.pxops.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerifierConfigTest {

  @Test
  void theDataCheckBudgetHasDefaultsAndAZeroPauseIsAllowed() {
    VerifierConfig config = VerifierConfig.defaults("localhost:9092");
    assertThat(config.chunkRows()).isEqualTo(2_000);
    assertThat(config.rowsPerVerdict()).isEqualTo(50_000);
    assertThat(config.timePerVerdict()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.chunkPause()).isEqualTo(Duration.ofMillis(10));
    assertThat(VerifierConfig.fromEnv(Map.of("PXOPS_VERIFY_CHUNK_PAUSE", "PT0S")).chunkPause()).isZero();
  }

  @Test
  void thePauseBetweenChunksIsAsLongAsTheChunkBeforeUpToTheSetting() {
    Duration longest = Duration.ofMillis(10);
    // a quick chunk: the check still leaves the node alone at least half of the time, and no longer
    assertThat(BoundedDataCheck.pauseAfter(Duration.ofMillis(3), longest)).isEqualTo(Duration.ofMillis(3));
    // a slow chunk: at most the setting
    assertThat(BoundedDataCheck.pauseAfter(Duration.ofMillis(40), longest)).isEqualTo(longest);
    assertThat(BoundedDataCheck.pauseAfter(Duration.ofMillis(40), Duration.ZERO)).isZero();
    assertThat(BoundedDataCheck.pauseAfter(Duration.ofMillis(-1), longest)).isZero();
  }

  @Test
  void aBudgetThatCannotBoundTheCheckIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> VerifierConfig.fromEnv(Map.of("PXOPS_VERIFY_CHUNK_ROWS", "0")))
        .hasMessageContaining("PXOPS_VERIFY_CHUNK_ROWS");
    assertThatThrownBy(() -> VerifierConfig.fromEnv(Map.of("PXOPS_VERIFY_ROWS_PER_VERDICT", "-5")))
        .hasMessageContaining("PXOPS_VERIFY_ROWS_PER_VERDICT");
    assertThatThrownBy(() -> VerifierConfig.fromEnv(Map.of("PXOPS_VERIFY_TIME_PER_VERDICT", "PT0S")))
        .hasMessageContaining("PXOPS_VERIFY_TIME_PER_VERDICT");
    assertThatThrownBy(() -> VerifierConfig.fromEnv(Map.of("PXOPS_VERIFY_CHUNK_PAUSE", "-PT1S")))
        .hasMessageContaining("PXOPS_VERIFY_CHUNK_PAUSE");
    assertThatThrownBy(() -> VerifierConfig.fromEnv(Map.of("PXOPS_VERIFY_CHUNK_PAUSE", "soon")))
        .hasMessageContaining("PXOPS_VERIFY_CHUNK_PAUSE");
  }
}
