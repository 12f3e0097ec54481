package io.pxops.events.plan;

import io.pxops.events.AwaitPodRunning;
import io.pxops.events.ClusterVerified;
import io.pxops.events.Command;
import io.pxops.events.DatabasePaused;
import io.pxops.events.DatabaseResumed;
import io.pxops.events.DatabaseVersionUpdated;
import io.pxops.events.Event;
import io.pxops.events.EvictPod;
import io.pxops.events.PauseDatabase;
import io.pxops.events.PetSetUpdated;
import io.pxops.events.PodAlreadyUpdated;
import io.pxops.events.PodEvicted;
import io.pxops.events.PodRunning;
import io.pxops.events.PodVerified;
import io.pxops.events.PreflightPassed;
import io.pxops.events.ResumeDatabase;
import io.pxops.events.RunPreflight;
import io.pxops.events.Step;
import io.pxops.events.StepFailed;
import io.pxops.events.StepProgressed;
import io.pxops.events.UpdateDatabaseVersion;
import io.pxops.events.UpdatePetSet;
import io.pxops.events.VerifyCluster;
import io.pxops.events.VerifyPod;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * The step order of an UpdateVersion request, declared once, as a table: each row names a step, the
 * command that performs it, the results that complete it, and whether a corrective run skips it.
 *
 * <pre>
 *  PREFLIGHT         RunPreflight          -> PreflightPassed
 *  VERIFY_CLUSTER    VerifyCluster         -> ClusterVerified           (skipped when corrective)
 *  PAUSE_DATABASE    PauseDatabase         -> DatabasePaused
 *  UPDATE_PETSET     UpdatePetSet          -> PetSetUpdated(image, pods)
 *  ┌ for each pod in the restart order:
 *  │ EVICT_POD       EvictPod              -> PodEvicted
 *  │                                        | PodAlreadyUpdated         (then straight to VERIFY_POD)
 *  │ CHECK_POD_RUNNING AwaitPodRunning     -> PodRunning
 *  └ VERIFY_POD      VerifyPod             -> PodVerified
 *  UPDATE_DATABASE   UpdateDatabaseVersion -> DatabaseVersionUpdated
 *  RESUME_DATABASE   ResumeDatabase        -> DatabaseResumed
 * </pre>
 *
 * <p>Every step may also be answered by {@link StepProgressed} (moves the deadline) or {@link
 * StepFailed}. The per-pod rows form one contiguous group that repeats for each pod; when no pod
 * needs a restart the group is skipped. What happens on failure is decided by {@link UpdatePlan}.
 */
public final class StepPlan {

  /**
   * A result that completes a step.
   *
   * @param result the result event type
   * @param then the step to go to, within the same pod; {@code null} means the next step in plan
   *     order
   */
  public record Completion(Class<? extends Event> result, Step then) {}

  /**
   * One row of the plan.
   *
   * @param step the step
   * @param command the command that performs it
   * @param completions the results that complete it
   * @param skippedWhenCorrective whether a corrective run (replay, {@code apply: Always}) skips it
   */
  public record Entry(
      Step step,
      Class<? extends Command> command,
      List<Completion> completions,
      boolean skippedWhenCorrective) {

    /** Copies the completions. */
    public Entry {
      completions = List.copyOf(completions);
    }
  }

  /**
   * Where the plan goes next.
   *
   * @param step the step to start
   * @param pod its pod if it is a per-pod step, else {@code null}
   */
  public record Position(Step step, String pod) {}

  private static final List<Entry> PLAN =
      List.of(
          row(Step.PREFLIGHT, RunPreflight.class, false, done(PreflightPassed.class)),
          row(Step.VERIFY_CLUSTER, VerifyCluster.class, true, done(ClusterVerified.class)),
          row(Step.PAUSE_DATABASE, PauseDatabase.class, false, done(DatabasePaused.class)),
          row(Step.UPDATE_PETSET, UpdatePetSet.class, false, done(PetSetUpdated.class)),
          row(
              Step.EVICT_POD,
              EvictPod.class,
              false,
              done(PodEvicted.class),
              new Completion(PodAlreadyUpdated.class, Step.VERIFY_POD)),
          row(Step.CHECK_POD_RUNNING, AwaitPodRunning.class, false, done(PodRunning.class)),
          row(Step.VERIFY_POD, VerifyPod.class, false, done(PodVerified.class)),
          row(
              Step.UPDATE_DATABASE,
              UpdateDatabaseVersion.class,
              false,
              done(DatabaseVersionUpdated.class)),
          row(Step.RESUME_DATABASE, ResumeDatabase.class, false, done(DatabaseResumed.class)));

  private static final int FIRST_POD_ROW = firstPerPodRow();
  private static final int LAST_POD_ROW = lastPerPodRow();

  static {
    checkShape();
  }

  private StepPlan() {}

  /**
   * The plan, in order.
   *
   * @return every row
   */
  public static List<Entry> entries() {
    return PLAN;
  }

  /**
   * The row of one step.
   *
   * @param step a step
   * @return its row
   */
  public static Entry entry(Step step) {
    return PLAN.get(indexOf(step));
  }

  /**
   * The step every run starts with.
   *
   * @return {@link Step#PREFLIGHT}
   */
  public static Step first() {
    return PLAN.get(0).step();
  }

  /**
   * Whether an event type can answer a step command: a completion of some step, {@link
   * StepProgressed} or {@link StepFailed}.
   *
   * @param type an event type
   * @return {@code true} for result types
   */
  public static boolean isResult(Class<? extends Event> type) {
    if (type == StepProgressed.class || type == StepFailed.class) {
      return true;
    }
    return PLAN.stream()
        .flatMap(e -> e.completions().stream())
        .anyMatch(c -> c.result() == type);
  }

