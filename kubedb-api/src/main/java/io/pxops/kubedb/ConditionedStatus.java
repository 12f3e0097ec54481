package io.pxops.kubedb;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The status shape KubeDB's objects share: a phase, the generation it was computed for, and kmapi conditions
 * (a list keyed by {@code type}; see {@link Conditions}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"phase", "observedGeneration", "conditions"})
public abstract class ConditionedStatus extends ExtensibleObject {

  private String phase;
  private Long observedGeneration;
  private List<Condition> conditions;

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? null : new ArrayList<>(conditions);
  }
}
