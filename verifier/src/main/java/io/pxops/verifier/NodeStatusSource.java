package io.pxops.verifier;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.events.NodeObservation;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.verifier.ClusterCheck.NodeReading;
import java.sql.SQLException;
import java.util.List;

/**
 * Where the verifier's readings of a database's nodes come from: {@link JdbcNodeStatus}, each node's Galera status
 * and data over JDBC, in production. {@link GaleraVerifier} decides which pods are read and judges what comes back
 * ({@link ClusterCheck}); a source only reads. The seam exists so that a benchmark on simulated pods (no database
 * processes) can plug in a source of its own from a main outside the production artifacts.
 */
public interface NodeStatusSource extends AutoCloseable {

  /**
   * Opens one look at {@code database}'s nodes (credentials, connections); the look is closed when it is over.
   *
   * @throws io.pxops.pipeline.steps.FatalStepException when the nodes cannot be read at all (no auth Secret)
   */
  Look open(KubernetesClient client, PerconaXtraDB database);

  /** Releases what the source keeps between looks (connections); the default keeps nothing. */
  @Override
  default void close() {
  }

  /** One look at the nodes of one database. */
  interface Look extends AutoCloseable {

    /**
     * Reads the node in a Ready pod. A look reads its nodes at once: this is called concurrently, once per pod.
     *
     * @param name the pod's name
     * @param pod the pod, Ready
     * @param readyPods how many of the database's pods are Ready
     * @return its status, or {@link ClusterCheck.Unreached} when it cannot be read now
     */
    NodeReading read(String name, Pod pod, int readyPods);

    /**
     * The data check of a cluster whose status is healthy: every node's observation with its sampled tables'
     * row counts and checksums, compared by {@link ClusterCheck#compareData}.
     *
     * @param readings every node's reading, all {@link ClusterCheck.Reached}
     */
    List<NodeObservation> dataCheck(List<NodeReading> readings) throws SQLException;

    @Override
    void close();
  }
}
