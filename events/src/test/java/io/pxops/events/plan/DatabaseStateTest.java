package io.pxops.events.plan;

import static io.pxops.events.plan.PlanDriver.ref;
import static io.pxops.events.plan.PlanDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.JsonCodec;
import io.pxops.events.OpsPhase;
import io.pxops.events.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatabaseStateTest {

  @Test
  void givenAStateMidUpdateWithAQueue_whenWrittenAsJsonAndReadBack_thenItIsEqual() throws Exception {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-0"));
    driver.fail(false);
    driver.admit(spec("upd-1"));
    driver.runUntil(d -> d.state.active().step() == Step.VERIFY_POD);
    driver.fail(true);
    driver.admit(spec("upd-2"));
    DatabaseState state = driver.state;

    byte[] json = JsonCodec.shared().mapper().writeValueAsBytes(state);
    DatabaseState read = JsonCodec.shared().mapper().readValue(json, DatabaseState.class);

    assertThat(read).isEqualTo(state);
    assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"phase\":\"Progressing\"", "\"retries\":{\"VerifyPod--orders-2\":1}")
        .doesNotContain("corrective", "failing", "nextPod", "\"ref\"");
  }

  @Test
  void givenMoreFinishedRequestsThanTheLimit_whenTheyEnd_thenTheOldestAreForgotten() {
    PlanDriver driver = new PlanDriver();

    for (int i = 0; i < DatabaseState.FINISHED_LIMIT + 5; i++) {
      driver.admit(spec("fast-" + i));
      driver.fail(false);
    }

    assertThat(driver.state.finished()).hasSize(DatabaseState.FINISHED_LIMIT);
    assertThat(driver.state.finished().keySet().iterator().next()).isEqualTo(ref("fast-5"));
    assertThat(driver.state.finished()).doesNotContainKey(ref("fast-4"));
    assertThat(driver.state.find(ref("fast-54")).map(RequestProgress::phase)).contains(OpsPhase.FAILED);
  }

  @Test
  void givenAnEmptyState_whenLookedAt_thenItKnowsNoRequest() {
    DatabaseState empty = DatabaseState.empty(PlanDriver.DB);

    assertThat(empty.active()).isNull();
    assertThat(empty.pending()).isEqualTo(List.of());
    assertThat(empty.finished()).isEmpty();
    assertThat(empty.find(ref("upd-1"))).isEmpty();
  }
}
