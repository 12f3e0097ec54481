package io.pxops.verifier;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.events.NodeObservation;
import io.pxops.kubedb.KubeDbNames;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PodHealth;
import io.pxops.pipeline.steps.FatalStepException;
import io.pxops.verifier.ClusterCheck.NodeReading;
import io.pxops.verifier.ClusterCheck.Reached;
import io.pxops.verifier.ClusterCheck.Unreached;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The production {@link NodeStatusSource}: each node read over JDBC at its pod's address, with the credentials of the
 * database's auth Secret; one connection per node for the look (status, then the data check, {@link BoundedDataCheck}),
 * closed after it.
 */
public final class JdbcNodeStatus implements NodeStatusSource {

  private final VerifierConfig config;
  /** One per verifier: it keeps each database's rotation between looks. */
  private final BoundedDataCheck dataCheck;

  public JdbcNodeStatus(VerifierConfig config) {
    this.config = config;
    this.dataCheck = BoundedDataCheck.of(config);
  }

  @Override
  public Look open(KubernetesClient client, PerconaXtraDB database) {
    return new JdbcLook(probe(client, database.getMetadata().getNamespace(), KubeDbNames.authSecretName(database)),
        database.getMetadata().getNamespace() + "/" + database.getMetadata().getName());
  }

  private NodeProbe probe(KubernetesClient client, String ns, String secretName) {
    Secret secret = client.secrets().inNamespace(ns).withName(secretName).get();
    if (secret == null || secret.getData() == null
        || !secret.getData().containsKey(KubeDbNames.SECRET_PASSWORD_KEY)) {
      throw new FatalStepException("AuthSecretNotFound", "Secret " + ns + "/" + secretName
          + " with a '" + KubeDbNames.SECRET_PASSWORD_KEY + "' key does not exist");
    }
    String user = secret.getData().containsKey(KubeDbNames.SECRET_USERNAME_KEY)
        ? decode(secret.getData().get(KubeDbNames.SECRET_USERNAME_KEY)) : KubeDbNames.ROOT_USER;
    return new NodeProbe(KubeDbNames.MYSQL_PORT, user, decode(secret.getData().get(KubeDbNames.SECRET_PASSWORD_KEY)),
        (int) config.connectTimeout().toMillis(), (int) config.queryTimeout().toMillis());
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  /** One look: the connections it opened, by pod. */
  private final class JdbcLook implements Look {

    private final NodeProbe probe;
    private final String database;
    private final Map<String, Connection> connections = new LinkedHashMap<>();

    JdbcLook(NodeProbe probe, String database) {
      this.probe = probe;
      this.database = database;
    }

    @Override
    public NodeReading read(String name, Pod pod, int readyPods) {
      String ip = pod.getStatus().getPodIP();
      if (ip == null || ip.isBlank()) {
        return new Unreached(name, PodHealth.State.STARTING, name + ": Ready but has no pod IP yet");
      }
      try {
        Connection c = probe.connect(ip);
        connections.put(name, c);
        return new Reached(NodeProbe.status(name, c));
      } catch (SQLException e) {
        // a node refuses connections during SST and until late in IST: not ready, not a failure
        return new Unreached(name, PodHealth.State.READY, name + ": cannot read " + ip + ":" + KubeDbNames.MYSQL_PORT
            + ": " + e.getMessage());
      }
    }

    @Override
    public List<NodeObservation> dataCheck(List<NodeReading> readings) throws SQLException {
      List<NodeObservation> statuses = readings.stream().map(r -> ((Reached) r).observation()).toList();
      Map<String, Connection> byPod = new LinkedHashMap<>();
      for (NodeObservation n : statuses) {
        byPod.put(n.pod(), connections.get(n.pod()));
      }
      return dataCheck.check(database, byPod, statuses).nodes();
    }

    @Override
    public void close() {
      for (Connection c : connections.values()) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // the look is over; a connection that will not close cleanly changes nothing
        }
      }
    }
  }
}
