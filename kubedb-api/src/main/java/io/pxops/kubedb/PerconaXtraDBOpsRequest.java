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

/**
 * KubeDB's {@code PerconaXtraDBOpsRequest} ({@code ops.kubedb.com/v1alpha1}, short name {@code pxcops}); it lives
 * in the namespace of the database it names.
 */
@Group(PerconaXtraDBOpsRequest.GROUP)
@Version(PerconaXtraDBOpsRequest.VERSION)
@Kind("PerconaXtraDBOpsRequest")
@Plural("perconaxtradbopsrequests")
@Singular("perconaxtradbopsrequest")
@ShortNames("pxcops")
@Categories({"ops", "kubedb", "appscode"})
public class PerconaXtraDBOpsRequest extends CustomResource<PerconaXtraDBOpsRequestSpec, OpsRequestStatus>
    implements Namespaced {

  public static final String GROUP = "ops.kubedb.com";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
}
