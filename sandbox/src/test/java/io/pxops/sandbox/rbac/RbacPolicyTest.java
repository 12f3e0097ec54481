package io.pxops.sandbox.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.pxops.sandbox.kube.ApiRequest;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

/**
 * The RBAC evaluator against Kubernetes' rules: a request built from a rule's own values is allowed, and changing
 * any one attribute to a value the rule does not name (verb, group, resource, subresource, name, namespace of a
 * RoleBinding, another user) is refused — so a rule too narrow for what a service does, or a policy check too
 * lenient to notice a missing permission, fails the RBAC proof.
 */
class RbacPolicyTest {

  private static final String SA = "system:serviceaccount:pxops:pxops-runner";
  private static final List<String> VERBS = List.of("get", "list", "watch", "create", "update", "patch", "delete",
      "deletecollection");
  private static final List<String> GROUPS = List.of("", "apps", "kubedb.com", "ops.kubedb.com", "policy");
  private static final List<String> RESOURCES = List.of("pods", "secrets", "perconaxtradbs", "petsets",
      "poddisruptionbudgets", "perconaxtradbopsrequests");
  private static final List<String> SUBRESOURCES = List.of("", "status", "eviction", "log");
  private static final List<String> NAMES = List.of("", "a", "b", "db-0");
  private static final List<String> NAMESPACES = List.of("", "demo", "shop", "pxops");

  /** A rule with no wildcard, some names or none. */
  @Provide
  Arbitrary<PolicyRule> rules() {
    Arbitrary<List<String>> verbs = Arbitraries.of(VERBS).list().ofMinSize(1).ofMaxSize(3).uniqueElements();
    Arbitrary<List<String>> groups = Arbitraries.of(GROUPS).list().ofMinSize(1).ofMaxSize(2).uniqueElements();
    Arbitrary<List<String>> resources = Combinators.combine(Arbitraries.of(RESOURCES), Arbitraries.of(SUBRESOURCES))
        .as((r, s) -> s.isEmpty() ? r : r + "/" + s).list().ofMinSize(1).ofMaxSize(3).uniqueElements();
    Arbitrary<List<String>> names = Arbitraries.of("a", "b", "db-0").list().ofMaxSize(2).uniqueElements();
    return Combinators.combine(verbs, groups, resources, names).as((v, g, r, n) -> new PolicyRuleBuilder()
        .withVerbs(v).withApiGroups(g).withResources(r).withResourceNames(n).build());
  }

  @Provide
  Arbitrary<ApiRequest> requests() {
    return Combinators.combine(Arbitraries.of(VERBS), Arbitraries.of(GROUPS), Arbitraries.of(RESOURCES),
        Arbitraries.of(SUBRESOURCES), Arbitraries.of(NAMESPACES), Arbitraries.of(NAMES))
        .as((v, g, r, s, ns, n) -> ApiRequest.resource(SA, v, g, r, s, ns, n));
  }

  @Property
  void aClusterRoleBindingAllowsExactlyWhatItsRuleNames(@ForAll("rules") PolicyRule rule,
      @ForAll("requests") ApiRequest request) {
    RbacPolicy policy = clusterWide(rule);
    boolean expected = rule.getVerbs().contains(request.verb()) && rule.getApiGroups().contains(request.apiGroup())
        && rule.getResources().contains(request.combinedResource())
        && (rule.getResourceNames().isEmpty() || rule.getResourceNames().contains(request.name()));
    assertThat(policy.allows(request)).as("%s against %s", request, rule).isEqualTo(expected);
  }

  @Property
  void everyValueTheRuleNamesIsAllowedAndAnyOtherUserIsNot(@ForAll("rules") PolicyRule rule,
      @ForAll("namespaces") String namespace) {
    RbacPolicy policy = clusterWide(rule);
    for (ApiRequest r : requestsNamedBy(rule, namespace)) {
      assertThat(policy.allows(r)).as("%s against %s", r, rule).isTrue();
      ApiRequest other = new ApiRequest("system:serviceaccount:pxops:someone-else", r.verb(), r.apiGroup(),
          r.resource(), r.subresource(), r.namespace(), r.name(), "");
      assertThat(policy.allows(other)).as("%s against %s", other, rule).isFalse();
    }
  }

  @Property
  void aRoleBindingAppliesOnlyInItsNamespace(@ForAll("rules") PolicyRule rule,
      @ForAll("namespaces") String namespace, @ForAll boolean toClusterRole) {
    List<HasMetadata> objects = new ArrayList<>();
    if (toClusterRole) {
      objects.add(new ClusterRoleBuilder().withNewMetadata().withName("r").endMetadata().withRules(rule).build());
    } else {
      objects.add(new RoleBuilder().withNewMetadata().withName("r").withNamespace("demo").endMetadata()
          .withRules(rule).build());
    }
    objects.add(new RoleBindingBuilder().withNewMetadata().withName("b").withNamespace("demo").endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", toClusterRole ? "ClusterRole" : "Role", "r")
        .addNewSubject().withKind("ServiceAccount").withName("pxops-runner").withNamespace("pxops").endSubject()
        .build());
    RbacPolicy policy = RbacPolicy.of(objects);
    for (ApiRequest r : requestsNamedBy(rule, namespace)) {
      assertThat(policy.allows(r)).as("%s against %s bound in demo", r, rule).isEqualTo(namespace.equals("demo"));
    }
  }

