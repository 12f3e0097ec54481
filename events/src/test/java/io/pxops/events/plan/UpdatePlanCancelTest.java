package io.pxops.events.plan;

import static io.pxops.events.plan.PlanDriver.ref;
import static io.pxops.events.plan.PlanDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.CancelRequested;
import io.pxops.events.OpsPhase;
import io.pxops.events.RequestSkipped;
import io.pxops.events.Step;
import org.junit.jupiter.api.Test;

class UpdatePlanCancelTest {

  private Decision cancel(PlanDriver driver, String name) {
    return driver.feed(driver.input(ref(name), new CancelRequested("alice"), null));
  }

  @Test
  void givenAPendingRequest_whenCancelled_thenItIsSkippedAndLeavesTheQueue() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    driver.admit(spec("upd-2"));

    Decision cancelled = cancel(driver, "upd-2");

    assertThat(PlanDriver.types(cancelled.out())).containsExactly("RequestSkipped");
    assertThat(cancelled.out().get(0).opsRequest()).isEqualTo(ref("upd-2"));
    RequestSkipped skipped = PlanDriver.only(cancelled.out(), RequestSkipped.class);
    assertThat(skipped.reason()).isEqualTo("Cancelled");
    assertThat(skipped.message()).isEqualTo("cancelled by alice before it started");
    assertThat(driver.state.pending()).isEmpty();
    assertThat(driver.state.finished().get(ref("upd-2")).phase()).isEqualTo(OpsPhase.SKIPPED);

    driver.runToIdle();
    assertThat(driver.log).noneMatch(e -> e.opsRequest().equals(ref("upd-2")) && e.type().equals("RequestStarted"));
  }

  @Test
  void givenTheActiveRequest_whenCancelled_thenItRunsOnUnchanged() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    driver.runUntil(d -> d.state.active().step() == Step.CHECK_POD_RUNNING);
    DatabaseState running = driver.state;

    Decision cancelled = cancel(driver, "upd-1");

    assertThat(cancelled.out()).isEmpty();
    assertThat(driver.state).isEqualTo(running);
    driver.runToIdle();
    assertThat(driver.state.finished().get(ref("upd-1")).phase()).isEqualTo(OpsPhase.SUCCESSFUL);
  }

  @Test
  void givenAFinishedOrUnknownRequest_whenCancelled_thenNothingChanges() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    driver.runToIdle();
    DatabaseState idle = driver.state;

    assertThat(cancel(driver, "upd-1").out()).isEmpty();
    assertThat(cancel(driver, "upd-9").out()).isEmpty();
    assertThat(driver.state).isEqualTo(idle);
  }

  @Test
  void givenACancelledRequest_whenItIsAdmittedOrCancelledAgain_thenNothingChanges() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    driver.admit(spec("upd-2"));
    cancel(driver, "upd-2");
    DatabaseState after = driver.state;

    assertThat(cancel(driver, "upd-2").out()).isEmpty();
    assertThat(driver.admit(spec("upd-2")).out()).isEmpty();
    assertThat(driver.state).isEqualTo(after);
  }
}
