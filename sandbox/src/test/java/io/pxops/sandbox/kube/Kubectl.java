package io.pxops.sandbox.kube;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code kubectl} against a local API, as a user runs it: a kubeconfig written for the API, a discovery and
 * OpenAPI cache of its own (so that no run sees another API's cached discovery on a reused port), every run bounded
 * by {@link #TIMEOUT_SECONDS} and killed past it.
 */
final class Kubectl {

  static final long TIMEOUT_SECONDS = 30;
  private static final Path BINARY = Path.of("/usr/bin/kubectl");

  /** What one run printed (stdout and stderr together, as a terminal shows them) and its exit code. */
  record Result(int exitCode, String output) {
  }

  private final Path dir;
  private final Path kubeconfig;

  private Kubectl(Path dir, Path kubeconfig) {
    this.dir = dir;
    this.kubeconfig = kubeconfig;
  }

  /** Whether kubectl is installed where the tests look for it. */
  static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** kubectl for {@code api}, with {@code namespace} as the kubeconfig's namespace, working in {@code dir}. */
  static Kubectl on(MockKubernetes api, String namespace, Path dir) throws IOException {
    return new Kubectl(dir, api.writeKubeconfig(dir.resolve("kubeconfig"), namespace));
  }

  /** {@code kubectl args...}. */
  Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", dir.resolve("kube-cache").toString()));
    command.addAll(List.of(args));
    Path output = Files.createTempFile(dir, "kubectl-", ".out");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile());
    pb.environment().put("HOME", dir.toString());
    pb.environment().remove("KUBECONFIG");
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish within " + TIMEOUT_SECONDS
          + " s; output so far:\n" + Files.readString(output, StandardCharsets.UTF_8));
    }
    return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  /** Writes {@code yaml} to a file in the working directory and returns its path. */
  Path file(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }
}
