package io.pxops.kubedb;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/** KubeDB's {@code OpsRequestStatus}, shared by all ops request kinds; phases in {@link OpsRequestPhase}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"phase", "observedGeneration", "conditions"})
public class OpsRequestStatus extends ExtensibleObject {

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
