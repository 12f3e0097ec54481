package io.pxops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.sandbox.world.LocalWorld;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What a user does with kubectl in the system tests: apply KubeDB's YAML, read a request's phase. */
final class Kubectl {

  private static final boolean INSTALLED = Files.isExecutable(Path.of("/usr/bin/kubectl"));

  private Kubectl() {
  }

  /** An UpdateVersion request as KubeDB's documentation writes it. */
  static String updateVersionYaml(String namespace, String name, String database, String target, String timeout) {
    return "apiVersion: ops.kubedb.com/v1alpha1\nkind: PerconaXtraDBOpsRequest\nmetadata:\n  name: " + name
        + "\n  namespace: " + namespace + "\nspec:\n  type: UpdateVersion\n  databaseRef:\n    name: " + database
        + "\n  updateVersion:\n    targetVersion: \"" + target + "\"\n  timeout: " + timeout + "\n";
  }

  /** {@code kubectl apply}, or the same YAML through fabric8 where kubectl is not installed. */
  static void apply(LocalWorld world, String yaml) throws Exception {
    Path dir = Files.createTempDirectory("kubectl-");
    Path file = dir.resolve("request.yaml");
    Files.writeString(file, yaml);
    if (INSTALLED) {
      assertThat(run(world, dir, "apply", "-f", file.toString())).contains("created");
    } else {
      world.client().resources(PerconaXtraDBOpsRequest.class).load(file.toFile()).create();
    }
  }

  /** {@code kubectl get pxcops NAME -o jsonpath={.status.phase}}, or the object's phase without kubectl. */
  static String phase(LocalWorld world, String name) throws Exception {
    if (!INSTALLED) {
      return objectPhase(world, name);
    }
    return run(world, Files.createTempDirectory("kubectl-"), "get", "pxcops", name, "-o",
        "jsonpath={.status.phase}").trim();
  }

  /** The ops request object's {@code .status.phase} through fabric8, or null. */
  static String objectPhase(LocalWorld world, String name) {
    PerconaXtraDBOpsRequest o = world.client().resources(PerconaXtraDBOpsRequest.class)
        .inNamespace(world.namespace()).withName(name).get();
    return o == null || o.getStatus() == null ? null : o.getStatus().getPhase();
  }

  private static String run(LocalWorld world, Path dir, String... args) throws Exception {
    Path kubeconfig = world.kubernetes().writeKubeconfig(dir.resolve("kubeconfig"), world.namespace());
    List<String> command = new ArrayList<>(List.of("kubectl"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
