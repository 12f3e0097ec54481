package io.pxops.verifier;

import io.pxops.events.NodeObservation;
import io.pxops.kubedb.PodHealth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Judges what was read on every node of one cluster — a pure function, table-tested. The rules are those of the
 * rolling update's checks (docs/architecture.md, "The rolling update"):
 * <ol>
 *   <li>Every node is reached and reports {@code wsrep_local_state_comment=Synced},
 *       {@code wsrep_cluster_status=Primary}, {@code wsrep_ready=ON}, {@code wsrep_connected=ON} and
 *       {@code wsrep_cluster_size} equal to the replicas; all report the same {@code wsrep_cluster_state_uuid}.
 *       A size above the replicas is not healthy either: a crash-looping joiner briefly inflates it.
 *   <li>A node in {@code Joining…}, {@code Joined} or {@code Donor/Desynced}, or a pod still starting, is
 *       progress: a state transfer can take hours on a big data set, and that must not time the step out.
 *   <li>A pod that is stuck (CrashLoopBackOff, ImagePullBackOff, unschedulable past a grace) will not join by
 *       waiting: the check is broken at once, naming the pod and the cause.
 *   <li>Anything else unhealthy (non-Primary, a node refusing connections while its pod says Ready, differing
 *       state UUIDs) is waiting without progress; the verifier gives up on it before the step's deadline.
 *   <li>The data check ({@link #compareData}) runs only when the status is healthy: row counts and checksums of the
 *       sampled tables must be equal on every node.
 * </ol>
 */
public final class ClusterCheck {

  /** What was read for one node. */
  public sealed interface NodeReading {
    String pod();
  }

  /**
   * What must not change while a verdict is held ({@link GaleraVerifier}).
   *
   * @param clusterConfId the node's {@code wsrep_cluster_conf_id}: the cluster view it is in, the same on every
   *     member, changed by every join and every leave
   * @param session the verifier's connection to the node: a new number when it had to connect again, which may mean
   *     the node's process restarted
   */
  public record Membership(long clusterConfId, long session) {
  }

  /**
   * The node answered.
   *
   * @param membership its view and session, or null when the source cannot tell (simulated nodes)
   */
  public record Reached(NodeObservation observation, Membership membership) implements NodeReading {

    /** A reading without a membership. */
    public Reached(NodeObservation observation) {
      this(observation, null);
    }

    @Override
    public String pod() {
      return observation.pod();
    }
  }

  /**
   * The node could not be read: its pod is absent, starting or stuck, or it refused the connection.
   *
   * @param pod the pod
   * @param podState what the pod's status says
   * @param detail why it was not read, naming the pod
   */
  public record Unreached(String pod, PodHealth.State podState, String detail) implements NodeReading {
  }

  /** The judgement. */
  public sealed interface Verdict {
  }

  /** Every rule holds. */
  public record Healthy() implements Verdict {
  }

  /**
   * Not healthy yet.
   *
   * @param detail what is awaited, with the values read
   * @param progress whether something may be moving (a joiner, a starting pod, a missing pod)
   * @param transferring whether a node reports a state transfer ({@code Joining}, {@code Joined}, {@code Donor}):
   *     movement the node itself vouches for, which a pod's status cannot show
   */
  public record Waiting(String detail, boolean progress, boolean transferring) implements Verdict {

    /** Waiting with no node transferring state. */
    public Waiting(String detail, boolean progress) {
      this(detail, progress, false);
    }
  }

  /**
   * Waiting will not help.
   *
   * @param reason a CamelCase reason
   * @param message a sentence naming the pod and the cause
   */
  public record Broken(String reason, String message) implements Verdict {
  }

  private ClusterCheck() {
  }

  /** Whether a node in this {@code wsrep_local_state_comment} is on its way to Synced. */
  public static boolean isTransferring(String localStateComment) {
    return localStateComment != null && (localStateComment.startsWith("Joining")
        || localStateComment.equals("Joined") || localStateComment.startsWith("Donor"));
  }

  /** Judges the wsrep status of every node against the expected number of replicas. */
  public static Verdict judgeStatus(int replicas, List<NodeReading> readings) {
    List<String> waiting = new ArrayList<>();
    boolean progress = false;
    boolean transferring = false;
    for (NodeReading r : readings) {
      if (r instanceof Unreached u) {
        if (u.podState() == PodHealth.State.STUCK) {
          return new Broken("PodStuck", u.detail());
        }
        progress |= u.podState() == PodHealth.State.STARTING;
        waiting.add(u.detail());
        continue;
      }
      NodeObservation n = ((Reached) r).observation();
      if (isTransferring(n.localStateComment())) {
        progress = true;
        transferring = true;
        waiting.add(n.pod() + ": wsrep_local_state_comment=" + n.localStateComment());
        continue;
      }
      List<String> wrong = new ArrayList<>();
      expect(wrong, "wsrep_local_state_comment", n.localStateComment(), "Synced");
      expect(wrong, "wsrep_cluster_status", n.clusterStatus(), "Primary");
      expect(wrong, "wsrep_ready", n.ready(), "ON");
      expect(wrong, "wsrep_connected", n.connected(), "ON");
      if (n.clusterSize() != replicas) {
        wrong.add("wsrep_cluster_size=" + n.clusterSize() + " (want " + replicas + ")");
      }
      if (!wrong.isEmpty()) {
        waiting.add(n.pod() + ": " + String.join(", ", wrong));
      }
    }
    if (readings.size() < replicas) {
      waiting.add(readings.size() + " of " + replicas + " pods exist");
      progress = true; // a missing pod is one the PetSet controller is about to create
    }
    if (waiting.isEmpty()) {
      Map<String, List<String>> byUuid = readings.stream().map(r -> ((Reached) r).observation())
          .collect(Collectors.groupingBy(n -> String.valueOf(n.clusterStateUuid()), TreeMap::new,
              Collectors.mapping(NodeObservation::pod, Collectors.toList())));
      if (byUuid.size() > 1) {
        return new Waiting("wsrep_cluster_state_uuid differs: " + byUuid, false);
      }
      return new Healthy();
    }
    // while one node transfers state, the others rightly report a smaller cluster: that is the same progress
    return new Waiting(String.join("; ", waiting), progress, transferring);
  }

  /**
   * Compares the data check across nodes: for each table or chunk of a table (named by its key range, see
   * {@link BoundedDataCheck}), the row count and checksum must be equal on every node.
   *
   * @return a sentence naming the first differing table and each node's values, or empty when all agree
   */
  public static Optional<String> compareData(List<NodeObservation> nodes) {
    if (nodes.isEmpty()) {
      return Optional.empty();
    }
    for (String table : nodes.get(0).rowCounts().keySet()) {
      Map<String, String> seen = new LinkedHashMap<>();
      for (NodeObservation n : nodes) {
        seen.put(n.pod(), n.rowCounts().get(table) + " rows, checksum " + n.tableChecksums().get(table));
      }
      if (seen.values().stream().distinct().count() > 1) {
        return Optional.of("table " + table + " differs: " + seen);
      }
    }
    for (NodeObservation n : nodes) {
      if (!n.rowCounts().keySet().equals(nodes.get(0).rowCounts().keySet())) {
        return Optional.of("the sampled tables differ: " + nodes.get(0).pod() + " has "
            + nodes.get(0).rowCounts().keySet() + ", " + n.pod() + " has " + n.rowCounts().keySet());
      }
    }
    return Optional.empty();
  }

  private static void expect(List<String> wrong, String variable, String value, String want) {
    if (!want.equals(value)) {
      wrong.add(variable + "=" + value);
    }
  }
}