  /**
   * How a result completes a step.
   *
   * @param step the current step
   * @param result the result's type
   * @return the completion, or empty if that result does not complete that step
   */
  public static Optional<Completion> completion(Step step, Class<? extends Event> result) {
    return entry(step).completions().stream().filter(c -> c.result() == result).findFirst();
  }

  /**
   * Where a request goes after its current step completed.
   *
   * @param progress the request, with the result already absorbed (pods done, restart order)
   * @param completion how the step completed
   * @return the next position, or empty when the request has no step left
   */
  public static Optional<Position> next(RequestProgress progress, Completion completion) {
    if (completion.then() != null) {
      Step then = completion.then();
      return Optional.of(new Position(then, then.perPod() ? progress.pod() : null));
    }
    int current = indexOf(progress.step());
    boolean inPodGroup = PLAN.get(current).step().perPod();
    if (inPodGroup && current == LAST_POD_ROW) {
      String pod = progress.nextPod();
      if (pod != null) {
        return Optional.of(new Position(PLAN.get(FIRST_POD_ROW).step(), pod));
      }
    }
    for (int row = current + 1; row < PLAN.size(); row++) {
      Entry entry = PLAN.get(row);
      if (entry.skippedWhenCorrective() && progress.corrective()) {
        continue;
      }
      if (!entry.step().perPod()) {
        return Optional.of(new Position(entry.step(), null));
      }
      if (inPodGroup) {
        return Optional.of(new Position(entry.step(), progress.pod()));
      }
      String pod = progress.nextPod();
      if (pod != null) {
        return Optional.of(new Position(entry.step(), pod));
      }
      row = LAST_POD_ROW; // no pod needs a restart: skip the whole group
    }
    return Optional.empty();
  }

  /**
   * The command that performs a step for a request standing at that step.
   *
   * @param step the step
   * @param progress the request, with {@link RequestProgress#pod()} set for per-pod steps
   * @return the command
   */
  public static Command command(Step step, RequestProgress progress) {
    Duration timeout = progress.spec().timeout();
    return switch (step) {
      case PREFLIGHT -> new RunPreflight(progress.spec(), progress.corrective(), timeout);
      case VERIFY_CLUSTER -> new VerifyCluster(progress.replicas(), timeout);
      case PAUSE_DATABASE -> new PauseDatabase(timeout);
      case UPDATE_PETSET -> new UpdatePetSet(progress.spec().targetVersion(), timeout);
      case EVICT_POD -> new EvictPod(progress.pod(), progress.targetImage(), timeout);
      case CHECK_POD_RUNNING -> new AwaitPodRunning(progress.pod(), progress.targetImage(), timeout);
      case VERIFY_POD -> new VerifyPod(progress.pod(), progress.replicas(), timeout);
      case UPDATE_DATABASE -> new UpdateDatabaseVersion(progress.spec().targetVersion(), timeout);
      case RESUME_DATABASE -> new ResumeDatabase(timeout);
    };
  }

  private static Entry row(
      Step step, Class<? extends Command> command, boolean skippedWhenCorrective, Completion... c) {
    return new Entry(step, command, List.of(c), skippedWhenCorrective);
  }

  private static Completion done(Class<? extends Event> result) {
    return new Completion(result, null);
  }

  private static int indexOf(Step step) {
    for (int i = 0; i < PLAN.size(); i++) {
      if (PLAN.get(i).step() == step) {
        return i;
      }
    }
    throw new IllegalArgumentException("step " + step + " is not in the plan");
  }

  private static int firstPerPodRow() {
    for (int i = 0; i < PLAN.size(); i++) {
      if (PLAN.get(i).step().perPod()) {
        return i;
      }
    }
    throw new IllegalStateException("the plan has no per-pod step");
  }

  private static int lastPerPodRow() {
    for (int i = PLAN.size() - 1; i >= 0; i--) {
      if (PLAN.get(i).step().perPod()) {
        return i;
      }
    }
    throw new IllegalStateException("the plan has no per-pod step");
  }

  /** Fails fast if the table breaks the assumptions {@link #next} relies on. */
  private static void checkShape() {
    EnumSet<Step> seen = EnumSet.noneOf(Step.class);
    for (int i = 0; i < PLAN.size(); i++) {
      Entry entry = PLAN.get(i);
      if (!seen.add(entry.step())) {
        throw new IllegalStateException("step " + entry.step() + " appears twice in the plan");
      }
      if (entry.step().perPod() != (i >= FIRST_POD_ROW && i <= LAST_POD_ROW)) {
        throw new IllegalStateException("the per-pod steps must form one contiguous group");
      }
      if (entry.skippedWhenCorrective() && entry.step().perPod()) {
        throw new IllegalStateException("a per-pod step cannot be skipped: " + entry.step());
      }
      for (Completion c : entry.completions()) {
        if (c.then() != null && (!c.then().perPod() || !entry.step().perPod())) {
          throw new IllegalStateException("a jump must stay within the pod group: " + c);
        }
      }
    }
    if (!seen.equals(EnumSet.allOf(Step.class))) {
      throw new IllegalStateException("the plan misses steps: " + EnumSet.complementOf(seen));
    }
    if (PLAN.get(PLAN.size() - 1).step() != Step.RESUME_DATABASE) {
      throw new IllegalStateException("the plan must end by resuming the database");
    }
  }
}
