package io.pxops.kubedb;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;

/**
 * {@code PetSet.spec}, which mirrors a StatefulSet's; {@code volumeClaimTemplates}, {@code podPlacementPolicy}
 * and the rest are kept as read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"replicas", "serviceName", "podManagementPolicy", "updateStrategy", "selector", "template"})
public class PetSetSpec extends ExtensibleObject {

  public static final String ORDERED_READY = "OrderedReady";
  public static final String PARALLEL = "Parallel";
  public static final String ON_DELETE = "OnDelete";
  public static final String ROLLING_UPDATE = "RollingUpdate";

  private Integer replicas;
  private String serviceName;
  private String podManagementPolicy;
  private StatefulSetUpdateStrategy updateStrategy;
  private LabelSelector selector;
  private PodTemplateSpec template;

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  /** {@code spec.replicas}, or 1 (the Kubernetes default) when unset. */
  public int replicasOrDefault() {
    return replicas == null ? 1 : replicas;
  }

  /** The governing (headless) Service, {@code <db>-pods} for KubeDB. */
  public String getServiceName() {
    return serviceName;
  }

  public void setServiceName(String serviceName) {
    this.serviceName = serviceName;
  }

  /** {@code OrderedReady} (the default when unset) or {@code Parallel}. */
  public String getPodManagementPolicy() {
    return podManagementPolicy;
  }

  public void setPodManagementPolicy(String podManagementPolicy) {
    this.podManagementPolicy = podManagementPolicy;
  }

  public StatefulSetUpdateStrategy getUpdateStrategy() {
    return updateStrategy;
  }

  public void setUpdateStrategy(StatefulSetUpdateStrategy updateStrategy) {
    this.updateStrategy = updateStrategy;
  }

  public LabelSelector getSelector() {
    return selector;
  }

  public void setSelector(LabelSelector selector) {
    this.selector = selector;
  }

  public PodTemplateSpec getTemplate() {
    return template;
  }

  public void setTemplate(PodTemplateSpec template) {
    this.template = template;
  }
}
