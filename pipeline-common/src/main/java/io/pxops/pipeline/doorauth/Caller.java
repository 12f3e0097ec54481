package io.pxops.pipeline.doorauth;

import java.util.List;
import java.util.Map;

/**
 * Who called a door, as the Kubernetes API's TokenReview named them: the identity a SubjectAccessReview is then
 * asked about, so that Kubernetes RBAC decides what this caller may do.
 *
 * @param user the user name ({@code system:serviceaccount:ns:name} for a service account)
 * @param uid the user's uid, or null
 * @param groups the user's groups
 * @param extra the authenticator's extra attributes (passed on to the access review, as RBAC may read them)
 */
public record Caller(String user, String uid, List<String> groups, Map<String, List<String>> extra) {

  /** The caller of a door whose checks are switched off ({@code PXOPS_DOOR_AUTH=none}). */
  public static final Caller UNCHECKED = new Caller("(door auth off)", null, List.of(), Map.of());

  public Caller {
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("a caller needs a user name");
    }
    groups = groups == null ? List.of() : List.copyOf(groups);
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }
}
