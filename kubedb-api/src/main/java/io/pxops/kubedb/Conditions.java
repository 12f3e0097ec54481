package io.pxops.kubedb;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * kmapi's condition helpers: conditions are a map keyed by {@code type}, not a log. All methods are pure and
 * return new lists; a null list counts as empty.
 */
public final class Conditions {

  private Conditions() {
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Whether a condition of {@code type} exists with status True. */
  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(Condition::statusIsTrue).orElse(false);
  }

  /**
   * Upserts {@code condition} by type. If a condition of that type is already there in the same state
   * (status, reason, message, observed generation), the list is returned unchanged; if only its status is
   * unchanged, the old {@code lastTransitionTime} is kept, since nothing transitioned.
   */
  public static List<Condition> set(List<Condition> conditions, Condition condition) {
    List<Condition> out = new ArrayList<>(conditions == null ? List.of() : conditions);
    for (int i = 0; i < out.size(); i++) {
      Condition old = out.get(i);
      if (condition.getType().equals(old.getType())) {
        if (old.sameStateAs(condition)) {
          return out;
        }
        Condition updated = condition;
        if (old.getStatus() != null && old.getStatus().equals(condition.getStatus())
            && old.getLastTransitionTime() != null) {
          updated = condition.withLastTransitionTime(old.getLastTransitionTime());
        }
        out.set(i, updated);
        return out;
      }
    }
    out.add(condition);
    return out;
  }

  /** The list without any condition of {@code type}. */
  public static List<Condition> remove(List<Condition> conditions, String type) {
    List<Condition> out = new ArrayList<>(conditions == null ? List.of() : conditions);
    out.removeIf(c -> type.equals(c.getType()));
    return out;
  }
}
