package io.pxops.events.plan;

import static io.pxops.events.plan.PlanDriver.ref;
import static io.pxops.events.plan.PlanDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.Envelope;
import io.pxops.events.EvictPod;
import io.pxops.events.PodEvicted;
import io.pxops.events.PodRunning;
import io.pxops.events.Step;
import io.pxops.events.StepFailed;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpdatePlanRedeliveryTest {

  @Test
  void givenAnAcceptedResult_whenItIsDeliveredAgain_thenTheSecondDeliveryChangesNothing() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    driver.runUntil(d -> d.state.active().step() == Step.EVICT_POD);
    Envelope evicted = driver.resultFor(driver.successFor(driver.awaitedCommand()));

    Decision first = driver.feed(evicted);
    DatabaseState afterFirst = driver.state;
    Decision second = driver.feed(evicted);

    assertThat(PlanDriver.types(first.out())).containsExactly("StepStarted", "AwaitPodRunning");
    assertThat(second.out()).isEmpty();
    assertThat(driver.state).isEqualTo(afterFirst);
  }

  @Test
  void givenAWholeUpdate_whenEveryResultIsDeliveredTwice_thenNoPodIsEvictedTwice() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));

    while (driver.state.active() != null) {
      Envelope result = driver.resultFor(driver.successFor(driver.awaitedCommand()));
      driver.feed(result);
      assertThat(driver.feed(result).out()).isEmpty();
    }

    assertThat(driver.log.stream().filter(e -> e.payload() instanceof EvictPod))
        .extracting(e -> ((EvictPod) e.payload()).pod())
        .containsExactly("orders-2", "orders-1", "orders-0");
  }

  @Test
  void givenARetriedCommand_whenTheAnswerToTheFirstTryArrivesLate_thenItIsIgnored() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    driver.runUntil(d -> d.state.active().step() == Step.EVICT_POD);
    Envelope firstTry = driver.awaited();
    driver.fail(true);
    String retryId = driver.state.active().awaitingCommandId();

    Decision late = driver.feed(driver.input(ref("upd-1"), new PodEvicted("orders-2"), firstTry.eventId()));

    assertThat(retryId).isNotEqualTo(firstTry.eventId());
    assertThat(late.out()).isEmpty();
    assertThat(driver.state.active().awaitingCommandId()).isEqualTo(retryId);
  }

  @Test
  void givenTheRightCommandId_whenTheResultIsForAnotherStepPodOrRequest_thenItIsIgnored() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    driver.runUntil(d -> d.state.active().step() == Step.EVICT_POD);
    String awaited = driver.state.active().awaitingCommandId();
    DatabaseState before = driver.state;

    List<Envelope> wrong =
        List.of(
            driver.input(ref("upd-1"), new PodRunning("orders-2", PlanDriver.NEW_IMAGE), awaited),
            driver.input(ref("upd-1"), new PodEvicted("orders-0"), awaited),
            driver.input(ref("upd-2"), new PodEvicted("orders-2"), awaited),
            driver.input(ref("upd-1"), new PodEvicted("orders-2"), null),
            driver.input(
                ref("upd-1"),
                new StepFailed(Step.VERIFY_POD, "orders-2", "X", "wrong step", false),
                awaited),
            driver.input(
                ref("upd-1"),
                new StepFailed(Step.EVICT_POD, "orders-1", "X", "wrong pod", false),
                awaited));

    for (Envelope input : wrong) {
      assertThat(driver.feed(input).out()).as(input.toString()).isEmpty();
      assertThat(driver.state).isEqualTo(before);
    }
  }

  @Test
  void givenThePlansOwnOutput_whenReadBackFromTheLog_thenItChangesNothing() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    driver.admit(spec("upd-2"));
    driver.runUntil(d -> d.state.active().step() == Step.CHECK_POD_RUNNING);
    DatabaseState before = driver.state;

    for (Envelope own : List.copyOf(driver.log)) {
      assertThat(driver.feed(own).out()).as(own.type()).isEmpty();
    }

    assertThat(driver.state).isEqualTo(before);
  }
}
