package io.pxops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.systemtests.ChaosHarness.Kill;
import io.pxops.systemtests.ChaosHarness.KillResult;
import io.pxops.systemtests.ChaosHarness.TrialPlan;
import io.pxops.systemtests.ChaosHarness.TrialResult;
import io.pxops.sandbox.world.LocalWorld;
import io.pxops.sandbox.world.LocalWorldExtension;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every process of the pipeline killed with SIGKILL once, during ONE real rolling update of a 3-node Galera cluster
 * under a writer: the ingest right after the request was submitted, then the coordinator, the runners, the
 * verifier, the projector and the Kafka broker (its own process here), each at a different step and each started
 * again at once, as Kubernetes restarts a crashed container. The update must still end safely. The long run of
 * random kills is {@code scripts/chaos.sh} ({@link ChaosRun}).
 */
class ChaosIT {

  @RegisterExtension
  static final LocalWorldExtension WORLD =
      new LocalWorldExtension(LocalWorld.builder().namespace("chaos-it").kafkaProcess(true));

  @Test
  void givenEveryProcessKilledOnceAtADifferentStep_thenTheUpdateEndsSafelyWithNothingLostPausedOrRestartedTwice(
      LocalWorld world) throws Exception {
    // the moments: the n-th command of the update on the log (3 = PauseDatabase, 5 = the first EvictPod,
    // 7 = the first VerifyPod, 9 = the second AwaitPodRunning, 11 = the last EvictPod)
    TrialPlan plan = new TrialPlan(1, List.of(
        new Kill("ingest", 1, 0, 0),
        new Kill("coordinator", 1, 3, 0),
        new Kill("runners", 1, 5, 0),
        new Kill("verifier", 1, 7, 0),
        new Kill("projector", 1, 9, 0),
        new Kill("kafka", 1, 11, 0)));
    try (ChaosHarness harness = new ChaosHarness(world, Files.createTempDirectory("chaos-it-"), 1,
        Duration.ofMinutes(4))) {
      TrialResult r = harness.run(plan);
      System.out.println("CHAOS IT\n" + ChaosReport.table(List.of(r)));

      assertThat(r.kills()).as("every process was killed once")
          .extracting(KillResult::process)
          .containsExactly("ingest", "coordinator", "runners", "verifier", "projector", "kafka");
      assertThat(r.outcome()).as(ChaosReport.table(List.of(r))).isIn("Successful", "Failed");
      if ("Failed".equals(r.outcome())) {
        assertThat(r.failedStep()).as("a failure names its step").isNotBlank();
        assertThat(r.failureReason()).as("a failure names its cause").isNotBlank();
      }
      assertThat(r.restarts()).as("node starts per pod during the update")
          .allSatisfy((pod, starts) -> assertThat(starts).isEqualTo(1));
      assertThat(r.pausedAtEnd()).as("the database is left paused").isFalse();
      assertThat(r.rowsAcknowledged()).isGreaterThan(100);
      assertThat(r.rowsMissing()).as("acknowledged rows missing").isZero();
      assertThat(r.maxNodesOut()).as("most nodes out at once").isLessThanOrEqualTo(1);
      assertThat(r.violations()).isEmpty();
      // the notes also say how late the ops request object followed the log when that took over 5 s (a restarted
      // projector catching up on a loaded machine): a figure for the report, not a failure; a status that never
      // follows is a violation above
      assertThat(r.notes()).as("services that died without being killed")
          .noneMatch(n -> n.contains(" was found dead after the trial"));
    }
  }
}
