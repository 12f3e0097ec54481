package io.pxops.kubedb;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * KubeDB's catalog entry {@code PerconaXtraDBVersion} ({@code catalog.kubedb.com/v1alpha1}, short name
 * {@code pxversion}): cluster-scoped, no status. Its {@code metadata.name} is what {@code PerconaXtraDB.spec.version}
 * and an ops request's {@code targetVersion} name.
 */
@Group(PerconaXtraDBVersion.GROUP)
@Version(PerconaXtraDBVersion.VERSION)
@Kind("PerconaXtraDBVersion")
@Plural("perconaxtradbversions")
@Singular("perconaxtradbversion")
@ShortNames("pxversion")
@Categories({"catalog", "kubedb", "appscode"})
public class PerconaXtraDBVersion extends CustomResource<PerconaXtraDBVersionSpec, Void> {

  public static final String GROUP = "catalog.kubedb.com";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
}
