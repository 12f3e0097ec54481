package io.pxops.verifier;

import io.pxops.verifier.ClusterCheck.NodeReading;
import io.pxops.verifier.ClusterCheck.Reached;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How long a healthy verdict has been held, in Galera's terms (the rule and the failure it prevents are in
 * {@link GaleraVerifier}'s comment): the healthy looks taken in one unchanged {@link View}, and since when. A pure
 * value, table-tested.
 *
 * @param looks healthy looks in {@code view}, in a row
 * @param view the view they were taken in; null when the source cannot tell one (then the looks count one per
 *     attempt, {@code recheck} apart, as before views were read)
 * @param since when the first of them was taken
 */
record ViewHold(int looks, View view, Instant since) {

  /** Nothing held yet. */
  static final ViewHold NONE = new ViewHold(0, null, null);

  /**
   * The cluster's membership as one look saw it: the view every node reports ({@code wsrep_cluster_conf_id}) and the
   * session each node was read through. Two looks in the same view saw no join, no leave and no reconnect between
   * them, however far apart they were.
   */
  record View(long clusterConfId, Map<String, Long> sessions) {

    View {
      sessions = Map.copyOf(sessions);
    }

    /** The view of a look, empty when a reading has no membership (a source that cannot tell). */
    static Optional<View> of(List<NodeReading> readings) {
      Map<String, Long> sessions = new LinkedHashMap<>();
      Long confId = null;
      for (NodeReading r : readings) {
        if (!(r instanceof Reached reached) || reached.membership() == null) {
          return Optional.empty();
        }
        sessions.put(r.pod(), reached.membership().session());
        confId = reached.membership().clusterConfId();
      }
      return confId == null ? Optional.empty() : Optional.of(new View(confId, sessions));
    }
  }

  /**
   * Why the nodes of one look are not in one view, or empty. Members take a new view a moment apart, so during a
   * join or leave the conf ids differ: that look proves nothing and must not count.
   */
  static Optional<String> split(List<NodeReading> readings) {
    Map<String, Long> byPod = new LinkedHashMap<>();
    for (NodeReading r : readings) {
      if (r instanceof Reached reached && reached.membership() != null) {
        byPod.put(r.pod(), reached.membership().clusterConfId());
      }
    }
    return byPod.values().stream().distinct().count() > 1
        ? Optional.of("wsrep_cluster_conf_id differs: " + byPod) : Optional.empty();
  }

  /** The hold after one more healthy look, taken {@code now} in {@code seen}: counted on, or started again. */
  ViewHold after(Optional<View> seen, Instant now) {
    if (seen.isEmpty()) {
      return new ViewHold(looks + 1, null, looks == 0 ? now : since);
    }
    if (looks > 0 && seen.get().equals(view)) {
      return new ViewHold(looks + 1, view, since);
    }
    return new ViewHold(1, seen.get(), now); // the first look, or the view changed: a join, a leave, a reconnect
  }

  /** Whether the verdict may pass: {@code holdPolls} looks in one view, which has lasted at least {@code holdFor}. */
  boolean passes(int holdPolls, Duration holdFor, Instant now) {
    return looks >= holdPolls && !Duration.between(since, now).minus(holdFor).isNegative();
  }

  /** What the hold waits for, for the step's progress detail. */
  String describe(int holdPolls, Duration holdFor, Instant now) {
    return "healthy on " + looks + " of " + holdPolls + " consecutive looks"
        + (view == null ? "" : " in cluster view " + view.clusterConfId())
        + (holdFor.isZero() || since == null ? "" : ", held " + Duration.between(since, now).toMillis() + " of "
            + holdFor.toMillis() + " ms");
  }
}
