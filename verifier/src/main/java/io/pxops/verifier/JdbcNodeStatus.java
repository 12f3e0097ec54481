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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.sql.SQLException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The production {@link NodeStatusSource}: each node read over JDBC at its pod's address, with the credentials of the
 * database's auth Secret; one connection per node, kept across looks ({@link NodeConnections}), used by a look for
 * the node's status and then, once per verdict, the bounded data check ({@link BoundedDataCheck}). Each reading carries the node's {@code wsrep_cluster_conf_id} and the
 * session it was read through, which {@link GaleraVerifier} holds a verdict on.
 */
public final class JdbcNodeStatus implements NodeStatusSource {

  private final VerifierConfig config;
  private final NodeConnections kept;
  /** One per verifier: it keeps each database's rotation between verdicts. */
  private final BoundedDataCheck dataCheck;

  public JdbcNodeStatus(VerifierConfig config) {
    this(config, new NodeConnections(config.maxConnections(), config.connectionIdle(), Clock.systemUTC()));
  }

  /** With a connection cache of the caller's (tests). */
  JdbcNodeStatus(VerifierConfig config, NodeConnections kept) {
    this.config = config;
    this.kept = kept;
    this.dataCheck = BoundedDataCheck.of(config);
  }

  @Override
  public Look open(KubernetesClient client, PerconaXtraDB database) {
    Credentials credentials = credentials(client, database.getMetadata().getNamespace(),
        KubeDbNames.authSecretName(database));
    return new JdbcLook(database.getMetadata().getNamespace(), database.getMetadata().getName(), credentials, new NodeProbe(KubeDbNames.MYSQL_PORT,
        credentials.user(), credentials.password(), (int) config.connectTimeout().toMillis(),
        (int) config.queryTimeout().toMillis()));
  }

  @Override
  public void close() {
    kept.close();
  }

  private record Credentials(String user, String password) {
    @Override
    public String toString() {
      return "Credentials[user=" + user + "]"; // never the password in a log line
    }
  }

  private Credentials credentials(KubernetesClient client, String ns, String secretName) {
    Secret secret = client.secrets().inNamespace(ns).withName(secretName).get();
    if (secret == null || secret.getData() == null
        || !secret.getData().containsKey(KubeDbNames.SECRET_PASSWORD_KEY)) {
      throw new FatalStepException("AuthSecretNotFound", "Secret " + ns + "/" + secretName
          + " with a '" + KubeDbNames.SECRET_PASSWORD_KEY + "' key does not exist");
    }
    String user = secret.getData().containsKey(KubeDbNames.SECRET_USERNAME_KEY)
        ? decode(secret.getData().get(KubeDbNames.SECRET_USERNAME_KEY)) : KubeDbNames.ROOT_USER;
    return new Credentials(user, decode(secret.getData().get(KubeDbNames.SECRET_PASSWORD_KEY)));
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  /** One look: the kept connections it read through, by pod. */
  private final class JdbcLook implements Look {

    private final String namespace;
    /** {@code namespace/name}: whose rotation the data check advances. */
    private final String database;
    private final Credentials credentials;
    private final NodeProbe probe;
    /** Filled by the look's reads, which run at once on several threads. */
    private final Map<String, Connection> connections = new java.util.concurrent.ConcurrentHashMap<>();

    JdbcLook(String namespace, String name, Credentials credentials, NodeProbe probe) {
      this.namespace = namespace;
      this.database = namespace + "/" + name;
      this.credentials = credentials;
      this.probe = probe;
    }

    @Override
    public NodeReading read(String name, Pod pod, int readyPods) {
      String ip = pod.getStatus().getPodIP();
      if (ip == null || ip.isBlank()) {
        return new Unreached(name, PodHealth.State.STARTING, name + ": Ready but has no pod IP yet");
      }
      String key = namespace + "/" + name;
      String user = credentials.user();
      try {
        NodeConnections.Lease lease = kept.lease(key, pod.getMetadata().getUid(), ip, user, probe::connect);
        try {
          return reached(name, lease);
        } catch (SQLException | RuntimeException stale) {
          // a kept connection may have died since the last look (the node restarted, wait_timeout), or the driver
          // broke on it (an exception of its own, not an SQLException): one new try, whose new session number tells
          // the verdict's hold that the node may be another process now
          kept.discard(key, lease.connection());
          lease = kept.lease(key, pod.getMetadata().getUid(), ip, user, probe::connect);
          try {
            return reached(name, lease);
          } catch (SQLException | RuntimeException e) {
            kept.discard(key, lease.connection());
            throw e instanceof SQLException sql ? sql : new SQLException("the driver failed: " + e, e);
          }
        }
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

    private NodeReading reached(String name, NodeConnections.Lease lease) throws SQLException {
      Connection c = lease.connection();
      // the status is read with the connect timeout: a kept connection to a node cut off from the network would
      // otherwise wait the whole query timeout (30 s) where a new connection gave up after 2 s; the data check
      // then gets the query timeout back
      c.setNetworkTimeout(Runnable::run, (int) config.connectTimeout().toMillis());
      NodeProbe.StatusAndView read = NodeProbe.statusAndView(name, c);
      c.setNetworkTimeout(Runnable::run, (int) config.queryTimeout().toMillis());
      connections.put(name, c);
      return new Reached(read.observation(), new ClusterCheck.Membership(read.clusterConfId(), lease.session()));
    }

    @Override
    public void close() {
      // the connections stay open for the next look; one that failed in the data check is found dead and replaced
      // at the next read
    }
  }
}
