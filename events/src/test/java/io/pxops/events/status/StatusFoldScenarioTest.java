package io.pxops.events.status;

import static io.pxops.events.status.LifecycleScript.NEW_IMAGE;
import static io.pxops.events.status.LifecycleScript.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.AwaitPodRunning;
import io.pxops.events.EvictPod;
import io.pxops.events.OpsPhase;
import io.pxops.events.Step;
import io.pxops.events.UpdateDatabaseVersion;
import io.pxops.events.VerifyPod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole runs written by the real plan, folded: what a person watching the request sees. */
class StatusFoldScenarioTest {

  private static final List<String> HAPPY_CONDITIONS =
      List.of(
          "UpdateVersion",
          "Preflight",
          "VerifyCluster",
          "PauseDatabase",
          "UpdatePetSets",
          "GetPod--orders-2",
          "EvictPod--orders-2",
          "CheckPodRunning--orders-2",
          "VerifyPod--orders-2",
          "GetPod--orders-1",
          "EvictPod--orders-1",
          "CheckPodRunning--orders-1",
          "VerifyPod--orders-1",
          "GetPod--orders-0",
          "EvictPod--orders-0",
          "CheckPodRunning--orders-0",
          "VerifyPod--orders-0",
          "RestartPods",
          "UpdateDatabase",
          "ResumeDatabase",
          "Successful");

  @Test
  void givenAThreePodUpdate_whenItRunsWithoutTrouble_thenItIsSuccessfulWithKubeDbConditionsInOrder() {
    LifecycleScript script = new LifecycleScript("orders", 3).admit("upd-1").runToIdle();

    RequestStatus status = Folds.request(script.log(), ref("upd-1"));

    assertThat(status.phase()).isEqualTo(OpsPhase.SUCCESSFUL);
    assertThat(status.conditions()).extracting(StatusCondition::type).isEqualTo(HAPPY_CONDITIONS);
    assertThat(status.conditions()).extracting(StatusCondition::status).containsOnly("True");
    assertThat(status.condition("UpdateVersion").orElseThrow().message())
        .isEqualTo("PerconaXtraDB ops-request has started to update version");
    assertThat(status.condition("EvictPod--orders-1").orElseThrow().message())
        .isEqualTo("evict pod; ConditionStatus:True; PodName:orders-1");
    assertThat(status.attempt()).isEqualTo(1);
    assertThat(status.targetVersion()).isEqualTo("8.4.3");
    assertThat(status.door()).isEqualTo("kubernetes");
    assertThat(status.fromVersion()).isEqualTo("8.0.40");
    assertThat(status.replicas()).isEqualTo(3);
    assertThat(status.targetImage()).isEqualTo(NEW_IMAGE);
    assertThat(status.currentStep()).isNull();
    assertThat(status.currentCommandId()).isNull();
    assertThat(status.failure()).isNull();
    assertThat(status.startedAt()).isBefore(status.finishedAt());
    assertThat(status.lastProgressAt()).isEqualTo(status.finishedAt());
    assertThat(status.pods()).extracting(PodProgress::pod)
        .containsExactly("orders-2", "orders-1", "orders-0");
    assertThat(status.pods()).allSatisfy(pod -> {
      assertThat(pod.phase()).isEqualTo(PodPhase.VERIFIED);
      assertThat(pod.image()).isEqualTo(NEW_IMAGE);
      assertThat(pod.lastStep()).isEqualTo(Step.VERIFY_POD);
      assertThat(pod.evictedAt()).isBefore(pod.runningAt());
      assertThat(pod.duration()).isEqualTo(Duration.between(pod.startedAt(), pod.verifiedAt()));
      assertThat(pod.duration()).isPositive();
    });
    assertThat(status.steps()).hasSize(15);
    assertThat(status.steps()).allSatisfy(step -> {
      assertThat(step.endedAt()).isNotNull();
      assertThat(step.duration()).isEqualTo(Duration.between(step.startedAt(), step.endedAt()));
      assertThat(step.retries()).isZero();
    });
    assertThat(status.steps().get(0).type()).isEqualTo("Preflight");
  }

