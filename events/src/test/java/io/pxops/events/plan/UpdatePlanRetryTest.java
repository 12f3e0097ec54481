package io.pxops.events.plan;

import static io.pxops.events.plan.PlanDriver.ref;
import static io.pxops.events.plan.PlanDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.ApplyPolicy;
import io.pxops.events.OpsPhase;
import io.pxops.events.RequestFailed;
import io.pxops.events.Step;
import io.pxops.events.StepStarted;
import org.junit.jupiter.api.Test;

class UpdatePlanRetryTest {

  private static PlanDriver atEvict(int maxRetries) {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1", ApplyPolicy.IF_READY, maxRetries));
    driver.runUntil(d -> d.state.active().step() == Step.EVICT_POD);
    return driver;
  }

  @Test
  void givenMaxRetriesTwo_whenAStepFailsRetriablyTwice_thenTheSameCommandIsReissuedWithNewIds() {
    PlanDriver driver = atEvict(2);
    String first = driver.state.active().awaitingCommandId();

    Decision retry1 = driver.fail(true);
    String second = driver.state.active().awaitingCommandId();
    Decision retry2 = driver.fail(true);

    assertThat(PlanDriver.types(retry1.out())).containsExactly("StepStarted", "EvictPod");
    assertThat(PlanDriver.describe(retry2.out().get(1))).isEqualTo("EvictPod(orders-2)");
    assertThat(PlanDriver.only(retry1.out(), StepStarted.class).retry()).isEqualTo(1);
    assertThat(PlanDriver.only(retry2.out(), StepStarted.class).retry()).isEqualTo(2);
    assertThat(driver.state.active().awaitingCommandId()).isNotIn(first, second);
    assertThat(driver.state.active().retries()).containsEntry("EvictPod--orders-2", 2);

    Decision exhausted = driver.fail(true);

    assertThat(PlanDriver.types(exhausted.out())).containsExactly("StepStarted", "ResumeDatabase");
    assertThat(driver.state.active().failing()).isTrue();
  }

  @Test
  void givenMaxRetriesOne_whenTheRetrySucceeds_thenTheUpdateCarriesOn() {
    PlanDriver driver = atEvict(1);

    driver.fail(true);
    driver.runToIdle();

    assertThat(driver.state.finished().get(ref("upd-1")).phase()).isEqualTo(OpsPhase.SUCCESSFUL);
    assertThat(driver.commandsWritten()).filteredOn("EvictPod(orders-2)"::equals).hasSize(2);
  }

  @Test
  void givenMaxRetriesZero_whenAStepFailsRetriably_thenTheRequestFails() {
    PlanDriver driver = atEvict(0);

    driver.fail(true);
    Decision end = driver.answerHappily();

    assertThat(PlanDriver.only(end.out(), RequestFailed.class).step()).isEqualTo(Step.EVICT_POD);
  }

  @Test
  void givenAFatalFailure_whenRetriesAreLeft_thenItIsNotRetried() {
    PlanDriver driver = atEvict(3);

    Decision failed = driver.fail(false);

    assertThat(PlanDriver.types(failed.out())).containsExactly("StepStarted", "ResumeDatabase");
  }

  @Test
  void givenRetriesUsedOnOnePod_whenTheNextPodFails_thenItHasItsOwnBudget() {
    PlanDriver driver = atEvict(1);
    driver.fail(true);
    driver.runUntil(d -> d.state.active().step() == Step.EVICT_POD && "orders-1".equals(d.state.active().pod()));

    Decision retry = driver.fail(true);

    assertThat(PlanDriver.types(retry.out())).containsExactly("StepStarted", "EvictPod");
    assertThat(driver.state.active().retries())
        .containsEntry("EvictPod--orders-2", 1)
        .containsEntry("EvictPod--orders-1", 1);
  }
}
