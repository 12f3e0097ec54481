package io.pxops.events.plan;

import static io.pxops.events.plan.PlanDriver.ref;
import static io.pxops.events.plan.PlanDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.OpsPhase;
import io.pxops.events.ReplayRequested;
import io.pxops.events.RequestStarted;
import io.pxops.events.RunPreflight;
import io.pxops.events.Step;
import io.pxops.events.StepFailed;
import org.junit.jupiter.api.Test;

class UpdatePlanReplayTest {

  /** upd-1 restarted orders-2, then orders-1 never came back: Failed at CheckPodRunning--orders-1. */
  private static PlanDriver failedAtSecondPod() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    driver.runUntil(
        d -> d.state.active().step() == Step.CHECK_POD_RUNNING && "orders-1".equals(d.state.active().pod()));
    driver.answer(new StepFailed(Step.CHECK_POD_RUNNING, "orders-1", "ImagePullBackOff", "manifest unknown", false));
    driver.answerHappily(); // DatabaseResumed
    return driver;
  }

  private Decision replay(PlanDriver driver, String name) {
    return driver.feed(driver.input(ref(name), new ReplayRequested("alice"), null));
  }

  @Test
  void givenARequestFailedAtAPodStep_whenReplayed_thenANewCorrectiveAttemptSkipsTheDonePods() {
    PlanDriver driver = failedAtSecondPod();
    RequestProgress failed = driver.state.finished().get(ref("upd-1"));
    assertThat(failed.phase()).isEqualTo(OpsPhase.FAILED);
    assertThat(failed.podsDone()).containsExactly("orders-2");
    // the image was fixed and the stuck pod came back on it, but not Ready
    driver.pods.put("orders-1", new io.pxops.events.PodInfo("orders-1", 1, false, PlanDriver.NEW_IMAGE));
    int before = driver.log.size();

    Decision replayed = replay(driver, "upd-1");

    assertThat(PlanDriver.types(replayed.out()))
        .containsExactly("RequestStarted", "StepStarted", "RunPreflight");
    assertThat(PlanDriver.only(replayed.out(), RequestStarted.class).attempt()).isEqualTo(2);
    assertThat(PlanDriver.only(replayed.out(), RunPreflight.class).corrective()).isTrue();
    assertThat(driver.state.active().podsDone()).containsExactly("orders-2");
    assertThat(driver.state.active().retries()).isEmpty();
    assertThat(driver.state.active().failure()).isNull();
    assertThat(driver.state.finished()).doesNotContainKey(ref("upd-1"));

    driver.runToIdle();

    assertThat(
            driver.log.subList(before, driver.log.size()).stream()
                .filter(e -> e.payload() instanceof io.pxops.events.Command)
                .map(PlanDriver::describe))
        .containsExactly(
            "RunPreflight",
            "PauseDatabase",
            "UpdatePetSet",
            "EvictPod(orders-1)",
            "VerifyPod(orders-1)",
            "EvictPod(orders-0)",
            "AwaitPodRunning(orders-0)",
            "VerifyPod(orders-0)",
            "UpdateDatabaseVersion",
            "ResumeDatabase");
    RequestProgress done = driver.state.finished().get(ref("upd-1"));
    assertThat(done.phase()).isEqualTo(OpsPhase.SUCCESSFUL);
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(done.podsDone()).containsExactly("orders-2", "orders-1", "orders-0");
  }

  @Test
  void givenAFailedRequestAndABusyDatabase_whenReplayed_thenItWaitsAndRunsAfter() {
    PlanDriver driver = failedAtSecondPod();
    driver.admit(spec("upd-2"));

    Decision replayed = replay(driver, "upd-1");

    assertThat(PlanDriver.types(replayed.out())).containsExactly("RequestQueued");
    assertThat(driver.state.pending()).extracting(RequestProgress::attempt).containsExactly(2);
    driver.runUntil(d -> d.state.active().ref().equals(ref("upd-1")));
    assertThat(driver.state.finished().get(ref("upd-2")).phase()).isEqualTo(OpsPhase.SUCCESSFUL);
    driver.runToIdle();
    assertThat(driver.state.finished().get(ref("upd-1")).phase()).isEqualTo(OpsPhase.SUCCESSFUL);
  }

  @Test
  void givenARequestThatDidNotFail_whenReplayed_thenNothingChanges() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    driver.admit(spec("upd-2"));
    DatabaseState running = driver.state;

    assertThat(replay(driver, "upd-1").out()).as("active").isEmpty();
    assertThat(replay(driver, "upd-2").out()).as("pending").isEmpty();
    assertThat(replay(driver, "upd-9").out()).as("unknown").isEmpty();
    assertThat(driver.state).isEqualTo(running);

    driver.runToIdle();
    DatabaseState succeeded = driver.state;
    assertThat(replay(driver, "upd-1").out()).as("successful").isEmpty();
    assertThat(driver.state).isEqualTo(succeeded);
  }

  @Test
  void givenAReplay_whenTheSameReplayArrivesAgain_thenItIsIgnored() {
    PlanDriver driver = failedAtSecondPod();
    replay(driver, "upd-1");
    DatabaseState replaying = driver.state;

    assertThat(replay(driver, "upd-1").out()).isEmpty();
    assertThat(driver.state).isEqualTo(replaying);
  }

  @Test
  void givenAReplayThatFailsAgain_whenReplayedOnceMore_thenTheAttemptCountGoesOn() {
    PlanDriver driver = failedAtSecondPod();
    replay(driver, "upd-1");
    driver.fail(false); // preflight fails: paused flag cleared by the last resume, so it ends at once

    assertThat(driver.state.finished().get(ref("upd-1")).attempt()).isEqualTo(2);
    Decision third = replay(driver, "upd-1");

    assertThat(PlanDriver.only(third.out(), RequestStarted.class).attempt()).isEqualTo(3);
  }
}