  @Test
  void givenAPodThatNeverRuns_whenTheStepFails_thenTheRequestIsFailedNamingThatStepAfterResuming() {
    LifecycleScript script = new LifecycleScript("orders", 3).admit("upd-1")
        .runUntil(AwaitPodRunning.class, "orders-1")
        .failStep("ImagePullBackOff", "pod orders-1 cannot pull the image", false)
        .runToIdle();

    RequestStatus status = Folds.request(script.log(), ref("upd-1"));

    assertThat(status.phase()).isEqualTo(OpsPhase.FAILED);
    assertThat(status.failure()).isEqualTo(new RequestFailure(Step.CHECK_POD_RUNNING, "orders-1",
        "ImagePullBackOff", "pod orders-1 cannot pull the image"));
    StatusCondition failedStep = status.condition("CheckPodRunning--orders-1").orElseThrow();
    assertThat(failedStep.status()).isEqualTo("False");
    assertThat(failedStep.reason()).isEqualTo("ImagePullBackOff");
    assertThat(failedStep.message()).isEqualTo("pod orders-1 cannot pull the image");
    assertThat(status.condition("RestartPods").orElseThrow().status()).isEqualTo("False");
    assertThat(status.condition("ResumeDatabase").orElseThrow().status()).isEqualTo("True");
    assertThat(status.condition("Failed").orElseThrow().reason()).isEqualTo("ImagePullBackOff");
    assertThat(status.conditions()).extracting(StatusCondition::type).containsExactly(
        "UpdateVersion", "Preflight", "VerifyCluster", "PauseDatabase", "UpdatePetSets",
        "GetPod--orders-2", "EvictPod--orders-2", "CheckPodRunning--orders-2",
        "VerifyPod--orders-2", "GetPod--orders-1", "EvictPod--orders-1",
        "CheckPodRunning--orders-1", "RestartPods", "ResumeDatabase", "Failed");
    assertThat(status.condition("VerifyPod--orders-1")).isEmpty();
    assertThat(status.pods()).extracting(PodProgress::phase)
        .containsExactly(PodPhase.VERIFIED, PodPhase.EVICTED, PodPhase.WAITING);
    assertThat(status.currentStep()).isNull();
    assertThat(status.finishedAt()).isNotNull();
  }

  @Test
  void givenAStepWithoutProgress_whenItsDeadlinePasses_thenTheRequestFailsWithStepTimedOut() {
    LifecycleScript script = new LifecycleScript("orders", 3).admit("upd-1")
        .runUntil(VerifyPod.class, "orders-2").timeOut().runToIdle();

    RequestStatus status = Folds.request(script.log(), ref("upd-1"));

    assertThat(status.phase()).isEqualTo(OpsPhase.FAILED);
    assertThat(status.failure().step()).isEqualTo(Step.VERIFY_POD);
    assertThat(status.failure().reason()).isEqualTo("StepTimedOut");
    StatusCondition timedOut = status.condition("VerifyPod--orders-2").orElseThrow();
    assertThat(timedOut.status()).isEqualTo("False");
    assertThat(timedOut.reason()).isEqualTo("StepTimedOut");
    assertThat(timedOut.message()).contains("VerifyPod--orders-2").contains("PT5M");
  }

