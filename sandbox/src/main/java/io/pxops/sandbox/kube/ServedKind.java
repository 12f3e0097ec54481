package io.pxops.sandbox.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.kubedb.PerconaXtraDBVersion;
import io.pxops.kubedb.PetSet;
import java.util.List;

/**
 * A resource kind the local API serves and lists in its discovery documents.
 *
 * @param group API group; empty for the core group
 * @param version API version
 * @param kind kind
 * @param plural resource name in URLs
 * @param namespaced whether objects live in a namespace
 * @param statusSubresource whether {@code <plural>/status} is served (status writes then change only
 *     {@code .status}, and main-resource writes keep the old status)
 * @param shortNames kubectl short names
 */
public record ServedKind(String group, String version, String kind, String plural, boolean namespaced,
    boolean statusSubresource, List<String> shortNames) {

  public ServedKind {
    shortNames = List.copyOf(shortNames);
  }

  /** KubeDB's four kinds, as their CRDs declare them (the version catalog has no status subresource). */
  public static final List<ServedKind> KUBEDB = List.of(
      of(PerconaXtraDB.class, true),
      of(PerconaXtraDBOpsRequest.class, true),
      of(PerconaXtraDBVersion.class, false),
      of(PetSet.class, true));

  /** pxops's own kinds, as {@code deploy/crds/} declares them: the cluster-scoped Campaign. */
  public static final List<ServedKind> PXOPS = List.of(
      new ServedKind("pxops.io", "v1alpha1", "Campaign", "campaigns", false, true, List.of("pxcampaign")));

  /** The core {@code v1} kinds the local world uses; the CRUD store serves these without registration. */
  public static final List<ServedKind> CORE = List.of(
      core("Pod", "pods", true, true, "po"),
      core("Secret", "secrets", true, false),
      core("Service", "services", true, true, "svc"),
      core("Namespace", "namespaces", false, true, "ns"),
      core("ConfigMap", "configmaps", true, false, "cm"),
      core("Event", "events", true, false, "ev"));

  /**
   * Built-in kinds outside the core group that users apply in the local world: PodDisruptionBudgets (KubeDB creates
   * one per database; the eviction subresource obeys them). Listed in discovery so that kubectl finds them. Served
   * without a status subresource: the local eviction keeps a budget's status up to date by writing the whole object.
   */
  public static final List<ServedKind> BUILT_IN = List.of(
      new ServedKind("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, false, List.of("pdb")));

  /** A kind described by a fabric8 typed custom resource class and its annotations. */
  public static ServedKind of(Class<? extends CustomResource<?, ?>> type, boolean statusSubresource) {
    return new ServedKind(HasMetadata.getGroup(type), HasMetadata.getVersion(type), HasMetadata.getKind(type),
        HasMetadata.getPlural(type), Namespaced.class.isAssignableFrom(type), statusSubresource,
        List.of(CustomResource.getShortNames(type)));
  }

  private static ServedKind core(String kind, String plural, boolean namespaced, boolean status,
      String... shortNames) {
    return new ServedKind("", "v1", kind, plural, namespaced, status, List.of(shortNames));
  }

  /** {@code group/version}, or {@code v1} for the core group. */
  public String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** What the mock's CRUD dispatcher needs to serve the kind as a custom resource. */
  CustomResourceDefinitionContext definitionContext() {
    return new CustomResourceDefinitionContext.Builder()
        .withName(plural + "." + group)
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withScope(namespaced ? "Namespaced" : "Cluster")
        .withStatusSubresource(statusSubresource)
        .build();
  }
}
