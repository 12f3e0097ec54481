package io.pxops.sandbox.kube;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;

/**
 * The arithmetic of a {@code policy/v1} PodDisruptionBudget as Kubernetes' disruption controller and eviction
 * subresource do it ({@code pkg/controller/disruption} and {@code pkg/registry/core/pod/storage/eviction.go}), for
 * the local API's eviction:
 *
 * <ul>
 *   <li>{@code expectedPods}: the scale of the pods' controller (here the PetSet's replicas when known, else the
 *       number of matching pods);</li>
 *   <li>{@code desiredHealthy}: {@code minAvailable} (an integer, or a percentage of expectedPods rounded up), or
 *       {@code expectedPods - maxUnavailable} (a percentage of expectedPods rounded up), never below 0;</li>
 *   <li>{@code currentHealthy}: the matching pods that are Ready and not being deleted;</li>
 *   <li>{@code disruptionsAllowed}: {@code max(0, currentHealthy - desiredHealthy)}.</li>
 * </ul>
 *
 * <p>A {@code policy/v1} budget with an empty selector selects every pod of its namespace; one with no selector
 * selects none.
 */
public final class DisruptionBudgets {

  /** What the real API answers when a budget refuses an eviction (HTTP 429). */
  public static final String REFUSAL_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";
  /** The {@code StatusCause.reason} (Go: {@code Type}) the real API gives the refusal's cause. */
  public static final String CAUSE_TYPE = "DisruptionBudget";

  /** A budget's numbers at one moment. */
  public record Numbers(int expectedPods, int desiredHealthy, int currentHealthy, int disruptionsAllowed) {
  }

  private DisruptionBudgets() {
  }

  /** Computes the budget's numbers over the pods it selects ({@code matching}) and their controller's scale. */
  public static Numbers of(PodDisruptionBudget pdb, List<Pod> matching, Integer controllerScale) {
    int expected = controllerScale != null ? controllerScale : matching.size();
    int currentHealthy = (int) matching.stream().filter(DisruptionBudgets::healthy).count();
    int desired;
    IntOrString minAvailable = pdb.getSpec() == null ? null : pdb.getSpec().getMinAvailable();
    IntOrString maxUnavailable = pdb.getSpec() == null ? null : pdb.getSpec().getMaxUnavailable();
    if (maxUnavailable != null) {
      desired = Math.max(0, expected - scaled(maxUnavailable, expected));
    } else if (minAvailable != null) {
      desired = scaled(minAvailable, expected);
    } else {
      desired = 0; // neither set: the API server defaults minAvailable to 1 for policy/v1beta1 only; v1 allows all
    }
    return new Numbers(expected, desired, currentHealthy, Math.max(0, currentHealthy - desired));
  }

  /** An integer as is, a percentage of {@code total} rounded up (Kubernetes' GetScaledValueFromIntOrPercent). */
  static int scaled(IntOrString value, int total) {
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String s = value.getStrVal() == null ? "" : value.getStrVal().trim();
    if (!s.endsWith("%")) {
      try {
        return Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid value for IntOrString: " + s, e);
      }
    }
    int percent = Integer.parseInt(s.substring(0, s.length() - 1));
    return (int) Math.ceil(percent * (double) total / 100.0);
  }

  /** Ready and not being deleted: what the disruption controller counts as healthy. */
  public static boolean healthy(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null && ready(pod);
  }

  /** The pod's {@code Ready} condition is True. */
  public static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
        .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Whether the budget's selector selects {@code pod} (same namespace assumed). */
  public static boolean selects(PodDisruptionBudget pdb, Pod pod) {
    LabelSelector selector = pdb.getSpec() == null ? null : pdb.getSpec().getSelector();
    if (selector == null) {
      return false;
    }
    Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        String value = labels.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        boolean ok = switch (r.getOperator()) {
          case "In" -> value != null && values.contains(value);
          case "NotIn" -> value == null || !values.contains(value);
          case "Exists" -> labels.containsKey(r.getKey());
          case "DoesNotExist" -> !labels.containsKey(r.getKey());
          default -> false;
        };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  /** The refusal cause's message, word for word the real API's. */
  public static String causeMessage(String pdbName, Numbers n) {
    return "The disruption budget " + pdbName + " needs " + n.desiredHealthy() + " healthy pods and has "
        + n.currentHealthy() + " currently";
  }
}