  @Test
  void givenARetriableFailure_whenTheRetrySucceeds_thenTheConditionTurnsTrueAndTheRetryIsCounted() {
    LifecycleScript script = new LifecycleScript("orders", 3).admit("upd-1")
        .runUntil(EvictPod.class, "orders-2")
        .failStep("Conflict", "the pod was modified", true);
    RequestStatus afterFailure = Folds.request(script.log(), ref("upd-1"));
    script.runUntil(AwaitPodRunning.class, "orders-2");

    RequestStatus status = Folds.request(script.log(), ref("upd-1"));

    StatusCondition failed = afterFailure.condition("EvictPod--orders-2").orElseThrow();
    assertThat(failed.status()).isEqualTo("False");
    assertThat(failed.reason()).isEqualTo("Conflict");
    StatusCondition evicted = status.condition("EvictPod--orders-2").orElseThrow();
    assertThat(evicted.status()).isEqualTo("True");
    assertThat(evicted.lastTransitionTime()).isAfter(failed.lastTransitionTime());
    StepTiming timing = status.steps().stream()
        .filter(s -> s.type().equals("EvictPod--orders-2")).findFirst().orElseThrow();
    assertThat(timing.retries()).isEqualTo(1);
    StepTiming firstTry = afterFailure.steps().stream()
        .filter(s -> s.type().equals("EvictPod--orders-2")).findFirst().orElseThrow();
    // the retry was issued in the same decision as the failure: the step runs again
    assertThat(firstTry.retries()).isEqualTo(1);
    assertThat(firstTry.endedAt()).isNull();
    assertThat(timing.startedAt()).isEqualTo(firstTry.startedAt());
    assertThat(timing.endedAt()).isAfter(failed.lastTransitionTime());
    assertThat(status.phase()).isEqualTo(OpsPhase.PROGRESSING);
    assertThat(status.currentStep()).isEqualTo(Step.CHECK_POD_RUNNING);
    assertThat(status.currentPod()).isEqualTo("orders-2");
  }

  @Test
  void givenAFailedRequest_whenItIsReplayed_thenANewAttemptRunsAndEndsSuccessfulInKubeDbOrder() {
    LifecycleScript script = new LifecycleScript("orders", 3).admit("upd-1")
        .runUntil(AwaitPodRunning.class, "orders-1")
        .failStep("ImagePullBackOff", "cannot pull", false).runToIdle();
    script.replay("upd-1");
    RequestStatus replaying = Folds.request(script.log(), ref("upd-1"));
    script.runToIdle();

    RequestStatus status = Folds.request(script.log(), ref("upd-1"));

    assertThat(replaying.phase()).isEqualTo(OpsPhase.PROGRESSING);
    assertThat(replaying.attempt()).isEqualTo(2);
    assertThat(replaying.failure()).isNull();
    assertThat(replaying.finishedAt()).isNull();
    assertThat(replaying.condition("Failed")).isEmpty();
    assertThat(status.phase()).isEqualTo(OpsPhase.SUCCESSFUL);
    assertThat(status.attempt()).isEqualTo(2);
    // the corrective attempt skips VerifyCluster and orders-2, done before, whose conditions stay
    // from attempt 1; orders-1 was evicted in attempt 1 and is found on the target image, so it
    // goes straight to verification; the list keeps KubeDB's order
    List<String> expected = new java.util.ArrayList<>(HAPPY_CONDITIONS);
    expected.remove("CheckPodRunning--orders-1");
    assertThat(status.conditions()).extracting(StatusCondition::type).isEqualTo(expected);
    assertThat(status.condition("EvictPod--orders-1").orElseThrow().reason())
        .isEqualTo("PodAlreadyUpdated");
    assertThat(status.conditions()).extracting(StatusCondition::status).containsOnly("True");
    assertThat(status.pods()).extracting(PodProgress::phase).containsOnly(PodPhase.VERIFIED);
  }

  @Test
  void givenARequestRejectedByTheIngest_whenFolded_thenItIsFailedWithTheRuleAsReason() {
    LifecycleScript script = new LifecycleScript("orders", 3).reject("downgrade",
        "spec.updateVersion.targetVersion", "UpdateConstraints",
        "upgrade from version 8.0.40 to 5.7.44 is not supported");

    RequestStatus status = Folds.request(script.log(), ref("downgrade"));

    assertThat(status.phase()).isEqualTo(OpsPhase.FAILED);
    assertThat(status.rejection()).isEqualTo(new RequestRejection(
        "spec.updateVersion.targetVersion", "UpdateConstraints",
        "upgrade from version 8.0.40 to 5.7.44 is not supported"));
    assertThat(status.conditions()).extracting(StatusCondition::type)
        .containsExactly("UpdateVersion", "Failed");
    StatusCondition updateVersion = status.condition("UpdateVersion").orElseThrow();
    assertThat(updateVersion.status()).isEqualTo("False");
    assertThat(updateVersion.reason()).isEqualTo("UpdateConstraints");
    assertThat(updateVersion.message())
        .contains("spec.updateVersion.targetVersion").contains("UpdateConstraints")
        .contains("5.7.44 is not supported");
    assertThat(status.door()).isEqualTo("kafka");
    assertThat(status.targetVersion()).isEqualTo("5.7.44");
    assertThat(status.finishedAt()).isNotNull();
    assertThat(status.attempt()).isZero();
  }

