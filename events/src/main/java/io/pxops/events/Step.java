package io.pxops.events;

/**
 * The steps of an UpdateVersion request, in plan order. The order and the transitions between the
 * steps are declared once, in {@code io.pxops.events.plan.StepPlan}; this enum only names the steps
 * and maps them to KubeDB's condition types.
 *
 * <p>On the wire a step is its enum name ({@code "EVICT_POD"}).
 */
public enum Step {
  /** Check that the update may start: database found, version path legal, cluster healthy. */
  PREFLIGHT("Preflight", false),
  /** Check every Galera node before touching anything (skipped for corrective requests). */
  VERIFY_CLUSTER("VerifyCluster", false),
  /** Set the {@code Paused} condition on the database and see it take effect. */
  PAUSE_DATABASE("PauseDatabase", false),
  /** Update the container images in the PetSet pod template (update strategy OnDelete). */
  UPDATE_PETSET("UpdatePetSets", false),
  /** Evict (delete) one pod so that it comes back with the new image. */
  EVICT_POD("EvictPod", true),
  /** Wait until the new pod runs the target image and is Ready. */
  CHECK_POD_RUNNING("CheckPodRunning", true),
  /** Check every Galera node after one pod came back (Synced, Primary, full size, same data). */
  VERIFY_POD("VerifyPod", true),
  /** Record the target version in the database object's {@code spec.version}. */
  UPDATE_DATABASE("UpdateDatabase", false),
  /** Remove the {@code Paused} condition from the database. */
  RESUME_DATABASE("ResumeDatabase", false);

  /** Separator KubeDB puts between a per-pod condition type and the pod name. */
  public static final String POD_SEPARATOR = "--";

  private final String conditionPrefix;
  private final boolean perPod;

  Step(String conditionPrefix, boolean perPod) {
    this.conditionPrefix = conditionPrefix;
    this.perPod = perPod;
  }

  /**
   * KubeDB's condition type without the pod, e.g. {@code "EvictPod"}.
   *
   * @return the prefix
   */
  public String conditionPrefix() {
    return conditionPrefix;
  }

  /**
   * Whether the step is done once per pod (its condition type then carries the pod name).
   *
   * @return {@code true} for {@link #EVICT_POD}, {@link #CHECK_POD_RUNNING} and {@link #VERIFY_POD}
   */
  public boolean perPod() {
    return perPod;
  }

  /**
   * KubeDB's condition type for this step, e.g. {@code "UpdatePetSets"} or {@code
   * "EvictPod--orders-2"}.
   *
   * @param pod the pod name; required for per-pod steps, ignored otherwise
   * @return the condition type
   * @throws IllegalArgumentException if the step is per pod and {@code pod} is blank
   */
  public String conditionType(String pod) {
    if (!perPod) {
      return conditionPrefix;
    }
    return conditionPrefix + POD_SEPARATOR + Require.text(pod, "pod of step " + name());
  }

  /**
   * The {@code GetPod--<pod>} condition type KubeDB records when it has read a pod before evicting
   * it; the status projector adds it when an {@link #EVICT_POD} step reports its result.
   *
   * @param pod the pod name
   * @return {@code "GetPod--" + pod}
   */
  public static String getPodConditionType(String pod) {
    return "GetPod" + POD_SEPARATOR + Require.text(pod, "pod");
  }
}
