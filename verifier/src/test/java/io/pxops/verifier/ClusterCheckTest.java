package io.pxops.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.NodeObservation;
import io.pxops.kubedb.PodHealth;
import io.pxops.verifier.ClusterCheck.Broken;
import io.pxops.verifier.ClusterCheck.Healthy;
import io.pxops.verifier.ClusterCheck.NodeReading;
import io.pxops.verifier.ClusterCheck.Reached;
import io.pxops.verifier.ClusterCheck.Unreached;
import io.pxops.verifier.ClusterCheck.Verdict;
import io.pxops.verifier.ClusterCheck.Waiting;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterCheckTest {

  /** What the two survivors say while the third node is away. */
  private static final String SHORT = "db-0: wsrep_cluster_size=2 (want 3); db-1: wsrep_cluster_size=2 (want 3); ";
  private static final String UUID_A = "a1d6ee4c-0000-0000-0000-000000000001";

  static Stream<Arguments> status() {
    return Stream.of(
        row("three Synced nodes", List.of(synced("db-0"), synced("db-1"), synced("db-2")), healthy()),
        row("a joiner receiving state is progress",
            List.of(synced("db-0", 2), synced("db-1", 2), node("db-2", "Joining: receiving State Transfer", 3)),
            transferring(SHORT + "db-2: wsrep_local_state_comment=Joining: receiving State Transfer")),
        row("a donor is progress", List.of(node("db-0", "Donor/Desynced", 3), synced("db-1"), synced("db-2")),
            transferring("db-0: wsrep_local_state_comment=Donor/Desynced")),
        row("Joined is progress", List.of(synced("db-0"), synced("db-1"), node("db-2", "Joined", 3)),
            transferring("db-2: wsrep_local_state_comment=Joined")),
        row("a starting pod is progress",
            List.of(synced("db-0", 2), synced("db-1", 2), unreached("db-2", PodHealth.State.STARTING)),
            waiting(true, SHORT + "db-2: unreached")),
        row("a missing pod is progress", List.of(synced("db-0", 2), synced("db-1", 2)),
            waiting(true, SHORT + "2 of 3 pods exist")),
        row("a stuck pod is broken at once",
            List.of(synced("db-0", 2), synced("db-1", 2), unreached("db-2", PodHealth.State.STUCK)),
            new Broken("PodStuck", "db-2: unreached")),
        row("a Ready pod refusing connections waits without progress",
            List.of(synced("db-0", 2), synced("db-1", 2), unreached("db-2", PodHealth.State.READY)),
            waiting(false, SHORT + "db-2: unreached")),
        row("a crash-looping joiner inflates the size",
            List.of(synced("db-0", 4), synced("db-1"), synced("db-2")),
            waiting(false, "db-0: wsrep_cluster_size=4 (want 3)")),
        row("a short cluster without a joiner waits",
            List.of(synced("db-0", 2), synced("db-1"), synced("db-2")),
            waiting(false, "db-0: wsrep_cluster_size=2 (want 3)")),
        row("non-Primary", List.of(synced("db-0"), synced("db-1"),
            new Reached(new NodeObservation("db-2", "10.11", "Initialized", "non-Primary", "OFF", "ON", 1, UUID_A,
                Map.of(), Map.of()))),
            waiting(false, "db-2: wsrep_local_state_comment=Initialized, wsrep_cluster_status=non-Primary, "
                + "wsrep_ready=OFF, wsrep_cluster_size=1 (want 3)")),
        row("not connected", List.of(synced("db-0"), synced("db-1"),
            new Reached(new NodeObservation("db-2", "10.11", "Synced", "Primary", "ON", "OFF", 3, UUID_A,
                Map.of(), Map.of()))),
            waiting(false, "db-2: wsrep_connected=OFF")),
        row("state UUIDs differ", List.of(synced("db-0"), synced("db-1"),
            new Reached(new NodeObservation("db-2", "10.11", "Synced", "Primary", "ON", "ON", 3, "other",
                Map.of(), Map.of()))),
            waiting(false, "wsrep_cluster_state_uuid differs: {a1d6ee4c-0000-0000-0000-000000000001=[db-0, db-1], "
                + "other=[db-2]}")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("status")
  void judgesStatus(String name, List<NodeReading> readings, Verdict expected) {
    assertThat(ClusterCheck.judgeStatus(3, readings)).isEqualTo(expected);
  }

  @Test
  void equalDataAgrees() {
    assertThat(ClusterCheck.compareData(List.of(data("db-0", 10, "77"), data("db-1", 10, "77")))).isEmpty();
  }

  @Test
  void aDifferentCountOrChecksumIsNamedWithEachNodesValues() {
    assertThat(ClusterCheck.compareData(List.of(data("db-0", 10, "77"), data("db-1", 11, "78"))))
        .contains("table app.t differs: {db-0=10 rows, checksum 77, db-1=11 rows, checksum 78}");
    assertThat(ClusterCheck.compareData(List.of(data("db-0", 10, "77"), data("db-1", 10, "99"))))
        .hasValueSatisfying(s -> assertThat(s).contains("checksum 99"));
  }

  @Test
  void aTableMissingOnOneNodeDiffers() {
    NodeObservation none = new NodeObservation("db-1", "v", "Synced", "Primary", "ON", "ON", 3, UUID_A, Map.of(),
        Map.of());
    assertThat(ClusterCheck.compareData(List.of(data("db-0", 10, "77"), none)))
        .hasValueSatisfying(s -> assertThat(s).contains("app.t"));
  }

  @Test
  void transferStatesAreTheOnesOnTheirWayToSynced() {
    assertThat(ClusterCheck.isTransferring("Joining: receiving State Transfer")).isTrue();
    assertThat(ClusterCheck.isTransferring("Joined")).isTrue();
    assertThat(ClusterCheck.isTransferring("Donor/Desynced")).isTrue();
    assertThat(ClusterCheck.isTransferring("Synced")).isFalse();
    assertThat(ClusterCheck.isTransferring("Initialized")).isFalse();
    assertThat(ClusterCheck.isTransferring(null)).isFalse();
  }

  private static Arguments row(String name, List<NodeReading> readings, Verdict expected) {
    return Arguments.of(name, readings, expected);
  }

  private static Reached synced(String pod) {
    return synced(pod, 3);
  }

  private static Reached synced(String pod, int size) {
    return node(pod, "Synced", size);
  }

  private static Reached node(String pod, String state, int size) {
    return new Reached(new NodeObservation(pod, "10.11.14-MariaDB", state, "Primary", "ON", "ON", size, UUID_A,
        Map.of(), Map.of()));
  }

  private static Unreached unreached(String pod, PodHealth.State state) {
    return new Unreached(pod, state, pod + ": unreached");
  }

  private static NodeObservation data(String pod, long rows, String checksum) {
    return new NodeObservation(pod, "v", "Synced", "Primary", "ON", "ON", 3, UUID_A, Map.of("app.t", checksum),
        Map.of("app.t", rows));
  }

  private static Healthy healthy() {
    return new Healthy();
  }

  private static Waiting transferring(String detail) {
    return new Waiting(detail, true, true);
  }

  private static Waiting waiting(boolean progress, String detail) {
    return new Waiting(detail, progress);
  }
}
