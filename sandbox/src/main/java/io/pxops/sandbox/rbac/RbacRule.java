package io.pxops.sandbox.rbac;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.pxops.sandbox.kube.ApiRequest;
import java.util.List;

/**
 * One RBAC {@code PolicyRule}, evaluated as Kubernetes' RBAC authorizer does ({@code rbac/v1} {@code RuleAllows}):
 * a resource request is allowed when the verb, the API group, the resource (with its subresource) and, if the rule
 * lists any, the object's name all match; a non-resource request when the verb and the path match. {@code *} is
 * the wildcard for verbs, groups and resources; {@code * /sub} (no space) matches subresource {@code sub} of any
 * resource; a resource without a subresource never matches a request for one ({@code pods} does not allow
 * {@code pods/eviction}); a non-resource URL ending in {@code *} is a prefix.
 *
 * @param verbs the rule's verbs
 * @param apiGroups its API groups ({@code ""} is the core group)
 * @param resources its resources, {@code resource} or {@code resource/subresource}
 * @param resourceNames the names it is limited to; empty: any name
 * @param nonResourceURLs the non-resource paths it allows
 */
public record RbacRule(List<String> verbs, List<String> apiGroups, List<String> resources,
    List<String> resourceNames, List<String> nonResourceURLs) {

  public static final String ALL = "*";

  public RbacRule {
    verbs = List.copyOf(verbs);
    apiGroups = List.copyOf(apiGroups);
    resources = List.copyOf(resources);
    resourceNames = List.copyOf(resourceNames);
    nonResourceURLs = List.copyOf(nonResourceURLs);
  }

  /** A rule as a Role or ClusterRole declares it. */
  public static RbacRule of(PolicyRule rule) {
    return new RbacRule(orEmpty(rule.getVerbs()), orEmpty(rule.getApiGroups()), orEmpty(rule.getResources()),
        orEmpty(rule.getResourceNames()), orEmpty(rule.getNonResourceURLs()));
  }

  /** A resource rule without resource names. */
  public static RbacRule resources(List<String> verbs, List<String> apiGroups, List<String> resources) {
    return new RbacRule(verbs, apiGroups, resources, List.of(), List.of());
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : values;
  }

  /** Whether this rule allows {@code request} (its namespace is the binding's business, not the rule's). */
  public boolean allows(ApiRequest request) {
    if (!verbMatches(request.verb())) {
      return false;
    }
    if (request.isNonResource()) {
      return nonResourceUrlMatches(request.nonResourcePath());
    }
    return apiGroupMatches(request.apiGroup())
        && resourceMatches(request.combinedResource(), request.subresource())
        && resourceNameMatches(request.name());
  }

  boolean verbMatches(String verb) {
    return verbs.contains(ALL) || verbs.contains(verb);
  }

  boolean apiGroupMatches(String group) {
    return apiGroups.contains(ALL) || apiGroups.contains(group);
  }

  boolean resourceMatches(String combined, String subresource) {
    for (String r : resources) {
      if (r.equals(ALL) || r.equals(combined)) {
        return true;
      }
      if (!subresource.isEmpty() && r.equals("*/" + subresource)) {
        return true;
      }
    }
    return false;
  }

  boolean resourceNameMatches(String name) {
    return resourceNames.isEmpty() || resourceNames.contains(name);
  }

  boolean nonResourceUrlMatches(String path) {
    for (String url : nonResourceURLs) {
      if (url.equals(ALL) || url.equals(path)
          || (url.endsWith(ALL) && path.startsWith(url.substring(0, url.length() - 1)))) {
        return true;
      }
    }
    return false;
  }

  /** Whether any field of the rule uses a wildcard. */
  public boolean hasWildcard() {
    return verbs.contains(ALL) || apiGroups.contains(ALL) || resources.stream().anyMatch(r -> r.contains(ALL))
        || nonResourceURLs.stream().anyMatch(u -> u.contains(ALL));
  }

  /**
   * The rule's single permissions: one per verb, API group and resource (and non-resource URL), each with the
   * rule's names. A rule is used in full only if every one of these is used: a verb or a resource nobody needs is
   * a permission granted for nothing.
   */
  public List<RbacRule> atoms() {
    java.util.ArrayList<RbacRule> atoms = new java.util.ArrayList<>();
    for (String verb : verbs) {
      for (String group : apiGroups) {
        for (String resource : resources) {
          atoms.add(new RbacRule(List.of(verb), List.of(group), List.of(resource), resourceNames, List.of()));
        }
      }
      for (String url : nonResourceURLs) {
        atoms.add(new RbacRule(List.of(verb), List.of(), List.of(), List.of(), List.of(url)));
      }
    }
    return atoms;
  }

  @Override
  public String toString() {
    if (!nonResourceURLs.isEmpty()) {
      return verbs + " " + nonResourceURLs;
    }
    return verbs + " " + apiGroups.stream().map(g -> g.isEmpty() ? "\"\"" : g).toList() + " " + resources
        + (resourceNames.isEmpty() ? "" : " named " + resourceNames);
  }
}
