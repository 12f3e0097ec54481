package io.pxops.kubedb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatusPatchesTest {

  @Test
  void guardedPatchSetsTheResourceVersionThenReplacesTheStatus() {
    PerconaXtraDBStatus status = new PerconaXtraDBStatus();
    status.setPhase(DatabasePhase.READY);
    status.setConditions(List.of(new Condition("Paused", "True", "Paused", null, 2L, "2026-07-01T10:00:00Z", null)));

    assertThat(StatusPatches.replaceStatus("42", status)).isEqualTo(
        "[{\"op\":\"add\",\"path\":\"/metadata/resourceVersion\",\"value\":\"42\"},"
            + "{\"op\":\"add\",\"path\":\"/status\",\"value\":{\"phase\":\"Ready\",\"conditions\":[{\"type\":\"Paused\","
            + "\"status\":\"True\",\"observedGeneration\":2,\"lastTransitionTime\":\"2026-07-01T10:00:00Z\","
            + "\"reason\":\"Paused\"}]}}]");
    assertThat(StatusPatches.replaceStatus(null, status)).startsWith("[{\"op\":\"add\",\"path\":\"/status\"");
  }
}
