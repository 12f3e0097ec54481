package io.pxops.sandbox.galera;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.sandbox.runtime.PodProcessState;
import io.pxops.sandbox.runtime.PodProcessState.Phase;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rule a local pod follows when its process fails before Synced, for an exit and for a failed launch alike: the
 * first failure in a row is a container that errored and is being restarted (the pipeline waits on it); from the
 * second the pod is stuck (the pipeline fails the step at once).
 */
class PodFailureRuleTest {

  @ParameterizedTest(name = "{1} #{0} -> {2} {3}")
  @CsvSource({
      "1, CrashLoopBackOff, STARTING, Error",
      "2, CrashLoopBackOff, STUCK, CrashLoopBackOff",
      "5, CrashLoopBackOff, STUCK, CrashLoopBackOff",
      "1, RunContainerError, STARTING, Error",
      "2, RunContainerError, STUCK, RunContainerError",
  })
  void givenFailuresInARow_thenTheFirstIsRestartedAndTheSecondIsStuck(int inARow, String stuckReason, Phase phase,
      String reason) {
    PodProcessState s = GaleraPodRuntime.afterFailure(inARow, stuckReason,
        "mariadbd --wsrep-recover did not finish within 2m", Duration.ofSeconds(4), "px:10.11.18");
    assertThat(s.phase()).isEqualTo(phase);
    assertThat(s.reason()).isEqualTo(reason);
    assertThat(s.message()).contains("did not finish within 2m").containsPattern("4 ?s");
    assertThat(s.image()).isEqualTo("px:10.11.18");
    if (phase == Phase.STUCK) {
      assertThat(s.message()).contains(inARow + " times in a row");
    }
  }
}
