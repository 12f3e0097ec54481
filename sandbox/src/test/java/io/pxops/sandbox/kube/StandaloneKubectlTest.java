package io.pxops.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.kubedb.PerconaXtraDBOpsRequestSpec;
import io.pxops.kubedb.PerconaXtraDBSpec;
import io.pxops.sandbox.controllers.LocalCatalog;
import io.pxops.sandbox.controllers.LocalControllers;
import io.pxops.sandbox.controllers.SimulatedPodRuntime;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API as the command line uses it: on a fixed port, with a kubeconfig written to disk, read by a fabric8
 * client built from that file and, when kubectl is installed, by {@code kubectl get px,pxcops,pxversion,petsets,pods}.
 */
class StandaloneKubectlTest {

  @Test
  void kubeconfigServesClientsAndKubectl(@TempDir Path dir) throws Exception {
    int port = freePort();
    long t0 = System.nanoTime();
    try (MockKubernetes api = MockKubernetes.start(port)) {
      System.out.printf("standalone API on a fixed port ready in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      assertThat(api.port()).isEqualTo(port);
      Path kubeconfig = api.writeKubeconfig(dir.resolve("kube/config"), "demo");

      io.fabric8.kubernetes.client.Config fromFile = io.fabric8.kubernetes.client.Config
          .fromKubeconfig(Files.readString(kubeconfig));
      assertThat(fromFile.getNamespace()).isEqualTo("demo");
      try (KubernetesClient client = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
          .withConfig(fromFile).build();
          LocalControllers controllers = LocalControllers.start(client,
              new SimulatedPodRuntime(Duration.ofMillis(20)))) {
        LocalCatalog.seed(client, List.of("10.11.13", "10.11.14"));
        client.resources(PerconaXtraDB.class).resource(database()).create();
        client.resources(PerconaXtraDBOpsRequest.class).resource(opsRequest()).create();
        await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(15))
            .until(() -> client.pods().list().getItems().size() == 3);

        Optional<Path> kubectl = onPath("kubectl");
        Assumptions.assumeTrue(kubectl.isPresent(),
            "kubectl is not installed (not on PATH): the kubectl half of this test is skipped; "
                + "the kubeconfig was still checked with a fabric8 client");
        String out = run(List.of(kubectl.get().toString(), "--kubeconfig", kubeconfig.toString(),
            "--cache-dir", dir.resolve("kube-cache").toString(), "get", "px,pxcops,pxversion,petsets,pods"), dir);

        assertThat(out).contains("perconaxtradb.kubedb.com/orders",
            "perconaxtradbopsrequest.ops.kubedb.com/orders-update",
            "perconaxtradbversion.catalog.kubedb.com/10.11.13", "perconaxtradbversion.catalog.kubedb.com/10.11.14",
            "petset.apps.k8s.appscode.com/orders", "pod/orders-0", "pod/orders-1", "pod/orders-2");
      }
    }
  }

  private static PerconaXtraDB database() {
    PerconaXtraDB db = new PerconaXtraDB();
    db.setMetadata(new ObjectMetaBuilder().withName("orders").build());
    PerconaXtraDBSpec spec = new PerconaXtraDBSpec();
    spec.setVersion("10.11.13");
    spec.setReplicas(3);
    db.setSpec(spec);
    return db;
  }

  private static PerconaXtraDBOpsRequest opsRequest() {
    PerconaXtraDBOpsRequest ops = new PerconaXtraDBOpsRequest();
    ops.setMetadata(new ObjectMetaBuilder().withName("orders-update").build());
    PerconaXtraDBOpsRequestSpec spec = new PerconaXtraDBOpsRequestSpec();
    spec.setType(PerconaXtraDBOpsRequestSpec.TYPE_UPDATE_VERSION);
    spec.setDatabaseRef(new LocalObjectReference("orders"));
    spec.setUpdateVersion(new PerconaXtraDBOpsRequestSpec.UpdateVersionSpec("10.11.14"));
    spec.setTimeout("5m");
    ops.setSpec(spec);
    return ops;
  }

  private static String run(List<String> command, Path dir) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(command);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("HOME", dir.toString());
    pb.environment().remove("KUBECONFIG");
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl did not finish within 60 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("kubectl exit code; output:%n%s", out).isZero();
    return out;
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String entry : path.split(File.pathSeparator)) {
      Path candidate = Path.of(entry, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
