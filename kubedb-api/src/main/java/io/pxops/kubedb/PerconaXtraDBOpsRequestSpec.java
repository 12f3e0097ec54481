package io.pxops.kubedb;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;

/**
 * {@code PerconaXtraDBOpsRequest.spec}: the fields of an {@code UpdateVersion} request; the fields of the other
 * types ({@code horizontalScaling}, {@code restart}, ...) are kept as read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "databaseRef", "updateVersion", "timeout", "apply", "maxRetries"})
public class PerconaXtraDBOpsRequestSpec extends ExtensibleObject {

  public static final String TYPE_UPDATE_VERSION = "UpdateVersion";
  public static final String APPLY_IF_READY = "IfReady";
  public static final String APPLY_ALWAYS = "Always";

  private String type;
  private LocalObjectReference databaseRef;
  private UpdateVersionSpec updateVersion;
  private String timeout;
  private String apply;
  private Integer maxRetries;

  /** {@code UpdateVersion}, {@code HorizontalScaling}, {@code Restart}, ... */
  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public LocalObjectReference getDatabaseRef() {
    return databaseRef;
  }

  public void setDatabaseRef(LocalObjectReference databaseRef) {
    this.databaseRef = databaseRef;
  }

  public UpdateVersionSpec getUpdateVersion() {
    return updateVersion;
  }

  public void setUpdateVersion(UpdateVersionSpec updateVersion) {
    this.updateVersion = updateVersion;
  }

  /** The per-step timeout as a Go duration string such as {@code 5m} or {@code 1h30m}; no default. */
  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  /** {@code IfReady} (the default when unset) or {@code Always}. */
  public String getApply() {
    return apply;
  }

  public void setApply(String apply) {
    this.apply = apply;
  }

  public Integer getMaxRetries() {
    return maxRetries;
  }

  public void setMaxRetries(Integer maxRetries) {
    this.maxRetries = maxRetries;
  }

  /** {@code spec.updateVersion}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class UpdateVersionSpec extends ExtensibleObject {

    private String targetVersion;

    public UpdateVersionSpec() {
    }

    public UpdateVersionSpec(String targetVersion) {
      this.targetVersion = targetVersion;
    }

    /** The name of the target {@code PerconaXtraDBVersion} catalog object. */
    public String getTargetVersion() {
      return targetVersion;
    }

    public void setTargetVersion(String targetVersion) {
      this.targetVersion = targetVersion;
    }
  }
}
