package io.pxops.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.NodeObservation;
import io.pxops.verifier.ClusterCheck.Membership;
import io.pxops.verifier.ClusterCheck.NodeReading;
import io.pxops.verifier.ClusterCheck.Reached;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The verdict's hold in Galera's terms: looks count only while the cluster view and every session stay the same. */
class ViewHoldTest {

  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  private static final int POLLS = 3;

  /** One healthy look of three nodes: each in view {@code confIds[i]}, read through session {@code sessions[i]}. */
  private static List<NodeReading> look(long[] confIds, long[] sessions) {
    List<NodeReading> readings = new ArrayList<>();
    for (int i = 0; i < confIds.length; i++) {
      NodeObservation n = new NodeObservation("px-" + i, "10.11.19-MariaDB", "Synced", "Primary", "ON", "ON", 3,
          "uuid", Map.of(), Map.of());
      readings.add(new Reached(n, new Membership(confIds[i], sessions[i])));
    }
    return readings;
  }

  private static List<NodeReading> look(long confId, long... sessions) {
    return look(new long[] {confId, confId, confId}, sessions.length == 0 ? new long[] {1, 2, 3} : sessions);
  }

  private static ViewHold fold(List<List<NodeReading>> looks) {
    ViewHold h = ViewHold.NONE;
    Instant t = T0;
    for (List<NodeReading> l : looks) {
      h = h.after(ViewHold.View.of(l), t);
      t = t.plusMillis(10);
    }
    return h;
  }

  @Test
  void threeLooksInOneViewPassAtOnceWithNoTimeBetweenThem() {
    ViewHold h = fold(List.of(look(5), look(5), look(5)));
    assertThat(h.passes(POLLS, Duration.ZERO, T0.plusMillis(20))).isTrue();
    assertThat(fold(List.of(look(5), look(5))).passes(POLLS, Duration.ZERO, T0.plusMillis(20))).isFalse();
  }

  @Test
  void aCrashLoopingJoinerThatLeftAndCameBackBetweenTwoLooksRestartsTheHold() {
    // every look is healthy (the joiner is Synced whenever it is looked at), but it left (view 6) and joined
    // again (view 7) between the second and third look: fixed-interval looks passed this; the view does not
    ViewHold h = fold(List.of(look(5), look(5), look(7)));
    assertThat(h.looks()).isEqualTo(1);
    assertThat(h.passes(POLLS, Duration.ZERO, T0.plusSeconds(1))).isFalse();
    assertThat(fold(List.of(look(5), look(5), look(7), look(7), look(7))).passes(POLLS, Duration.ZERO,
        T0.plusSeconds(1))).isTrue();
  }

  @Test
  void aNodeReadThroughANewConnectionRestartsTheHoldEvenInTheSameView() {
    // its process died and came back before the others' evs.suspect_timeout moved the view: only the session shows it
    ViewHold h = fold(List.of(look(5, 1, 2, 3), look(5, 1, 2, 3), look(5, 1, 9, 3)));
    assertThat(h.looks()).isEqualTo(1);
    assertThat(h.passes(POLLS, Duration.ZERO, T0.plusSeconds(1))).isFalse();
  }

  @Test
  void nodesInDifferentViewsInOneLookAreASplitThatDoesNotCount() {
    assertThat(ViewHold.split(look(new long[] {5, 6, 5}, new long[] {1, 2, 3}))).get().asString()
        .contains("wsrep_cluster_conf_id differs").contains("px-1=6");
    assertThat(ViewHold.split(look(5))).isEmpty();
  }

  @Test
  void holdForDemandsThatTheViewAlsoLasted() {
    ViewHold h = fold(List.of(look(5), look(5), look(5)));
    assertThat(h.passes(POLLS, Duration.ofSeconds(2), T0.plusMillis(20))).isFalse();
    assertThat(h.after(ViewHold.View.of(look(5)), T0.plusSeconds(2)).passes(POLLS, Duration.ofSeconds(2),
        T0.plusSeconds(2))).isTrue();
  }

  @Test
  void aSourceWithoutMembershipCountsEveryHealthyLook() {
    NodeObservation n = new NodeObservation("px-0", "v", "Synced", "Primary", "ON", "ON", 1, "u", Map.of(), Map.of());
    List<NodeReading> plain = List.of(new Reached(n));
    assertThat(ViewHold.View.of(plain)).isEmpty();
    ViewHold h = ViewHold.NONE.after(Optional.empty(), T0).after(Optional.empty(), T0.plusSeconds(1))
        .after(Optional.empty(), T0.plusSeconds(2));
    assertThat(h.looks()).isEqualTo(3);
    assertThat(h.passes(POLLS, Duration.ZERO, T0.plusSeconds(2))).isTrue();
  }

  /** Whatever the sequence of views and sessions, a verdict passes only when the last three looks shared one. */
  @Property(tries = 300)
  void passesExactlyWhenTheLastLooksShareOneViewAndSessions(
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 2) Integer> confIds,
      @ForAll @Size(min = 12, max = 12) List<@IntRange(min = 0, max = 1) Integer> reconnects) {
    List<List<NodeReading>> looks = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < confIds.size(); i++) {
      long session = reconnects.get(i);
      looks.add(look(confIds.get(i), 1, 2 + session, 3));
      keys.add(confIds.get(i) + "/" + session);
    }
    int n = keys.size();
    boolean lastThreeEqual = n >= POLLS && keys.get(n - 1).equals(keys.get(n - 2))
        && keys.get(n - 2).equals(keys.get(n - 3));
    assertThat(fold(looks).passes(POLLS, Duration.ZERO, T0.plusSeconds(10))).isEqualTo(lastThreeEqual);
  }
}