  @Provide
  Arbitrary<String> namespaces() {
    return Arbitraries.of(NAMESPACES);
  }

  @Example
  void wildcardsAndSubresourcesFollowKubernetes() {
    RbacPolicy policy = clusterWide(new PolicyRuleBuilder().withVerbs("*").withApiGroups("kubedb.com")
        .withResources("*/status").build(), new PolicyRuleBuilder().withVerbs("get").withApiGroups("*")
        .withResources("*").build(), new PolicyRuleBuilder().withVerbs("create").withApiGroups("")
        .withResources("pods/eviction").build());
    assertThat(policy.allows(req("patch", "kubedb.com", "perconaxtradbs", "status"))).isTrue();
    assertThat(policy.allows(req("patch", "kubedb.com", "perconaxtradbs", ""))).isFalse();
    assertThat(policy.allows(req("patch", "apps", "deployments", "status"))).isFalse();
    assertThat(policy.allows(req("get", "apps", "deployments", "scale"))).isTrue();
    assertThat(policy.allows(req("list", "apps", "deployments", ""))).isFalse();
    assertThat(policy.allows(req("create", "", "pods", "eviction"))).isTrue();
    assertThat(policy.allows(req("create", "", "pods", ""))).isFalse();
    assertThat(policy.allows(req("create", "policy", "pods", "eviction"))).isFalse();
  }

  @Example
  void discoveryIsBuiltInAndNothingElseIs() {
    RbacPolicy policy = clusterWide().withBuiltInDiscovery();
    assertThat(policy.allows(ApiRequest.of(SA, "GET", "/apis/kubedb.com/v1"))).isTrue();
    assertThat(policy.allows(ApiRequest.of(SA, "GET", "/version"))).isTrue();
    assertThat(policy.allows(ApiRequest.of(SA, "GET", "/metrics"))).isFalse();
    assertThat(policy.allows(ApiRequest.of(SA, "GET", "/api/v1/namespaces/x"))).isFalse();
    assertThat(clusterWide().allows(ApiRequest.of(SA, "GET", "/version"))).isFalse();
  }

  @Example
  void aPermissionNobodyUsedIsNamedEvenInsideARuleUsedInPart() {
    RbacPolicy policy = clusterWide(new PolicyRuleBuilder().withVerbs("get", "list").withApiGroups("")
        .withResources("pods", "secrets").build()).withBuiltInDiscovery();
    List<String> unused = policy.unusedPermissions(SA, List.of(req("get", "", "pods", ""),
        req("list", "", "pods", ""), req("get", "", "secrets", ""), ApiRequest.of(SA, "GET", "/version")));
    assertThat(unused).hasSize(1).first().asString().startsWith("[list] [\"\"] [secrets]");
  }

  @Example
  void aBindingToAnythingButARoleIsRefused() {
    assertThatThrownBy(() -> RbacPolicy.of(List.of(new ClusterRoleBindingBuilder().withNewMetadata()
        .withName("b").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "r").build())))
        .hasMessageContaining("ClusterRoleBinding/b: roleRef must name a ClusterRole");
  }

  private static ApiRequest req(String verb, String group, String resource, String sub) {
    return ApiRequest.resource(SA, verb, group, resource, sub, "demo", "x");
  }

  /** One request per verb, group and resource the rule names, with one of its names (or any name). */
  private static List<ApiRequest> requestsNamedBy(PolicyRule rule, String namespace) {
    List<ApiRequest> out = new ArrayList<>();
    String name = rule.getResourceNames().isEmpty() ? "anything" : rule.getResourceNames().get(0);
    for (String v : rule.getVerbs()) {
      for (String g : rule.getApiGroups()) {
        for (String r : rule.getResources()) {
          String[] parts = r.split("/", 2);
          out.add(ApiRequest.resource(SA, v, g, parts[0], parts.length == 2 ? parts[1] : "", namespace, name));
        }
      }
    }
    return out;
  }

  private static RbacPolicy clusterWide(PolicyRule... rules) {
    ClusterRole role = new ClusterRoleBuilder().withNewMetadata().withName("r").endMetadata().withRules(rules)
        .build();
    return RbacPolicy.of(List.of(role, new ClusterRoleBindingBuilder().withNewMetadata().withName("b")
        .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "r").addNewSubject()
        .withKind("ServiceAccount").withName("pxops-runner").withNamespace("pxops").endSubject().build()));
  }
}
