package io.pxops.events.plan;

import io.pxops.events.OpsPhase;
import io.pxops.events.PodInfo;
import io.pxops.events.RequestSpec;
import io.pxops.events.Step;
import io.pxops.events.status.StepTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one admitted update would do, without doing it: the steps in the order the update plan would start them
 * and the pods in the order it would restart them. The order is not restated here: it is {@link StepPlan}'s
 * {@link StepPlan#next} walked from the first step with every step succeeding, over {@link RestartOrder} of the
 * pods as they are now, so a change to the plan's table changes the preview with it.
 *
 * @param steps every step with its pod (per-pod steps), first to last
 * @param podOrder the pods to restart, first to last (empty when every pod already runs the target image and is
 *     Ready: the per-pod steps are then skipped, as the plan skips them)
 */
public record UpdatePreview(List<StepPlan.Position> steps, List<PodInfo> podOrder) {

  /** Copies the lists. */
  public UpdatePreview {
    steps = List.copyOf(steps);
    podOrder = List.copyOf(podOrder);
  }

  /**
   * Previews an update.
   *
   * @param spec the request as admission would admit it
   * @param pods the database's pods as they are now
   * @param targetImage the image every pod must end up running (the target catalog entry's)
   * @return the steps and the pod order
   */
  public static UpdatePreview of(RequestSpec spec, List<PodInfo> pods, String targetImage) {
    List<PodInfo> order = RestartOrder.of(pods, targetImage, Set.of());
    RequestProgress progress = RequestProgress.admitted(spec).toBuilder().phase(OpsPhase.PROGRESSING)
        .restart(targetImage, order).build();
    List<StepPlan.Position> steps = new ArrayList<>();
    StepPlan.Position at = new StepPlan.Position(StepPlan.first(), null);
    // each row once, the per-pod rows once per pod: a walk longer than that is a plan that loops
    int bound = StepPlan.entries().size() * (order.size() + 1);
    while (at != null) {
      if (steps.size() >= bound) {
        throw new IllegalStateException("the step plan did not end within " + bound + " steps: " + steps);
      }
      steps.add(at);
      RequestProgress.Builder b = progress.toBuilder().at(at.step(), at.pod());
      if (at.step() == Step.VERIFY_POD) {
        b.podDone(at.pod()); // what the plan absorbs from PodVerified before it moves on
      }
      progress = b.build();
      // the row's first completion is its success (a jump such as PodAlreadyUpdated only shortens a real run)
      Optional<StepPlan.Position> next = StepPlan.next(progress, StepPlan.entry(at.step()).completions().get(0));
      at = next.orElse(null);
    }
    return new UpdatePreview(steps, order);
  }

  /**
   * An estimate of an update: each step of a preview at the median of that step's measured durations.
   *
   * @param total the sum over the steps that have a measurement
   * @param unmeasured the steps no measurement covers (counted as nothing in {@code total})
   * @param perStep each step's median, for the steps measured
   */
  public record Estimate(Duration total, List<Step> unmeasured, Map<Step, Duration> perStep) {

    /** Copies the collections. */
    public Estimate {
      unmeasured = List.copyOf(unmeasured);
      perStep = Map.copyOf(perStep);
    }
  }

  /**
   * Estimates this update from step durations pxops measured before (the status projector's {@link StepTiming}s of
   * successful requests). Per step the median, not the mean, so one pod that waited hours for a state transfer
   * does not inflate every estimate. A step still running or failed (no duration) measures nothing.
   *
   * @param measured step timings of successful updates
   * @return the estimate, or empty when no step of this update was ever measured
   */
  public Optional<Estimate> estimate(List<StepTiming> measured) {
    Map<Step, List<Duration>> byStep = new EnumMap<>(Step.class);
    for (StepTiming t : measured) {
      Step step = stepOf(t.type());
      if (step != null && t.duration() != null && !t.duration().isNegative()) {
        byStep.computeIfAbsent(step, s -> new ArrayList<>()).add(t.duration());
      }
    }
    Map<Step, Duration> median = new EnumMap<>(Step.class);
    byStep.forEach((step, all) -> {
      all.sort(Duration::compareTo);
      median.put(step, all.get(all.size() / 2));
    });
    Duration total = Duration.ZERO;
    List<Step> unmeasured = new ArrayList<>();
    boolean any = false;
    for (StepPlan.Position p : steps) {
      Duration d = median.get(p.step());
      if (d == null) {
        if (!unmeasured.contains(p.step())) {
          unmeasured.add(p.step());
        }
      } else {
        total = total.plus(d);
        any = true;
      }
    }
    return any ? Optional.of(new Estimate(total, unmeasured, median)) : Optional.empty();
  }

  /** The step a condition type names ({@code "EvictPod--orders-1"} is EVICT_POD), or null. */
  static Step stepOf(String conditionType) {
    int cut = conditionType.indexOf(Step.POD_SEPARATOR);
    String prefix = cut < 0 ? conditionType : conditionType.substring(0, cut);
    for (Step s : Step.values()) {
      if (s.conditionPrefix().equals(prefix)) {
        return s;
      }
    }
    return null;
  }
}
