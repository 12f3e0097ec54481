package io.pxops.sandbox.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.pxops.sandbox.kube.ApiRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The RBAC permissions a set of Roles, ClusterRoles, RoleBindings and ClusterRoleBindings gives, evaluated as
 * Kubernetes' RBAC authorizer does: a request is allowed when some binding names its user (a ServiceAccount
 * subject is the user {@code system:serviceaccount:<ns>:<name>}; the groups {@code system:serviceaccounts},
 * {@code system:serviceaccounts:<ns>} and {@code system:authenticated} are understood) and a rule of the bound role
 * allows it. A ClusterRoleBinding's rules apply everywhere; a RoleBinding's (to a Role of its namespace or to a
 * ClusterRole) only to requests in the binding's namespace — never to cluster-scoped or all-namespaces requests.
 * A binding to a role that does not exist grants nothing, as in Kubernetes.
 *
 * <p>{@link #withBuiltInDiscovery()} adds what every Kubernetes cluster grants every authenticated user through
 * its default ClusterRoles {@code system:discovery} and {@code system:public-info-viewer}: the discovery documents,
 * {@code /version} and the health paths.
 */
public final class RbacPolicy {

  /**
   * One rule granted to one user, and where it comes from.
   *
   * @param user the user it is granted to
   * @param namespace where it applies; empty: everywhere (a ClusterRoleBinding)
   * @param source e.g. {@code ClusterRole/pxops-verifier via ClusterRoleBinding/pxops-verifier}
   * @param rule the rule
   */
  public record Grant(String user, String namespace, String source, RbacRule rule) {

    /** Whether this grant allows {@code request}: the user, the namespace and the rule match. */
    public boolean allows(ApiRequest request) {
      return user.equals(request.user()) && appliesIn(request) && rule.allows(request);
    }

    private boolean appliesIn(ApiRequest request) {
      return namespace.isEmpty() || (!request.isNonResource() && namespace.equals(request.namespace()));
    }

    @Override
    public String toString() {
      return rule + " from " + source + (namespace.isEmpty() ? "" : " in namespace " + namespace);
    }
  }

  /** The default ClusterRoles every authenticated user is bound to: discovery, version and health. */
  static final RbacRule DISCOVERY = new RbacRule(List.of("get"), List.of(), List.of(), List.of(),
      List.of("/api", "/api/*", "/apis", "/apis/*", "/version", "/version/", "/healthz", "/livez", "/readyz",
          "/openapi", "/openapi/*"));
  static final String DISCOVERY_SOURCE = "ClusterRole/system:discovery (built into every cluster)";

  private final List<Grant> grants;
  private final List<RbacRule> everyAuthenticatedUser;

  private RbacPolicy(List<Grant> grants, List<RbacRule> everyAuthenticatedUser) {
    this.grants = List.copyOf(grants);
    this.everyAuthenticatedUser = List.copyOf(everyAuthenticatedUser);
  }

  /**
   * The policy of the RBAC objects among {@code objects} (others are ignored).
   *
   * @throws IllegalArgumentException for a binding whose role reference or subject is not one Kubernetes accepts
   */
  public static RbacPolicy of(List<? extends HasMetadata> objects) {
    Map<String, List<PolicyRule>> clusterRoles = new HashMap<>();
    Map<String, List<PolicyRule>> roles = new HashMap<>(); // by namespace/name
    for (HasMetadata o : objects) {
      if (o instanceof ClusterRole cr) {
        clusterRoles.put(cr.getMetadata().getName(), cr.getRules() == null ? List.of() : cr.getRules());
      } else if (o instanceof Role r) {
        roles.put(r.getMetadata().getNamespace() + "/" + r.getMetadata().getName(),
            r.getRules() == null ? List.of() : r.getRules());
      }
    }
    List<Grant> grants = new ArrayList<>();
    List<RbacRule> authenticated = new ArrayList<>();
    for (HasMetadata o : objects) {
      if (o instanceof ClusterRoleBinding b) {
        RoleRef ref = b.getRoleRef();
        requireKind(ref, "ClusterRoleBinding/" + b.getMetadata().getName(), List.of("ClusterRole"));
        List<PolicyRule> rules = clusterRoles.getOrDefault(ref.getName(), List.of());
        String source = "ClusterRole/" + ref.getName() + " via ClusterRoleBinding/" + b.getMetadata().getName();
        addGrants(grants, authenticated, b.getSubjects(), "", source, rules);
      } else if (o instanceof RoleBinding b) {
        String ns = b.getMetadata().getNamespace();
        if (ns == null || ns.isEmpty()) {
          throw new IllegalArgumentException("RoleBinding/" + b.getMetadata().getName() + " has no namespace");
        }
        RoleRef ref = b.getRoleRef();
        requireKind(ref, "RoleBinding/" + b.getMetadata().getName(), List.of("Role", "ClusterRole"));
        List<PolicyRule> rules = ref.getKind().equals("Role")
            ? roles.getOrDefault(ns + "/" + ref.getName(), List.of())
            : clusterRoles.getOrDefault(ref.getName(), List.of());
        String source = ref.getKind() + "/" + ref.getName() + " via RoleBinding/" + b.getMetadata().getName();
        addGrants(grants, null, b.getSubjects(), ns, source, rules);
      }
    }
    return new RbacPolicy(grants, authenticated);
  }

  private static void requireKind(RoleRef ref, String binding, List<String> kinds) {
    if (ref == null || ref.getName() == null || !kinds.contains(ref.getKind())
        || !"rbac.authorization.k8s.io".equals(ref.getApiGroup())) {
      throw new IllegalArgumentException(binding + ": roleRef must name a " + String.join(" or ", kinds)
          + " of apiGroup rbac.authorization.k8s.io, not " + ref);
    }
  }

  private static void addGrants(List<Grant> grants, List<RbacRule> authenticated, List<Subject> subjects,
      String namespace, String source, List<PolicyRule> rules) {
    for (Subject s : subjects == null ? List.<Subject>of() : subjects) {
      String user = switch (s.getKind()) {
        case "ServiceAccount" -> {
          String saNamespace = s.getNamespace();
          if (saNamespace == null || saNamespace.isEmpty()) {
            saNamespace = namespace;
          }
          if (saNamespace.isEmpty()) {
            throw new IllegalArgumentException(source + ": ServiceAccount subject " + s.getName()
                + " needs a namespace");
          }
          yield "system:serviceaccount:" + saNamespace + ":" + s.getName();
        }
        case "User" -> s.getName();
        case "Group" -> "group:" + s.getName();
        default -> throw new IllegalArgumentException(source + ": unknown subject kind " + s.getKind());
      };
      for (PolicyRule r : rules) {
        if (authenticated != null && user.equals("group:system:authenticated")) {
          authenticated.add(RbacRule.of(r));
        }
        grants.add(new Grant(user, namespace, source, RbacRule.of(r)));
      }
    }
  }

  /** This policy plus the discovery, version and health paths every cluster grants every authenticated user. */
  public RbacPolicy withBuiltInDiscovery() {
    List<RbacRule> all = new ArrayList<>(everyAuthenticatedUser);
    all.add(DISCOVERY);
    return new RbacPolicy(grants, all);
  }

  /** Every grant, in declaration order. */
  public List<Grant> grants() {
    return grants;
  }

  /** The grants that apply to {@code user}, directly or through its service-account groups. */
  public List<Grant> grantsOf(String user) {
    List<Grant> mine = new ArrayList<>();
    for (Grant g : grants) {
      if (g.user().equals(user) || groupsOf(user).contains(g.user())) {
        mine.add(new Grant(user, g.namespace(), g.source(), g.rule()));
      }
    }
    for (RbacRule r : everyAuthenticatedUser) {
      mine.add(new Grant(user, "", r == DISCOVERY ? DISCOVERY_SOURCE : "a binding to system:authenticated", r));
    }
    return mine;
  }

  private static List<String> groupsOf(String user) {
    List<String> groups = new ArrayList<>(List.of("group:system:authenticated"));
    if (user.startsWith("system:serviceaccount:")) {
      String[] parts = user.split(":");
      groups.add("group:system:serviceaccounts");
      if (parts.length == 4) {
        groups.add("group:system:serviceaccounts:" + parts[2]);
      }
    }
    return groups;
  }

  /** The first grant that allows {@code request}, if any. */
  public Optional<Grant> allowing(ApiRequest request) {
    return grantsOf(request.user()).stream().filter(g -> g.allows(request)).findFirst();
  }

  /** Whether some grant allows {@code request}. */
  public boolean allows(ApiRequest request) {
    return allowing(request).isPresent();
  }

  /**
   * The single permissions ({@link RbacRule#atoms()}: one verb on one resource of one group) granted to
   * {@code user} by this policy's own bindings that none of {@code requests} used — a rule that is needed only in
   * part (a verb or a resource nobody asks for) shows up here too. The built-in discovery rules are not counted.
   */
  public List<String> unusedPermissions(String user, java.util.Collection<ApiRequest> requests) {
    List<ApiRequest> mine = requests.stream().filter(r -> r.user().equals(user)).toList();
    List<String> unused = new ArrayList<>();
    for (Grant g : grantsOf(user)) {
      if (everyAuthenticatedUser.contains(g.rule())) {
        continue;
      }
      for (RbacRule atom : g.rule().atoms()) {
        Grant single = new Grant(user, g.namespace(), g.source(), atom);
        if (mine.stream().noneMatch(single::allows)) {
          unused.add(single.toString());
        }
      }
    }
    return unused;
  }
}
