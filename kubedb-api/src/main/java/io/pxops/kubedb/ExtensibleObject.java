package io.pxops.kubedb;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of every spec/status object in this package: fields this model does not name are kept, in order, and
 * written back unchanged, so a read-modify-write never drops what KubeDB (or a newer KubeDB) wrote.
 */
public abstract class ExtensibleObject {

  private final Map<String, Object> additionalProperties = new LinkedHashMap<>();

  /** The JSON fields this model has no property for, as Jackson read them. */
  @JsonAnyGetter
  public Map<String, Object> getAdditionalProperties() {
    return additionalProperties;
  }

  @JsonAnySetter
  public void setAdditionalProperty(String name, Object value) {
    additionalProperties.put(name, value);
  }
}
