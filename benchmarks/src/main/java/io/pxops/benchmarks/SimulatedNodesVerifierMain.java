package io.pxops.benchmarks;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.events.NodeObservation;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.verifier.ClusterCheck.NodeReading;
import io.pxops.verifier.ClusterCheck.Reached;
import io.pxops.verifier.NodeStatusSource;
import io.pxops.verifier.VerifierMain;
import java.util.List;
import java.util.Map;

/**
 * The verifier for fleet benchmarks on the local world's simulated pods (no database processes): the production
 * service ({@link VerifierMain#run}) with a {@link NodeStatusSource} that reads no database — a Ready pod stands for
 * a Synced node in a cluster of the Ready pods; every rule of the verifier's {@code ClusterCheck} still applies.
 * This main lives with the benchmarks, outside the production artifacts; {@code LocalPipeline} starts it in place
 * of the verifier's own main when the fleet benchmark asks.
 */
public final class SimulatedNodesVerifierMain {

  private SimulatedNodesVerifierMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    VerifierMain.run(args, config -> new SimulatedNodes());
  }

  /** Node status from pod readiness alone. */
  static final class SimulatedNodes implements NodeStatusSource {

    @Override
    public Look open(KubernetesClient client, PerconaXtraDB database) {
      return new Look() {
        @Override
        public NodeReading read(String name, Pod pod, int readyPods) {
          return new Reached(new NodeObservation(name, "simulated", "Synced", "Primary", "ON", "ON", readyPods,
              "simulated", Map.of(), Map.of()));
        }

        @Override
        public List<NodeObservation> dataCheck(List<NodeReading> readings) {
          return readings.stream().map(r -> ((Reached) r).observation()).toList(); // no tables to compare
        }

        @Override
        public void close() {
          // nothing was opened
        }
      };
    }
  }
}
