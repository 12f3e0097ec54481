package io.pxops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.pxops.sandbox.kube.ApiRequest;
import io.pxops.sandbox.kube.ApiRequestLog;
import io.pxops.sandbox.rbac.RbacPolicy;
import io.pxops.sandbox.world.LocalPipeline;
import io.pxops.sandbox.world.LocalWorld;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * RBAC proven, not guessed: every Kubernetes API request each pxops service made during the system tests (each
 * service has its own token, so the local API records its requests under its service account; each world appends
 * its log to one file when it closes) is checked against that service account's rules in {@code deploy/}, as
 * Kubernetes' RBAC authorizer evaluates them — a request no rule allows would be refused (403) on a real cluster.
 * And every single permission (one verb on one resource) the rules grant must have been used: a permission nobody
 * uses is privilege for nothing, and must be exercised by a test or dropped.
 *
 * <p>Runs after every other integration test of this module (its own failsafe execution, in
 * {@code post-integration-test}). When only some of them ran ({@code -Dit.test=...}), the requests they made are
 * still checked, but "every permission used" needs them all and is not asserted.
 */
class RbacRequestLogIT {

  /** The users that are pxops services (each has a ServiceAccount in deploy/). */
  private static final List<String> SERVICES = List.of("ingest", "coordinator", "runners", "verifier", "projector");

  @Test
  void everyRequestOfEachServiceIsAllowedByItsRulesAndEveryPermissionIsUsed() throws Exception {
    Path file = Path.of(System.getProperty(LocalWorld.API_REQUEST_LOG_PROPERTY, "target/api-requests.tsv"));
    List<ApiRequest> requests = Files.exists(file) ? ApiRequestLog.read(file) : List.of();
    RbacPolicy policy = RbacPolicy.of(rbacObjects()).withBuiltInDiscovery();
    String summary = summary(requests, policy);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file.resolveSibling("rbac-summary.txt"), summary, StandardCharsets.UTF_8);
    System.out.println(summary);

    List<String> refused = requests.stream().filter(r -> !policy.allows(r)).map(ApiRequest::toString).sorted()
        .toList();
    assertThat(refused).as("requests the services made that deploy/'s RBAC rules do not allow (a real cluster "
        + "would answer 403)").isEmpty();

    String selection = System.getProperty("pxops.itSelection", "");
    if (!selectsEverySystemTest(selection)) {
      System.out.println("only some system tests ran (" + selection + "): every request was checked; that every "
          + "permission is used is checked when all of them run");
      return;
    }
    assertThat(requests).as("the system tests' API request log " + file + " (is it written?)").isNotEmpty();
    for (String service : SERVICES) {
      String account = LocalPipeline.serviceAccountOf(service);
      assertThat(policy.unusedPermissions(account, requests))
          .as("permissions of " + account + " that no system test used: exercise them or drop them").isEmpty();
    }
  }

  /**
   * Whether {@code -Dit.test} (passed on as {@code selection}; unset, Maven leaves the expression) selected every
   * integration test of this module: none given, or patterns that match each one's class name (a pattern with a
   * method, {@code Class#method}, selects part of a class).
   */
  static boolean selectsEverySystemTest(String selection) throws Exception {
    if (selection.isBlank() || selection.startsWith("${")) {
      return true;
    }
    List<String> patterns = List.of(selection.split(","));
    if (patterns.stream().anyMatch(p -> p.contains("#"))) {
      return false;
    }
    Path classes = Path.of(RbacRequestLogIT.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (var files = Files.walk(classes)) {
      List<String> systemTests = files.map(f -> classes.relativize(f).toString())
          .filter(f -> f.endsWith("IT.class") && !f.contains("$"))
          .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
          .filter(c -> !c.equals(RbacRequestLogIT.class.getName())).toList();
      return systemTests.stream().allMatch(c -> patterns.stream().anyMatch(p -> matches(p.trim(), c)));
    }
  }

  /** Failsafe's class patterns: {@code *} within a name, {@code **} across packages, {@code /} or {@code .}. */
  private static boolean matches(String pattern, String className) {
    String p = pattern.replaceAll("\\.(java|class)$", "").replace('/', '.');
    String regex = java.util.regex.Pattern.quote(p).replace("**", "\u0000").replace("*", "\\E[^.]*\\Q")
        .replace("\u0000", "\\E.*\\Q");
    String simple = className.substring(className.lastIndexOf('.') + 1);
    return className.matches(regex) || simple.matches(regex) || className.matches(".*\\." + regex);
  }

  /** deploy/'s RBAC objects, as kubectl renders them; without kubectl, deploy/base/rbac.yaml as written. */
  private static List<HasMetadata> rbacObjects() throws Exception {
    String yaml = DeployManifests.kubectlInstalled() ? DeployManifests.render()
        : Files.readString(DeployManifests.deployDir().resolve("base/rbac.yaml"));
    return DeployManifests.parse(yaml);
  }

  /** Per service account: each distinct (verb, resource) it used, and the rule that allowed it (for the docs). */
  private static String summary(List<ApiRequest> requests, RbacPolicy policy) {
    Map<String, TreeSet<String>> byUser = new TreeMap<>();
    for (ApiRequest r : requests) {
      String what = r.isNonResource() ? r.verb() + " " + r.nonResourcePath()
          : r.verb() + " " + (r.apiGroup().isEmpty() ? "" : r.apiGroup() + "/") + r.combinedResource()
              + (r.namespace().isEmpty() ? " (all namespaces / cluster)" : "");
      String verdict = policy.allowing(r).map(g -> "allowed by " + g.source()).orElse("REFUSED");
      byUser.computeIfAbsent(r.user(), u -> new TreeSet<>()).add(what + "  ->  " + verdict);
    }
    return "API requests of the pxops services during the system tests (" + requests.size() + " distinct)\n"
        + byUser.entrySet().stream().map(e -> e.getKey() + "\n  " + String.join("\n  ", e.getValue()))
            .collect(Collectors.joining("\n"));
  }
}
