package io.pxops.kubedb;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** KubeDB's {@code PerconaXtraDB} database object ({@code kubedb.com/v1}, short name {@code px}). */
@Group(PerconaXtraDB.GROUP)
@Version(PerconaXtraDB.VERSION)
@Kind("PerconaXtraDB")
@Plural("perconaxtradbs")
@Singular("perconaxtradb")
@ShortNames("px")
@Categories({"datastore", "kubedb", "appscode", "all"})
public class PerconaXtraDB extends CustomResource<PerconaXtraDBSpec, PerconaXtraDBStatus> implements Namespaced {

  public static final String GROUP = "kubedb.com";
  public static final String VERSION = "v1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
}
