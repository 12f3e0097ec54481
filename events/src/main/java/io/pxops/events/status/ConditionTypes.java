package io.pxops.events.status;

import io.pxops.events.Step;
import java.util.Comparator;
import java.util.List;

/**
 * KubeDB's condition types of an UpdateVersion request that are not named after a {@link Step}, and
 * the order in which KubeDB lists them.
 *
 * <p>The order: {@value #UPDATE_VERSION}; the request-level steps {@code Preflight}, {@code
 * VerifyCluster}, {@code PauseDatabase}, {@code UpdatePetSets}; then per pod, in restart order,
 * {@code GetPod--<pod>}, {@code EvictPod--<pod>}, {@code CheckPodRunning--<pod>}, {@code
 * VerifyPod--<pod>}; then {@value #RESTART_PODS}, {@code UpdateDatabase}, {@code ResumeDatabase};
 * last the terminal {@value #SUCCESSFUL}, {@value #FAILED} or {@value #SKIPPED}. Keeping the order
 * explicit (rather than the order of insertion) keeps it right across retries and replays, which
 * upsert conditions that already exist.
 */
public final class ConditionTypes {

  /** True once the request started: "PerconaXtraDB ops-request has started to update version". */
  public static final String UPDATE_VERSION = "UpdateVersion";

  /** True once every pod that needed it was restarted and verified. */
  public static final String RESTART_PODS = "RestartPods";

  /** The request ended Successful. */
  public static final String SUCCESSFUL = "Successful";

  /** The request ended Failed. */
  public static final String FAILED = "Failed";

  /** True while the request waits for its maintenance window (message: when it opens). */
  public static final String WAITING_FOR_WINDOW = "WaitingForWindow";

  /** The request ended Skipped (superseded or cancelled). */
  public static final String SKIPPED = "Skipped";

  private static final List<String> POD_STEP_ORDER =
      List.of(
          prefix(Step.getPodConditionType("p")),
          prefix(Step.EVICT_POD.conditionType("p")),
          prefix(Step.CHECK_POD_RUNNING.conditionType("p")),
          prefix(Step.VERIFY_POD.conditionType("p")));

  private static final List<String> BEFORE_PODS =
      List.of(
          UPDATE_VERSION,
          Step.PREFLIGHT.conditionType(null),
          Step.VERIFY_CLUSTER.conditionType(null),
          Step.PAUSE_DATABASE.conditionType(null),
          Step.UPDATE_PETSET.conditionType(null));

  private static final List<String> AFTER_PODS =
      List.of(
          RESTART_PODS,
          Step.UPDATE_DATABASE.conditionType(null),
          Step.RESUME_DATABASE.conditionType(null));

  private static final List<String> TERMINAL = List.of(SUCCESSFUL, FAILED, SKIPPED);

  private ConditionTypes() {}

  /**
   * Orders condition types as KubeDB lists them.
   *
   * @param podOrder the pods in restart order; per-pod conditions of other pods come after those of
   *     the listed pods
   * @return a comparator of condition types; types it does not know sort just before the terminal
   *     ones
   */
  static Comparator<String> order(List<String> podOrder) {
    return Comparator.comparingInt((String type) -> group(type))
        .thenComparingInt(type -> podIndex(type, podOrder))
        .thenComparingInt(ConditionTypes::withinGroup);
  }

  /**
   * Whether a condition type is a per-pod one, {@code <Step>--<pod>}.
   *
   * @param type a condition type
   * @return {@code true} for {@code GetPod--x}, {@code EvictPod--x} and the like
   */
  static boolean perPod(String type) {
    return type.contains(Step.POD_SEPARATOR)
        && POD_STEP_ORDER.contains(type.substring(0, type.indexOf(Step.POD_SEPARATOR)));
  }

  /** "EvictPod--p" to "EvictPod". */
  private static String prefix(String perPodType) {
    return perPodType.substring(0, perPodType.indexOf(Step.POD_SEPARATOR));
  }

  private static int group(String type) {
    if (BEFORE_PODS.contains(type)) {
      return 0;
    }
    if (perPod(type)) {
      return 1;
    }
    if (AFTER_PODS.contains(type)) {
      return 2;
    }
    if (TERMINAL.contains(type)) {
      return 4;
    }
    return 3;
  }

  private static int podIndex(String type, List<String> podOrder) {
    if (!perPod(type)) {
      return 0;
    }
    int index = podOrder.indexOf(type.substring(type.indexOf(Step.POD_SEPARATOR) + 2));
    return index < 0 ? Integer.MAX_VALUE : index;
  }

  private static int withinGroup(String type) {
    if (perPod(type)) {
      return POD_STEP_ORDER.indexOf(type.substring(0, type.indexOf(Step.POD_SEPARATOR)));
    }
    for (List<String> list : List.of(BEFORE_PODS, AFTER_PODS, TERMINAL)) {
      if (list.contains(type)) {
        return list.indexOf(type);
      }
    }
    return 0;
  }
}
