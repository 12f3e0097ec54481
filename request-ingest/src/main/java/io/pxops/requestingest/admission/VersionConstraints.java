package io.pxops.requestingest.admission;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * KubeDB's {@code updateConstraints} semantics (Masterminds semver, as KubeDB's webhook evaluates them): a
 * constraint string is one or more groups separated by {@code ||} (any group may match); within a group, clauses
 * separated by commas or spaces must all match; a clause is an operator ({@code >=}, {@code <=}, {@code >},
 * {@code <}, {@code =}, {@code !=}, or none for equality) and a version, with optional spaces between, e.g.
 * {@code ">= 8.0.40, <= 8.4.3"}. Versions are compared as semver ({@code 8.4} is {@code 8.4.0}). Syntax this
 * catalog never uses ({@code ~}, {@code ^}, wildcards) is refused as invalid rather than guessed at.
 */
public final class VersionConstraints {

  private static final Pattern CLAUSE = Pattern.compile("(>=|<=|!=|>|<|=)?\\s*v?([0-9][0-9A-Za-z.+-]*)");
  private static final Pattern CLAUSE_SPLIT =
      Pattern.compile("\\s*,\\s*|(?<=[0-9A-Za-z])\\s+(?=[<>=!])");

  private VersionConstraints() {
  }

  /**
   * Whether {@code version} satisfies {@code constraint}.
   *
   * @throws IllegalArgumentException naming the part that is not a constraint or not a version
   */
  public static boolean satisfies(String constraint, String version) {
    if (constraint == null) {
      throw new IllegalArgumentException("empty constraint");
    }
    Semver v = parse(version, "version");
    for (String group : constraint.split("\\|\\|")) {
      if (allMatch(group.trim(), v)) {
        return true;
      }
    }
    return false;
  }

  /**
   * KubeDB's rule: the target is reachable from a version whose catalog entry has these lists when (the allowlist
   * is empty or any allow constraint matches) and no deny constraint matches.
   */
  public static boolean allowed(List<String> allowlist, List<String> denylist, String targetVersion) {
    boolean allowed = allowlist == null || allowlist.isEmpty()
        || allowlist.stream().anyMatch(c -> satisfies(c, targetVersion));
    boolean denied = denylist != null && denylist.stream().anyMatch(c -> satisfies(c, targetVersion));
    return allowed && !denied;
  }

  private static boolean allMatch(String group, Semver v) {
    if (group.isEmpty()) {
      throw new IllegalArgumentException("empty constraint");
    }
    for (String clause : CLAUSE_SPLIT.split(group)) {
      Matcher m = CLAUSE.matcher(clause.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException("\"" + clause.trim() + "\" is not a version constraint");
      }
      Semver bound = parse(m.group(2), "constraint version");
      String op = Optional.ofNullable(m.group(1)).orElse("=");
      int c = v.compareTo(bound);
      boolean ok = switch (op) {
        case ">=" -> c >= 0;
        case "<=" -> c <= 0;
        case ">" -> c > 0;
        case "<" -> c < 0;
        case "!=" -> c != 0;
        default -> c == 0;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static Semver parse(String text, String what) {
    Semver s;
    try {
      s = text == null ? null : Semver.isValid(text) ? Semver.parse(text) : Semver.coerce(text);
    } catch (RuntimeException e) {
      // semver4j's own failures (e.g. a number past Long in a version) are a bad version, not a crash
      s = null;
    }
    if (s == null) {
      throw new IllegalArgumentException("\"" + text + "\" is not a semantic " + what);
    }
    return s;
  }
}
