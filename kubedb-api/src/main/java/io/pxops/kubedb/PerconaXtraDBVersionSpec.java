package io.pxops.kubedb;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code PerconaXtraDBVersion.spec}: the version, the database image, the deprecation flags and the update
 * constraints; the sidecar images ({@code coordinator}, {@code exporter}, {@code initContainer}) and the rest are
 * kept as read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"version", "db", "deprecated", "endOfLife", "updateConstraints"})
public class PerconaXtraDBVersionSpec extends ExtensibleObject {

  private String version;
  private ImageSpec db;
  private Boolean deprecated;
  private Boolean endOfLife;
  private UpdateConstraints updateConstraints;

  /** The upstream semantic version, matched against other entries' update constraints. */
  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public ImageSpec getDb() {
    return db;
  }

  public void setDb(ImageSpec db) {
    this.db = db;
  }

  public Boolean getDeprecated() {
    return deprecated;
  }

  public void setDeprecated(Boolean deprecated) {
    this.deprecated = deprecated;
  }

  /** Whether {@code spec.deprecated} is true. */
  @JsonIgnore
  public boolean isDeprecatedVersion() {
    return Boolean.TRUE.equals(deprecated);
  }

  public Boolean getEndOfLife() {
    return endOfLife;
  }

  public void setEndOfLife(Boolean endOfLife) {
    this.endOfLife = endOfLife;
  }

  public UpdateConstraints getUpdateConstraints() {
    return updateConstraints;
  }

  public void setUpdateConstraints(UpdateConstraints updateConstraints) {
    this.updateConstraints = updateConstraints;
  }

  /** An image reference ({@code spec.db}, and the shape of the sidecar entries). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ImageSpec extends ExtensibleObject {

    private String image;

    public ImageSpec() {
    }

    public ImageSpec(String image) {
      this.image = image;
    }

    public String getImage() {
      return image;
    }

    public void setImage(String image) {
      this.image = image;
    }
  }

  /**
   * {@code spec.updateConstraints}: semver constraint strings (Masterminds syntax, e.g. {@code ">= 8.0.40, <= 8.4.3"}).
   * They belong to the <em>source</em> version: an empty allowlist allows every target the denylist does not deny.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"allowlist", "denylist"})
  public static class UpdateConstraints extends ExtensibleObject {

    private List<String> allowlist;
    private List<String> denylist;

    public UpdateConstraints() {
    }

    public UpdateConstraints(List<String> allowlist, List<String> denylist) {
      setAllowlist(allowlist);
      setDenylist(denylist);
    }

    public List<String> getAllowlist() {
      return allowlist;
    }

    public void setAllowlist(List<String> allowlist) {
      this.allowlist = allowlist == null ? null : new ArrayList<>(allowlist);
    }

    public List<String> getDenylist() {
      return denylist;
    }

    public void setDenylist(List<String> denylist) {
      this.denylist = denylist == null ? null : new ArrayList<>(denylist);
    }
  }
}
