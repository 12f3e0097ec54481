package io.pxops.verifier;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.events.ClusterVerified;
import io.pxops.events.Command;
import io.pxops.events.Envelope;
import io.pxops.events.NodeObservation;
import io.pxops.events.PodVerified;
import io.pxops.events.VerifyCluster;
import io.pxops.events.VerifyPod;
import io.pxops.kubedb.KubeDbNames;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PodHealth;
import io.pxops.pipeline.steps.Attempt;
import io.pxops.pipeline.steps.CommandHandler;
import io.pxops.pipeline.steps.FatalStepException;
import io.pxops.verifier.ClusterCheck.Broken;
import io.pxops.verifier.ClusterCheck.Healthy;
import io.pxops.verifier.ClusterCheck.NodeReading;
import io.pxops.verifier.ClusterCheck.Reached;
import io.pxops.verifier.ClusterCheck.Unreached;
import io.pxops.verifier.ClusterCheck.Verdict;
import io.pxops.verifier.ClusterCheck.Waiting;
import io.pxops.verifier.NodeProbe.SampledTable;
import io.pxops.verifier.NodeProbe.TableSample;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers {@link VerifyCluster} and {@link VerifyPod}: reads every node of the database over JDBC (credentials from
 * its auth Secret, each node at its own pod address), judges the readings with {@link ClusterCheck}, and answers
 * only when the cluster was healthy on {@code holdPolls} consecutive looks — one healthy look proves little while a
 * crash-looping joiner comes and goes. The answer carries what was read on every node.
 *
 * <p>Waiting is progress-aware: a joining or donor node, or a pod still starting, is progress (the service reports
 * it, which moves the step's deadline); a stuck pod fails the step at once; anything else unhealthy fails it with the
 * values read once it has lasted {@code 80 %} of the step's timeout without progress, so the request's reason says
 * what was wrong instead of a bare timeout.
 */
public final class GaleraVerifier implements CommandHandler {

  /** The share of the step timeout that may pass without progress before the verifier gives up itself. */
  private static final double STALL_SHARE = 0.8;
  private static final Duration FORGET_AFTER = Duration.ofHours(1);

  /** What this instance remembers of one command between looks. */
  private record Hold(int healthyPolls, Instant lastProgress, Instant touched) {
  }

  private final KubernetesClient client;
  private final Clock clock;
  private final VerifierConfig config;
  private final Map<String, Hold> holds = new ConcurrentHashMap<>();

  public GaleraVerifier(KubernetesClient client, Clock clock, VerifierConfig config) {
    this.client = client;
    this.clock = clock;
    this.config = config;
  }

  @Override
  public boolean handles(Command command) {
    return command instanceof VerifyCluster || command instanceof VerifyPod;
  }

  @Override
  public Attempt attempt(Envelope envelope) {
    String ns = envelope.database().substring(0, envelope.database().indexOf('/'));
    String db = envelope.database().substring(envelope.database().indexOf('/') + 1);
    Command command = (Command) envelope.payload();
    int replicas = command instanceof VerifyPod p ? p.replicas() : ((VerifyCluster) command).replicas();
    Instant now = clock.instant();
    holds.values().removeIf(h -> h.touched().isBefore(now.minus(FORGET_AFTER)));
    Hold hold = holds.getOrDefault(envelope.eventId(), new Hold(0, now, now));

    List<NodeObservation> observed = new ArrayList<>();
    Verdict verdict = look(ns, db, replicas, observed);
    if (verdict instanceof Broken b) {
      holds.remove(envelope.eventId());
      throw new FatalStepException(b.reason(), b.message());
    }
    if (verdict instanceof Healthy) {
      int polls = hold.healthyPolls() + 1;
      if (polls >= config.holdPolls()) {
        holds.remove(envelope.eventId());
        return new Attempt.Done(command instanceof VerifyPod p ? new PodVerified(p.pod(), observed)
            : new ClusterVerified(observed));
      }
      holds.put(envelope.eventId(), new Hold(polls, now, now));
      return new Attempt.NotYet("healthy on " + polls + " of " + config.holdPolls() + " consecutive looks", false);
    }
    Waiting w = (Waiting) verdict;
    if (w.progress()) {
      holds.put(envelope.eventId(), new Hold(0, now, now));
      return new Attempt.NotYet(w.detail(), true);
    }
    Duration stalled = Duration.between(hold.lastProgress(), now);
    if (stalled.toMillis() > command.timeout().toMillis() * STALL_SHARE) {
      holds.remove(envelope.eventId());
      throw new FatalStepException(w.detail().startsWith("table ") || w.detail().startsWith("the sampled")
          ? "DataMismatch" : "ClusterUnhealthy", "no progress for " + stalled.toSeconds() + " s: " + w.detail());
    }
    holds.put(envelope.eventId(), new Hold(0, hold.lastProgress(), now));
    return new Attempt.NotYet(w.detail(), false);
  }

  /** Reads every node; fills {@code observed} (with the data check) when the verdict is healthy. */
  private Verdict look(String ns, String db, int replicas, List<NodeObservation> observed) {
    PerconaXtraDB database = client.resources(PerconaXtraDB.class).inNamespace(ns).withName(db).get();
    if (database == null) {
      throw new FatalStepException("DatabaseNotFound", "PerconaXtraDB " + ns + "/" + db + " does not exist");
    }
    NodeProbe probe = config.simulatedNodes() ? null : probe(ns, KubeDbNames.authSecretName(database));
    Map<String, Pod> pods = new LinkedHashMap<>();
    for (int i = 0; i < replicas; i++) {
      pods.put(KubeDbNames.podName(db, i), null);
    }
    for (Pod p : client.pods().inNamespace(ns).withLabels(KubeDbNames.selectorLabels(db)).list().getItems()) {
      pods.put(p.getMetadata().getName(), p);
    }
    Map<String, Connection> connections = new LinkedHashMap<>();
    try {
      List<NodeReading> readings = new ArrayList<>();
      Map<String, PodHealth.Verdict> health = new LinkedHashMap<>();
      pods.forEach((name, pod) -> health.put(name, pod == null ? null
          : PodHealth.of(pod, clock.instant(), config.stuckGrace())));
      int readyPods = (int) health.values().stream()
          .filter(h -> h != null && h.state() == PodHealth.State.READY).count();
      for (Map.Entry<String, Pod> e : pods.entrySet()) {
        readings.add(read(e.getKey(), e.getValue(), health.get(e.getKey()), probe, connections, readyPods));
      }
      Verdict status = ClusterCheck.judgeStatus(replicas, readings);
      if (!(status instanceof Healthy)) {
        return status;
      }
      if (config.simulatedNodes()) {
        readings.forEach(r -> observed.add(((Reached) r).observation()));
        return status;
      }
      try {
        observed.addAll(dataCheck(readings, connections));
      } catch (SQLException ex) {
        observed.clear();
        return new Waiting("the data check could not read: " + ex.getMessage(), false);
      }
      Optional<String> mismatch = ClusterCheck.compareData(observed);
      if (mismatch.isPresent()) {
        observed.clear();
        return new Waiting(mismatch.get(), false);
      }
      return status;
    } finally {
      connections.values().forEach(GaleraVerifier::closeQuietly);
    }
  }

  private NodeReading read(String name, Pod pod, PodHealth.Verdict health, NodeProbe probe,
      Map<String, Connection> connections, int readyPods) {
    if (pod == null) {
      return new Unreached(name, PodHealth.State.STARTING, name + ": the pod does not exist yet");
    }
    if (health.state() != PodHealth.State.READY) {
      return new Unreached(name, health.state(), health.state() == PodHealth.State.STUCK ? health.message()
          : name + ": " + health.message());
    }
    if (config.simulatedNodes()) {
      // fleet benchmarks on the local world's simulated pods: no database process exists, so a Ready pod stands
      // for a Synced node in a cluster of the Ready pods; every other rule of ClusterCheck still applies
      return new Reached(new NodeObservation(name, "simulated", "Synced", "Primary", "ON", "ON", readyPods,
          "simulated", Map.of(), Map.of()));
    }
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

  private List<NodeObservation> dataCheck(List<NodeReading> readings, Map<String, Connection> connections)
      throws SQLException {
    List<SampledTable> tables = NodeProbe.tables(connections.values().iterator().next(), config.maxTables());
    Map<String, Long> bounds = new LinkedHashMap<>();
    for (SampledTable t : tables) {
      Long bound = null;
      for (Connection c : connections.values()) {
        Long max = NodeProbe.maxKey(c, t);
        if (max != null && (bound == null || max < bound)) {
          bound = max; // an empty table on one node is no bound: its count of 0 then differs, as it should
        }
      }
      bounds.put(t.name(), bound);
    }
    List<NodeObservation> observed = new ArrayList<>();
    for (NodeReading r : readings) {
      NodeObservation n = ((Reached) r).observation();
      Connection c = connections.get(n.pod());
      Map<String, String> checksums = new LinkedHashMap<>();
      Map<String, Long> counts = new LinkedHashMap<>();
      for (SampledTable t : tables) {
        TableSample s = NodeProbe.sample(c, t, bounds.get(t.name()));
        checksums.put(t.name(), s.checksum());
        counts.put(t.name(), s.rows());
      }
      observed.add(new NodeObservation(n.pod(), n.serverVersion(), n.localStateComment(), n.clusterStatus(), n.ready(),
          n.connected(), n.clusterSize(), n.clusterStateUuid(), checksums, counts));
    }
    return observed;
  }

  private NodeProbe probe(String ns, String secretName) {
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

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // the look is over; a connection that will not close cleanly changes nothing
    }
  }
}
