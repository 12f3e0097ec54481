package io.pxops.sandbox.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.sandbox.controllers.LocalCatalog;
import io.pxops.sandbox.controllers.LocalControllers;
import io.pxops.sandbox.controllers.SimulatedPodRuntime;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kube}: the local Kubernetes API on the command line. {@code kube up} serves it on a fixed port, writes a
 * kubeconfig for kubectl and other clients, and runs until SIGTERM or Ctrl-C.
 */
@Command(name = "kube", mixinStandardHelpOptions = true,
    description = "The local Kubernetes API (KubeDB's kinds, pods, secrets, services).",
    subcommands = KubeCommand.Up.class)
public final class KubeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }

  /** {@code kube up}. */
  @Command(name = "up", mixinStandardHelpOptions = true,
      description = {"Serve the local Kubernetes API until SIGTERM or Ctrl-C.",
          "Then: KUBECONFIG=<kubeconfig> kubectl get px,pxcops,pxversion,petsets,pods"})
  public static final class Up implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "18080", description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--kubeconfig", defaultValue = ".local/kubeconfig",
        description = "Where to write the kubeconfig (default: ${DEFAULT-VALUE}).")
    Path kubeconfig;

    @Option(names = "--namespace", defaultValue = "demo",
        description = "The kubeconfig's default namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--catalog", split = ",", paramLabel = "VERSION",
        description = "Seed one PerconaXtraDBVersion per local server build, e.g. 10.11.13,10.11.14.")
    List<String> catalog = new ArrayList<>();

    @Option(names = "--simulated-pods",
        description = "Also run the local controllers with SIMULATED pods (no database processes): "
            + "pods become Ready after --ready-delay.")
    boolean simulatedPods;

    @Option(names = "--ready-delay", defaultValue = "PT2S",
        description = "With --simulated-pods: time from start to Ready, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration readyDelay;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      long t0 = System.nanoTime();
      MockKubernetes api = MockKubernetes.start(port);
      KubernetesClient client = api.client(namespace);
      LocalControllers controllers = null;
      CountDownLatch stopped = new CountDownLatch(1);
      try {
        api.writeKubeconfig(kubeconfig, namespace);
        if (!catalog.isEmpty()) {
          LocalCatalog.seed(client, catalog);
        }
        if (simulatedPods) {
          controllers = LocalControllers.start(client, new SimulatedPodRuntime(readyDelay));
        }
      } catch (Exception | Error e) {
        client.close();
        api.close();
        throw e;
      }
      LocalControllers running = controllers;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          if (running != null) {
            running.close();
          }
          client.close();
          api.close();
        } finally {
          stopped.countDown();
        }
      }, "kube-up-shutdown"));
      out.printf("READY %s in %d ms; kubeconfig %s%s%n", api.url(), (System.nanoTime() - t0) / 1_000_000,
          kubeconfig.toAbsolutePath(), simulatedPods ? "; pods are SIMULATED" : "");
      out.printf("  KUBECONFIG=%s kubectl get px,pxcops,pxversion,petsets,pods%n", kubeconfig.toAbsolutePath());
      out.flush();
      stopped.await();
      return 0;
    }
  }
}
