package io.pxops.kubedb;

import com.fasterxml.jackson.annotation.JsonInclude;

/** KubeDB's {@code SecretReference} ({@code spec.authSecret}): a Secret in the database's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretReference extends ExtensibleObject {

  private String name;

  public SecretReference() {
  }

  public SecretReference(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
