package io.pxops.events.plan;

import static io.pxops.events.plan.PlanDriver.NEW_IMAGE;
import static io.pxops.events.plan.PlanDriver.OLD_IMAGE;
import static io.pxops.events.plan.PlanDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.ApplyPolicy;
import io.pxops.events.PodInfo;
import io.pxops.events.RequestSpec;
import io.pxops.events.Step;
import io.pxops.events.StepStarted;
import io.pxops.events.status.StepTiming;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dry run's step list is what the real update plan starts: the preview is compared with the steps the plan
 * writes ({@code StepStarted}) when it is driven to its end with every step succeeding, for pods in several states.
 */
class UpdatePreviewTest {

  static Stream<Arguments> worlds() {
    return Stream.of(
        Arguments.of("three ready pods", ApplyPolicy.IF_READY, List.of(pod(0, true, OLD_IMAGE),
            pod(1, true, OLD_IMAGE), pod(2, true, OLD_IMAGE))),
        Arguments.of("pod 1 not ready goes first", ApplyPolicy.IF_READY, List.of(pod(0, true, OLD_IMAGE),
            pod(1, false, OLD_IMAGE), pod(2, true, OLD_IMAGE))),
        Arguments.of("pod 2 already updated", ApplyPolicy.IF_READY, List.of(pod(0, true, OLD_IMAGE),
            pod(1, true, OLD_IMAGE), pod(2, true, NEW_IMAGE))),
        Arguments.of("corrective: no cluster check", ApplyPolicy.ALWAYS, List.of(pod(0, true, OLD_IMAGE),
            pod(1, true, OLD_IMAGE))),
        Arguments.of("every pod updated: no per-pod step", ApplyPolicy.IF_READY, List.of(pod(0, true, NEW_IMAGE),
            pod(1, true, NEW_IMAGE))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("worlds")
  void givenPods_thenThePreviewIsTheStepsTheRealPlanStarts(String name, ApplyPolicy apply, List<PodInfo> pods) {
    RequestSpec spec = spec("upd-1", apply, 1);
    PlanDriver driver = new PlanDriver();
    driver.pods.clear();
    pods.forEach(p -> driver.pods.put(p.name(), p));
    driver.admit(spec);
    driver.runToIdle();
    List<StepPlan.Position> started = new ArrayList<>();
    driver.log.stream().filter(e -> e.payload() instanceof StepStarted).map(e -> (StepStarted) e.payload())
        .forEach(s -> started.add(new StepPlan.Position(s.step(), s.pod())));

    UpdatePreview preview = UpdatePreview.of(spec, pods, NEW_IMAGE);

    assertThat(preview.steps()).isEqualTo(started);
    assertThat(preview.podOrder()).isEqualTo(RestartOrder.of(pods, NEW_IMAGE, java.util.Set.of()));
  }

  @Test
  void givenMeasuredSteps_thenEachStepCountsItsMedianAndTheUnmeasuredOnesAreNamed() {
    UpdatePreview preview = UpdatePreview.of(spec("upd-1"), List.of(pod(0, true, OLD_IMAGE), pod(1, true, OLD_IMAGE)),
        NEW_IMAGE);
    List<StepTiming> measured = List.of(
        timing("Preflight", 1), timing("Preflight", 3), timing("Preflight", 1000), // median 3, not the mean
        timing("EvictPod--orders-1", 2), timing("EvictPod--orders-0", 4), timing("EvictPod--x-0", 4),
        timing("CheckPodRunning--orders-0", 10), timing("VerifyPod--orders-0", 5),
        new StepTiming("ResumeDatabase", Instant.EPOCH, null, null, 0), // still running: measures nothing
        timing("SomethingElse", 99));

    UpdatePreview.Estimate e = preview.estimate(measured).orElseThrow();

    // Preflight 3 + per pod (EvictPod 4 + CheckPodRunning 10 + VerifyPod 5) x 2
    assertThat(e.total()).isEqualTo(Duration.ofSeconds(3 + 2 * (4 + 10 + 5)));
    assertThat(e.unmeasured()).containsExactly(Step.VERIFY_CLUSTER, Step.PAUSE_DATABASE, Step.UPDATE_PETSET,
        Step.UPDATE_DATABASE, Step.RESUME_DATABASE);
    assertThat(preview.estimate(List.of())).isEmpty();
    assertThat(preview.estimate(List.of(timing("SomethingElse", 1)))).isEmpty();
  }

  private static StepTiming timing(String type, long seconds) {
    Instant start = Instant.parse("2026-12-01T10:00:00Z");
    return new StepTiming(type, start, start.plusSeconds(seconds), Duration.ofSeconds(seconds), 0);
  }

  private static PodInfo pod(int ordinal, boolean ready, String image) {
    return new PodInfo("orders-" + ordinal, ordinal, ready, image);
  }
}
