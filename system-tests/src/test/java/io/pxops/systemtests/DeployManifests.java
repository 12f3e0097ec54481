package io.pxops.systemtests;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The manifests in {@code deploy/}, rendered as {@code kubectl apply -k} renders them. */
final class DeployManifests {

  /** Where the real kubectl is installed (kustomize is {@code kubectl kustomize}). */
  static final Path KUBECTL = Path.of("/usr/bin/kubectl");

  private DeployManifests() {
  }

  /** The {@code deploy/} directory of this checkout (failsafe passes it; else relative to the module). */
  static Path deployDir() {
    return Path.of(System.getProperty("pxops.deployDir", "../deploy")).toAbsolutePath().normalize();
  }

  static boolean kubectlInstalled() {
    return Files.isExecutable(KUBECTL);
  }

  /** {@code kubectl kustomize deploy/base}: the YAML {@code kubectl apply -k deploy/base} applies. */
  static String render() throws IOException, InterruptedException {
    return kubectl(null, "kustomize", deployDir().resolve("base").toString());
  }

  /** The objects of a multi-document YAML text, as fabric8's typed model classes. */
  static List<HasMetadata> parse(String yaml) {
    KubernetesSerialization serialization = new KubernetesSerialization();
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (!doc.isBlank()) {
        objects.add(serialization.unmarshal(doc, HasMetadata.class));
      }
    }
    return objects;
  }

  /** Runs kubectl (60 s at most) and returns its output; a non-zero exit is an error carrying the output. */
  static String kubectl(Path kubeconfig, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(KUBECTL.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("KUBECONFIG");
    if (kubeconfig != null) {
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
    }
    Process p = pb.start();
    // read on this thread: kubectl's output is small, and it blocks if nobody reads it
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish in 60 s");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("kubectl " + String.join(" ", args) + " exited with " + p.exitValue()
          + ":\n" + out);
    }
    return out;
  }
}
