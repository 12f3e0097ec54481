package io.pxops.steprunners.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinatorStateDirTest {

  @Test
  void givenAnUncleanStopUnderExactlyOnce_thenOnlyTheTasksWithoutACheckpointAreDropped(@TempDir Path state)
      throws Exception {
    Path app = state.resolve("pxops-coordinator");
    Path crashed = Files.createDirectories(app.resolve("0_0/rocksdb/coordinator-state"));
    Files.writeString(crashed.resolve("000001.sst"), "x");
    Path clean = Files.createDirectories(app.resolve("0_1/rocksdb/coordinator-state"));
    Files.writeString(app.resolve("0_1/.checkpoint"), "0\n");
    Files.writeString(app.resolve("kafka-streams-process-metadata"), "{\"processId\":\"p\"}");

    CoordinatorMain.dropStateWithoutCheckpoint(config(state, "exactly_once_v2"));

    assertThat(app.resolve("0_0")).doesNotExist();
    assertThat(clean).exists();
    assertThat(app.resolve("kafka-streams-process-metadata")).as("same process id, same transactional id").exists();
  }

  @Test
  void givenAtLeastOnce_thenNothingIsDropped(@TempDir Path state) throws Exception {
    Path crashed = Files.createDirectories(state.resolve("pxops-coordinator/0_0/rocksdb"));

    CoordinatorMain.dropStateWithoutCheckpoint(config(state, "at_least_once"));

    assertThat(crashed).exists();
  }

  private static CoordinatorConfig config(Path state, String guarantee) {
    return CoordinatorConfig.fromEnv(Map.of("PXOPS_STATE_DIR", state.toString(), "PXOPS_PROCESSING_GUARANTEE",
        guarantee, "PXOPS_INSTANCE_ID", "c-0"));
  }
}
