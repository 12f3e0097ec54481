package io.pxops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.systemtests.ChaosHarness.Kill;
import io.pxops.systemtests.ChaosHarness.TrialPlan;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosRunPlanTest {

  @Test
  void theSameSeedGivesTheSamePlan_andADifferentSeedADifferentOne() {
    assertThat(ChaosRun.plan(50, 42)).isEqualTo(ChaosRun.plan(50, 42));
    assertThat(ChaosRun.plan(50, 42)).isNotEqualTo(ChaosRun.plan(50, 43));
  }

  @Test
  void everyKillIsOfAKnownKindAtACommandOfTheUpdate_andFiftyTrialsKillEveryKind() {
    List<TrialPlan> plan = ChaosRun.plan(50, 7);
    List<Kill> kills = plan.stream().flatMap(p -> p.kills().stream()).toList();
    assertThat(kills).hasSize(50).allSatisfy(k -> {
      assertThat(ChaosHarness.KINDS).contains(k.kind());
      assertThat(k.atCommand()).isBetween(0, ChaosHarness.COMMANDS_PER_UPDATE - 1);
      assertThat(k.offsetMillis()).isBetween(0L, 1499L);
    });
    assertThat(kills.subList(0, 6)).as("every round of six kills every kind once").extracting(Kill::kind)
        .containsExactlyInAnyOrderElementsOf(ChaosHarness.KINDS);
  }

  @Test
  void theLastFifthRunsTwoInstances_andOnlyThoseKillASecondInstance() {
    assertThat(ChaosRun.twoInstances(40, 50)).isFalse();
    assertThat(ChaosRun.twoInstances(41, 50)).isTrue();
    assertThat(ChaosRun.twoInstances(50, 50)).isTrue();
    assertThat(ChaosRun.twoInstances(1, 4)).as("fewer than five trials: one instance each").isFalse();
    List<TrialPlan> plan = ChaosRun.plan(50, 11);
    assertThat(plan.subList(0, 40)).allSatisfy(p -> assertThat(p.kills().get(0).instance()).isEqualTo(1));
    assertThat(plan.subList(40, 50)).anySatisfy(p -> assertThat(p.kills().get(0).instance()).isEqualTo(2));
  }
}
