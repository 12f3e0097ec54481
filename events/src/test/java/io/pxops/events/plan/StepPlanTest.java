package io.pxops.events.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.Command;
import io.pxops.events.MessageTypes;
import io.pxops.events.Step;
import io.pxops.events.StepFailed;
import io.pxops.events.StepProgressed;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StepPlanTest {

  @Test
  void givenThePlan_whenRead_thenEveryStepAppearsOnceInKubeDbOrder() {
    assertThat(StepPlan.entries())
        .extracting(StepPlan.Entry::step)
        .containsExactly(Step.values());
    assertThat(StepPlan.first()).isEqualTo(Step.PREFLIGHT);
    assertThat(StepPlan.entries())
        .filteredOn(StepPlan.Entry::skippedWhenCorrective)
        .extracting(StepPlan.Entry::step)
        .containsExactly(Step.VERIFY_CLUSTER);
  }

  @Test
  void givenEveryStep_whenItsCommandIsBuilt_thenItIsTheDeclaredCommandAndNamesTheStep() {
    PlanDriver driver = new PlanDriver();
    driver.admit(PlanDriver.spec("upd-1"));
    driver.runUntil(d -> d.state.active().step() == Step.EVICT_POD);
    RequestProgress atPod = driver.state.active();

    for (StepPlan.Entry entry : StepPlan.entries()) {
      Command command = StepPlan.command(entry.step(), atPod);

      assertThat(command).isInstanceOf(entry.command());
      assertThat(command.step()).isEqualTo(entry.step());
    }
  }

  @Test
  void givenTheRegistry_whenEveryCommandTypeIsLookedUp_thenExactlyOneStepUsesIt() {
    assertThat(
            MessageTypes.all().values().stream()
                .filter(Command.class::isAssignableFrom)
                .collect(Collectors.toSet()))
        .isEqualTo(
            StepPlan.entries().stream().map(StepPlan.Entry::command).collect(Collectors.toSet()));
  }

  @Test
  void givenResultTypes_whenAskedWhetherTheyAnswerSteps_thenOnlyResultsDo() {
    assertThat(StepPlan.isResult(StepProgressed.class)).isTrue();
    assertThat(StepPlan.isResult(StepFailed.class)).isTrue();
    assertThat(StepPlan.isResult(io.pxops.events.PodAlreadyUpdated.class)).isTrue();
    assertThat(StepPlan.isResult(io.pxops.events.RequestAdmitted.class)).isFalse();
    assertThat(StepPlan.isResult(io.pxops.events.StepStarted.class)).isFalse();
    assertThat(StepPlan.completion(Step.EVICT_POD, io.pxops.events.PodAlreadyUpdated.class))
        .map(StepPlan.Completion::then)
        .contains(Step.VERIFY_POD);
    assertThat(StepPlan.completion(Step.VERIFY_POD, io.pxops.events.PodEvicted.class)).isEmpty();
  }
}
