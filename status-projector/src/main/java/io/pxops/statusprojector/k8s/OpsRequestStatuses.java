package io.pxops.statusprojector.k8s;

import io.pxops.events.status.RequestStatus;
import io.pxops.events.status.StatusCondition;
import io.pxops.kubedb.Condition;
import io.pxops.kubedb.OpsRequestStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Turns a projected {@link RequestStatus} into the {@code .status} of a {@code
 * PerconaXtraDBOpsRequest}: KubeDB's phase, its conditions, and {@code observedGeneration}. Pure.
 */
public final class OpsRequestStatuses {

  private OpsRequestStatuses() {}

  /**
   * The object's status for a projected status.
   *
   * @param status the projection
   * @param generation the object's {@code metadata.generation}, stamped on the status and on
   *     every condition (the log does not know it)
   * @param existing the object's status now, or {@code null}; fields this projection does not own
   *     (KubeDB's {@code pausedBackups}, anything added later) are kept
   * @return the status to write
   */
  public static OpsRequestStatus toKubernetes(
      RequestStatus status, Long generation, OpsRequestStatus existing) {
    OpsRequestStatus out = new OpsRequestStatus();
    if (existing != null) {
      out.getAdditionalProperties().putAll(existing.getAdditionalProperties());
    }
    out.setPhase(status.phase() == null ? null : status.phase().kubeName());
    out.setObservedGeneration(generation);
    out.setConditions(status.conditions().stream()
        .map(c -> condition(c, generation))
        .collect(Collectors.toList()));
    return out;
  }

  /**
   * Whether writing {@code desired} would change {@code existing}: the write-back skips what is
   * already there, so replays and restarts do not touch the objects.
   *
   * @param existing the object's status now, or {@code null}
   * @param desired the status to write
   * @return {@code true} if phase, observed generation, conditions and kept fields are all equal
   */
  public static boolean same(OpsRequestStatus existing, OpsRequestStatus desired) {
    if (existing == null) {
      return false;
    }
    return Objects.equals(existing.getPhase(), desired.getPhase())
        && Objects.equals(existing.getObservedGeneration(), desired.getObservedGeneration())
        && Objects.equals(conditions(existing), conditions(desired))
        && existing.getAdditionalProperties().equals(desired.getAdditionalProperties());
  }

  private static List<Condition> conditions(OpsRequestStatus status) {
    return status.getConditions() == null ? List.of() : status.getConditions();
  }

  private static Condition condition(StatusCondition c, Long generation) {
    return new Condition(c.type(), c.status(), c.reason(), c.message(), generation,
        rfc3339(c.lastTransitionTime()),
        // kmapi sets a severity only on False conditions; a False one here is a failed step
        Condition.FALSE.equals(c.status()) ? Condition.SEVERITY_ERROR : null);
  }

  /** Kubernetes writes times with whole seconds: metav1.Time drops the fraction. */
  private static String rfc3339(Instant time) {
    return time.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
