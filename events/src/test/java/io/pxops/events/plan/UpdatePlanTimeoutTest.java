package io.pxops.events.plan;

import static io.pxops.events.plan.PlanDriver.TIMEOUT;
import static io.pxops.events.plan.PlanDriver.ref;
import static io.pxops.events.plan.PlanDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.Envelope;
import io.pxops.events.OpsPhase;
import io.pxops.events.RequestFailed;
import io.pxops.events.Step;
import io.pxops.events.StepProgressed;
import io.pxops.events.StepTimedOut;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UpdatePlanTimeoutTest {

  private static PlanDriver atVerifyPod() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    driver.runUntil(d -> d.state.active().step() == Step.VERIFY_POD);
    return driver;
  }

  @Test
  void givenAStepWithinItsDeadline_whenTicked_thenNothingHappens() {
    PlanDriver driver = atVerifyPod();
    DatabaseState before = driver.state;
    driver.now = before.active().stepDeadline();

    Decision tick = driver.tick();

    assertThat(tick.out()).isEmpty();
    assertThat(driver.state).isSameAs(before);
  }

  @Test
  void givenAStepPastItsDeadline_whenTicked_thenItTimesOutAndTheDatabaseIsResumedBeforeFailing() {
    PlanDriver driver = atVerifyPod();
    String timedOutCommand = driver.state.active().awaitingCommandId();
    driver.now = driver.state.active().stepDeadline().plusMillis(1);

    Decision tick = driver.tick();

    assertThat(PlanDriver.types(tick.out()))
        .containsExactly("StepTimedOut", "StepStarted", "ResumeDatabase");
    assertThat(tick.out()).allMatch(e -> timedOutCommand.equals(e.causationId()));
    StepTimedOut timedOut = PlanDriver.only(tick.out(), StepTimedOut.class);
    assertThat(timedOut.step()).isEqualTo(Step.VERIFY_POD);
    assertThat(timedOut.pod()).isEqualTo("orders-2");
    assertThat(timedOut.timeout()).isEqualTo(TIMEOUT);
    assertThat(driver.state.active().failing()).isTrue();

    Decision resumed = driver.answerHappily();

    RequestFailed failed = PlanDriver.only(resumed.out(), RequestFailed.class);
    assertThat(failed.step()).isEqualTo(Step.VERIFY_POD);
    assertThat(failed.pod()).isEqualTo("orders-2");
    assertThat(failed.reason()).isEqualTo(UpdatePlan.REASON_TIMED_OUT);
    assertThat(failed.message()).isEqualTo("VerifyPod--orders-2 made no progress for PT10M");
    assertThat(driver.state.finished().get(ref("upd-1")).phase()).isEqualTo(OpsPhase.FAILED);
  }

  @Test
  void givenProgressReports_whenTheyArrive_thenTheDeadlineMovesAndALongStateTransferSucceeds() {
    PlanDriver driver = atVerifyPod();
    String awaited = driver.state.active().awaitingCommandId();

    // a state transfer lasting three timeouts, reported every 8 minutes
    for (int i = 0; i < 4; i++) {
      driver.advance(Duration.ofMinutes(8));
      assertThat(driver.tick().out()).isEmpty();
      Decision progressed =
          driver.feed(
              driver.input(
                  ref("upd-1"),
                  new StepProgressed(Step.VERIFY_POD, "orders-2", "orders-2: Joined, IST " + i),
                  awaited));
      assertThat(progressed.out()).isEmpty();
      assertThat(driver.state.active().stepDeadline()).isEqualTo(driver.now.plus(TIMEOUT));
    }
    Decision verified = driver.answerHappily();

    assertThat(driver.now).isAfter(PlanDriver.START.plus(TIMEOUT.multipliedBy(3)));
    assertThat(PlanDriver.types(verified.out())).containsExactly("StepStarted", "EvictPod");
  }

  @Test
  void givenProgressThatStops_whenTheTimeoutPassesAfterTheLastReport_thenTheStepTimesOut() {
    PlanDriver driver = atVerifyPod();
    String awaited = driver.state.active().awaitingCommandId();
    driver.advance(Duration.ofMinutes(9));
    driver.feed(driver.input(ref("upd-1"), new StepProgressed(Step.VERIFY_POD, "orders-2", "Joining"), awaited));
    Instant lastProgress = driver.now;

    driver.now = lastProgress.plus(TIMEOUT);
    assertThat(driver.tick().out()).isEmpty();
    driver.now = lastProgress.plus(TIMEOUT).plusSeconds(1);
    Decision tick = driver.tick();

    assertThat(PlanDriver.types(tick.out())).startsWith("StepTimedOut");
  }

  @Test
  void givenProgressWithAStaleCommandId_whenItArrives_thenTheDeadlineDoesNotMove() {
    PlanDriver driver = atVerifyPod();
    Instant deadline = driver.state.active().stepDeadline();
    driver.advance(Duration.ofMinutes(5));

    Envelope stale =
        driver.input(
            ref("upd-1"),
            new StepProgressed(Step.VERIFY_POD, "orders-2", "Joining"),
            "00000000-0000-4000-8000-000000000001");
    driver.feed(stale);

    assertThat(driver.state.active().stepDeadline()).isEqualTo(deadline);
  }

  @Test
  void givenAStepThatNeverPausedTheDatabase_whenItTimesOut_thenTheRequestFailsAtOnce() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    driver.advance(TIMEOUT.plusSeconds(1));

    Decision tick = driver.tick();

    assertThat(PlanDriver.types(tick.out())).containsExactly("StepTimedOut", "RequestFailed");
    assertThat(PlanDriver.only(tick.out(), RequestFailed.class).step()).isEqualTo(Step.PREFLIGHT);
    assertThat(driver.state.active()).isNull();
  }

  @Test
  void givenNoActiveRequest_whenTicked_thenNothingHappens() {
    PlanDriver driver = new PlanDriver();
    driver.advance(Duration.ofDays(3));

    assertThat(driver.tick().out()).isEmpty();
  }
}
