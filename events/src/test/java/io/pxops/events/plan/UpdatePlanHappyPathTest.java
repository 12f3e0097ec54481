package io.pxops.events.plan;

import static io.pxops.events.plan.PlanDriver.NEW_IMAGE;
import static io.pxops.events.plan.PlanDriver.OLD_IMAGE;
import static io.pxops.events.plan.PlanDriver.TIMEOUT;
import static io.pxops.events.plan.PlanDriver.ref;
import static io.pxops.events.plan.PlanDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.ApplyPolicy;
import io.pxops.events.Command;
import io.pxops.events.Envelope;
import io.pxops.events.OpsPhase;
import io.pxops.events.PodInfo;
import io.pxops.events.RunPreflight;
import io.pxops.events.Step;
import io.pxops.events.StepStarted;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpdatePlanHappyPathTest {

  @Test
  void givenAThreePodDatabase_whenAnUpdateRunsWithoutTrouble_thenThePodsRestartTwoOneZero() {
    PlanDriver driver = new PlanDriver();

    driver.admit(spec("upd-1"));
    driver.runToIdle();

    assertThat(driver.commandsWritten())
        .containsExactly(
            "RunPreflight",
            "VerifyCluster",
            "PauseDatabase",
            "UpdatePetSet",
            "EvictPod(orders-2)",
            "AwaitPodRunning(orders-2)",
            "VerifyPod(orders-2)",
            "EvictPod(orders-1)",
            "AwaitPodRunning(orders-1)",
            "VerifyPod(orders-1)",
            "EvictPod(orders-0)",
            "AwaitPodRunning(orders-0)",
            "VerifyPod(orders-0)",
            "UpdateDatabaseVersion",
            "ResumeDatabase");
    List<String> types = driver.typesWritten();
    assertThat(types.get(0)).isEqualTo("RequestStarted");
    assertThat(types.get(types.size() - 1)).isEqualTo("RequestSucceeded");
    assertThat(types).filteredOn("StepStarted"::equals).hasSize(15);
    assertThat(driver.pods.values()).extracting(PodInfo::image).containsOnly(NEW_IMAGE);

    RequestProgress done = driver.state.finished().get(ref("upd-1"));
    assertThat(driver.state.active()).isNull();
    assertThat(done.phase()).isEqualTo(OpsPhase.SUCCESSFUL);
    assertThat(done.paused()).isFalse();
    assertThat(done.podsDone()).containsExactly("orders-2", "orders-1", "orders-0");
    assertThat(done.awaitingCommandId()).isNull();
    assertThat(done.currentVersion()).isEqualTo("8.0.40");
    assertThat(done.targetImage()).isEqualTo(NEW_IMAGE);
  }

  @Test
  void givenAnAdmission_whenTheRequestStarts_thenStepStartedAnnouncesTheCommandAndItsDeadline() {
    PlanDriver driver = new PlanDriver();
    Envelope admitted = driver.input(ref("upd-1"), new io.pxops.events.RequestAdmitted(spec("upd-1")), null);

    Decision decision = driver.feed(admitted);

    assertThat(PlanDriver.types(decision.out()))
        .containsExactly("RequestStarted", "StepStarted", "RunPreflight");
    StepStarted started = PlanDriver.only(decision.out(), StepStarted.class);
    Envelope command = decision.out().get(2);
    assertThat(started.step()).isEqualTo(Step.PREFLIGHT);
    assertThat(started.commandId()).isEqualTo(command.eventId());
    assertThat(started.deadline()).isEqualTo(driver.now.plus(TIMEOUT));
    assertThat(started.retry()).isZero();
    assertThat(((RunPreflight) command.payload()).corrective()).isFalse();
    assertThat(((Command) command.payload()).timeout()).isEqualTo(TIMEOUT);
    assertThat(decision.out())
        .allSatisfy(
            e -> {
              assertThat(e.causationId()).isEqualTo(admitted.eventId());
              assertThat(e.opsRequest()).isEqualTo(ref("upd-1"));
              assertThat(e.database()).isEqualTo(PlanDriver.DB);
              assertThat(e.occurredAt()).isEqualTo(driver.now);
            });
    assertThat(driver.state.active().awaitingCommandId()).isEqualTo(command.eventId());
    assertThat(driver.state.active().phase()).isEqualTo(OpsPhase.PROGRESSING);
  }

  @Test
  void givenEveryStep_whenItsResultArrives_thenTheNextCommandIsCausedByThatResult() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));

    while (driver.state.active() != null) {
      Envelope result = driver.resultFor(driver.successFor(driver.awaitedCommand()));
      driver.advance(Duration.ofSeconds(7));
      Decision decision = driver.feed(result);

      assertThat(decision.out()).isNotEmpty();
      assertThat(decision.out()).allMatch(e -> result.eventId().equals(e.causationId()));
      assertThat(decision.out()).filteredOn(e -> e.payload() instanceof Command).hasSizeLessThanOrEqualTo(1);
      if (driver.state.active() != null) {
        assertThat(driver.state.active().stepDeadline()).isEqualTo(driver.now.plus(TIMEOUT));
      }
    }
  }

  @Test
  void givenApplyAlways_whenTheRequestRuns_thenTheClusterIsNotVerifiedBeforehand() {
    PlanDriver driver = new PlanDriver();

    driver.admit(spec("upd-1", ApplyPolicy.ALWAYS, 1));
    driver.runToIdle();

    assertThat(driver.commandsWritten()).doesNotContain("VerifyCluster");
    assertThat(driver.commandsWritten().subList(0, 3))
        .containsExactly("RunPreflight", "PauseDatabase", "UpdatePetSet");
    RunPreflight preflight = PlanDriver.only(driver.log, RunPreflight.class);
    assertThat(preflight.corrective()).isTrue();
    assertThat(driver.state.finished().get(ref("upd-1")).phase()).isEqualTo(OpsPhase.SUCCESSFUL);
  }

  @Test
  void givenAPodThatIsNotReady_whenTheOrderIsMade_thenItIsRestartedFirst() {
    PlanDriver driver = new PlanDriver();
    driver.pods.put("orders-0", new PodInfo("orders-0", 0, false, OLD_IMAGE));

    driver.admit(spec("upd-1"));
    driver.runToIdle();

    assertThat(driver.commandsWritten())
        .filteredOn(c -> c.startsWith("EvictPod"))
        .containsExactly("EvictPod(orders-0)", "EvictPod(orders-2)", "EvictPod(orders-1)");
  }

  @Test
  void givenAPodAlreadyReadyOnTheTargetImage_whenTheOrderIsMade_thenItIsNotRestarted() {
    PlanDriver driver = new PlanDriver();
    driver.pods.put("orders-1", new PodInfo("orders-1", 1, true, NEW_IMAGE));

    driver.admit(spec("upd-1"));
    driver.runToIdle();

    assertThat(driver.commandsWritten())
        .filteredOn(c -> c.contains("orders-1"))
        .isEmpty();
    assertThat(driver.state.finished().get(ref("upd-1")).phase()).isEqualTo(OpsPhase.SUCCESSFUL);
  }

  @Test
  void givenEveryPodAlreadyUpdated_whenThePetSetIsUpdated_thenThePlanGoesStraightToTheDatabase() {
    PlanDriver driver = new PlanDriver();
    driver.pods.replaceAll((name, p) -> new PodInfo(name, p.ordinal(), true, NEW_IMAGE));

    driver.admit(spec("upd-1"));
    driver.runToIdle();

    assertThat(driver.commandsWritten())
        .containsExactly(
            "RunPreflight",
            "VerifyCluster",
            "PauseDatabase",
            "UpdatePetSet",
            "UpdateDatabaseVersion",
            "ResumeDatabase");
  }

  @Test
  void givenARunnerThatFindsThePodAlreadyOnTheTargetImage_whenItSaysSo_thenRunningCheckIsSkipped() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    driver.runUntil(d -> d.state.active().step() == Step.EVICT_POD);
    // the pod was restarted by someone else after the PetSet was updated
    driver.pods.put("orders-2", new PodInfo("orders-2", 2, true, NEW_IMAGE));

    Decision decision = driver.answerHappily();

    assertThat(PlanDriver.describe(decision.out().get(1))).isEqualTo("VerifyPod(orders-2)");
    assertThat(driver.state.active().step()).isEqualTo(Step.VERIFY_POD);
    assertThat(driver.state.active().pod()).isEqualTo("orders-2");
  }
}
