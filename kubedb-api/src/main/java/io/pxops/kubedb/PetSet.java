package io.pxops.kubedb;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * AppsCode's {@code PetSet} ({@code apps.k8s.appscode.com/v1}), the StatefulSet fork KubeDB runs databases with.
 * Its status is Kubernetes' {@code apps/v1 StatefulSetStatus}, as in the Go type. The real CRD declares no
 * short name; address it as {@code petsets} (or {@code petsets.apps.k8s.appscode.com}).
 */
@Group(PetSet.GROUP)
@Version(PetSet.VERSION)
@Kind("PetSet")
@Plural("petsets")
@Singular("petset")
public class PetSet extends CustomResource<PetSetSpec, StatefulSetStatus> implements Namespaced {

  public static final String GROUP = "apps.k8s.appscode.com";
  public static final String VERSION = "v1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** The pod label that carries the revision a pod was created from, as for StatefulSets. */
  public static final String REVISION_LABEL = "controller-revision-hash";
}
