package io.pxops.events.plan;

import static io.pxops.events.plan.PlanDriver.ref;
import static io.pxops.events.plan.PlanDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.ApplyPolicy;
import io.pxops.events.OpsPhase;
import io.pxops.events.RequestFailed;
import io.pxops.events.Step;
import io.pxops.events.StepFailed;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class UpdatePlanFailureTest {

  /** Steps before which no PauseDatabase was issued. */
  private static final EnumSet<Step> BEFORE_PAUSE = EnumSet.of(Step.PREFLIGHT, Step.VERIFY_CLUSTER);

  private static PlanDriver at(Step step) {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1", ApplyPolicy.IF_READY, 0));
    driver.runUntil(d -> d.state.active().step() == step);
    return driver;
  }

  @ParameterizedTest
  @EnumSource(Step.class)
  void givenAFatalFailureAtAnyStep_whenItArrives_thenTheDatabaseIsResumedIfPausedAndTheStepIsNamed(
      Step step) {
    PlanDriver driver = at(step);
    String pod = driver.state.active().pod();

    Decision failed = driver.fail(false);

    RequestFailed end;
    if (BEFORE_PAUSE.contains(step) || step == Step.RESUME_DATABASE) {
      assertThat(PlanDriver.types(failed.out())).containsExactly("RequestFailed");
      end = PlanDriver.only(failed.out(), RequestFailed.class);
    } else {
      assertThat(PlanDriver.types(failed.out())).containsExactly("StepStarted", "ResumeDatabase");
      assertThat(driver.state.active().phase()).isEqualTo(OpsPhase.PROGRESSING);
      assertThat(driver.state.active().failing()).isTrue();
      assertThat(driver.state.active().step()).isEqualTo(Step.RESUME_DATABASE);
      Decision resumed = driver.answerHappily();
      assertThat(PlanDriver.types(resumed.out())).containsExactly("RequestFailed");
      end = PlanDriver.only(resumed.out(), RequestFailed.class);
    }

    assertThat(end.step()).isEqualTo(step);
    assertThat(end.pod()).isEqualTo(pod);
    assertThat(end.reason()).isEqualTo("Simulated");
    RequestProgress done = driver.state.finished().get(ref("upd-1"));
    assertThat(done.phase()).isEqualTo(OpsPhase.FAILED);
    assertThat(done.failure().step()).isEqualTo(step);
    assertThat(done.paused()).isEqualTo(step == Step.RESUME_DATABASE);
    assertThat(driver.state.active()).isNull();
  }

  @Test
  void givenTheResumeOfAFailingRequestFails_whenItArrives_thenTheRequestEndsFailedWithoutLooping() {
    PlanDriver driver = at(Step.CHECK_POD_RUNNING);
    driver.answer(new StepFailed(Step.CHECK_POD_RUNNING, "orders-2", "CrashLoopBackOff", "mysqld exits 1", false));

    Decision resumeFailed = driver.fail(false);

    assertThat(PlanDriver.types(resumeFailed.out())).containsExactly("RequestFailed");
    RequestFailed end = PlanDriver.only(resumeFailed.out(), RequestFailed.class);
    assertThat(end.step()).isEqualTo(Step.RESUME_DATABASE);
    assertThat(end.reason()).isEqualTo("Simulated");
    assertThat(end.message())
        .contains("the database may still be paused")
        .contains("CheckPodRunning--orders-2 failed (CrashLoopBackOff): mysqld exits 1");
    assertThat(driver.state.finished().get(ref("upd-1")).paused()).isTrue();
  }

  @Test
  void givenTheResumeOfAFailingRequestTimesOut_whenTicked_thenTheRequestEndsFailed() {
    PlanDriver driver = at(Step.UPDATE_PETSET);
    driver.fail(false);
    driver.now = driver.state.active().stepDeadline().plusSeconds(1);

    Decision tick = driver.tick();

    assertThat(PlanDriver.types(tick.out())).containsExactly("StepTimedOut", "RequestFailed");
    assertThat(driver.state.active()).isNull();
  }

  @Test
  void givenAFailureWithAPendingRequest_whenTheFailedOneEnds_thenThePendingOneStarts() {
    PlanDriver driver = at(Step.VERIFY_POD);
    driver.admit(spec("upd-2"));
    driver.fail(false);

    Decision resumed = driver.answerHappily();

    assertThat(PlanDriver.types(resumed.out()))
        .containsExactly("RequestFailed", "RequestStarted", "StepStarted", "RunPreflight");
    assertThat(resumed.out().get(0).opsRequest()).isEqualTo(ref("upd-1"));
    assertThat(resumed.out().get(1).opsRequest()).isEqualTo(ref("upd-2"));
    assertThat(driver.state.active().ref()).isEqualTo(ref("upd-2"));
  }

  @Test
  void givenAFailedRequest_whenMoreResultsOrTicksArrive_thenItStaysFailed() {
    PlanDriver driver = at(Step.PREFLIGHT);
    String lastCommand = driver.state.active().awaitingCommandId();
    driver.fail(false);
    DatabaseState failed = driver.state;

    for (io.pxops.events.Event late :
        List.<io.pxops.events.Event>of(
            new io.pxops.events.PreflightPassed("8.0.40", 3, driver.podList()),
            new StepFailed(Step.PREFLIGHT, null, "Late", "late", true))) {
      assertThat(driver.feed(driver.input(ref("upd-1"), late, lastCommand)).out()).isEmpty();
    }
    driver.advance(java.time.Duration.ofDays(1));
    assertThat(driver.tick().out()).isEmpty();
    assertThat(driver.state).isEqualTo(failed);
  }
}