  @Test
  void givenRequestsWaitingBehindARunningOne_whenANewerOneArrivesAndOneIsCancelled_thenTheyAreSkipped() {
    LifecycleScript script = new LifecycleScript("orders", 3).admit("upd-1")
        .runUntil(EvictPod.class, "orders-2").admit("upd-2");
    RequestStatus waiting = Folds.request(script.log(), ref("upd-2"));
    script.admit("upd-3").cancel("upd-3").runToIdle();

    java.util.Map<String, RequestStatus> all = Folds.requests(script.log());

    assertThat(waiting.phase()).isEqualTo(OpsPhase.PENDING);
    assertThat(waiting.queuePosition()).isEqualTo(1);
    assertThat(waiting.conditions()).isEmpty();
    RequestStatus superseded = all.get(ref("upd-2"));
    assertThat(superseded.phase()).isEqualTo(OpsPhase.SKIPPED);
    assertThat(superseded.queuePosition()).isNull();
    assertThat(superseded.conditions()).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo("Skipped");
      assertThat(c.reason()).isEqualTo("Superseded");
      assertThat(c.message()).contains("shop/upd-3");
    });
    RequestStatus cancelled = all.get(ref("upd-3"));
    assertThat(cancelled.phase()).isEqualTo(OpsPhase.SKIPPED);
    assertThat(cancelled.condition("Skipped").orElseThrow().reason()).isEqualTo("Cancelled");
    assertThat(all.get(ref("upd-1")).phase()).isEqualTo(OpsPhase.SUCCESSFUL);
  }

  @Test
  void givenAPodFoundOnTheTargetImage_whenTheEvictionReportsIt_thenEvictPodSaysSoAndNoRunningCheckIsListed() {
    LifecycleScript script = new LifecycleScript("orders", 3).admit("upd-1")
        .runUntil(EvictPod.class, "orders-1").podAlreadyOnTarget("orders-1")
        .runUntil(UpdateDatabaseVersion.class, null);

    RequestStatus status = Folds.request(script.log(), ref("upd-1"));

    StatusCondition evict = status.condition("EvictPod--orders-1").orElseThrow();
    assertThat(evict.status()).isEqualTo("True");
    assertThat(evict.reason()).isEqualTo("PodAlreadyUpdated");
    assertThat(status.condition("GetPod--orders-1")).isPresent();
    assertThat(status.condition("CheckPodRunning--orders-1")).isEmpty();
    assertThat(status.condition("VerifyPod--orders-1").orElseThrow().status()).isEqualTo("True");
    assertThat(status.pods().get(1).evictedAt()).isNull();
    assertThat(status.pods().get(1).phase()).isEqualTo(PodPhase.VERIFIED);
    assertThat(status.condition("RestartPods").orElseThrow().message())
        .isEqualTo("Successfully restarted 3 PerconaXtraDB pods");
  }

  @Test
  void givenAPodAlreadyReadyOnTheTarget_whenThePetSetIsUpdated_thenThatPodIsListedUpToDateAndLast() {
    LifecycleScript script = new LifecycleScript("orders", 3).podAlreadyOnTarget("orders-2")
        .admit("upd-1").runToIdle();

    RequestStatus status = Folds.request(script.log(), ref("upd-1"));

    assertThat(status.pods()).extracting(PodProgress::pod)
        .containsExactly("orders-1", "orders-0", "orders-2");
    assertThat(status.pods().get(2).phase()).isEqualTo(PodPhase.UP_TO_DATE);
    assertThat(status.condition("EvictPod--orders-2")).isEmpty();
    assertThat(status.phase()).isEqualTo(OpsPhase.SUCCESSFUL);
  }
}
