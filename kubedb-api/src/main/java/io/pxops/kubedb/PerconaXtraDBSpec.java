package io.pxops.kubedb;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code PerconaXtraDB.spec}: the fields this project reads or writes; every other field ({@code storage},
 * {@code monitor}, {@code tls}, ...) is kept as read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"version", "replicas", "storageType", "authSecret", "podTemplate", "halted", "deletionPolicy"})
public class PerconaXtraDBSpec extends ExtensibleObject {

  /** KubeDB's default for {@code spec.replicas}, and its minimum for a Galera cluster. */
  public static final int DEFAULT_REPLICAS = 3;

  private String version;
  private Integer replicas;
  private String storageType;
  private SecretReference authSecret;
  private JsonNode podTemplate;
  private Boolean halted;
  private String deletionPolicy;

  /** The name of the {@code PerconaXtraDBVersion} catalog object the database runs. */
  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  /** {@code spec.replicas}, or KubeDB's default of 3 when unset. */
  public int replicasOrDefault() {
    return replicas == null ? DEFAULT_REPLICAS : replicas;
  }

  /** {@code Durable} or {@code Ephemeral}. */
  public String getStorageType() {
    return storageType;
  }

  public void setStorageType(String storageType) {
    this.storageType = storageType;
  }

  public SecretReference getAuthSecret() {
    return authSecret;
  }

  public void setAuthSecret(SecretReference authSecret) {
    this.authSecret = authSecret;
  }

  /** KubeDB's offshoot pod template, kept as generic JSON. */
  public JsonNode getPodTemplate() {
    return podTemplate;
  }

  public void setPodTemplate(JsonNode podTemplate) {
    this.podTemplate = podTemplate;
  }

  /**
   * KubeDB's destructive halt (PetSet and Services deleted, PVCs kept). Never the way to pause a database for
   * an update: that is the {@code Paused} condition, see {@link KubeDbConditions}.
   */
  public Boolean getHalted() {
    return halted;
  }

  public void setHalted(Boolean halted) {
    this.halted = halted;
  }

  /** {@code Halt}, {@code Delete}, {@code WipeOut} or {@code DoNotTerminate}. */
  public String getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(String deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }
}
