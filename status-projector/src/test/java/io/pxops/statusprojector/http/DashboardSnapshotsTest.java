package io.pxops.statusprojector.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.OpsPhase;
import io.pxops.events.status.RequestStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The shared snapshot the dashboard's pages are cut from: read once for many pages, each change heard from the feed
 * folded in (never an older one over a newer), read again after its maximum age, never shared between callers when
 * other instances answered with one caller's namespaces, and a refusal is passed on, never kept.
 */
class DashboardSnapshotsTest {

  private final List<RequestStatus> store = new ArrayList<>();
  private final List<String> askedFor = new ArrayList<>();
  private final AtomicLong nanos = new AtomicLong();
  private boolean peers;
  private Answer refusal;
  private Runnable duringBuild = () -> { };

  private final DashboardSnapshots snapshots = new DashboardSnapshots(authorization -> {
    askedFor.add(authorization);
    duringBuild.run();
    return refusal != null ? new StatusQueries.Merged(refusal, List.of(), false)
        : new StatusQueries.Merged(null, List.copyOf(store), peers);
  }, nanos::get, Duration.ofSeconds(2));

  @Test
  void manyPagesShareOneReadAndAChangeIsFoldedInWithoutReadingTheStoresAgain() {
    store.add(status("a/r1", 1));
    assertThat(snapshots.get("Bearer x").sorted().newestFirst()).hasSize(1);
    store.add(status("a/r2", 2));
    for (int i = 0; i < 5; i++) {
      assertThat(snapshots.get(i % 2 == 0 ? "Bearer x" : "Bearer y").sorted().newestFirst())
          .as("one instance serves all: shared by every caller, no change heard").hasSize(1);
    }

    snapshots.changed(status("a/r2", 2));
    snapshots.changed(status("a/r1", 3));
    assertThat(snapshots.get("Bearer x").sorted().newestFirst()).extracting(RequestStatus::opsRequest)
        .as("both changes in, newest first").containsExactly("a/r1", "a/r2");
    assertThat(snapshots.builds()).as("the stores were read once").isEqualTo(1);
  }

  @Test
  void aChangeOlderThanWhatTheSnapshotHoldsDoesNotReplaceIt() {
    store.add(status("a/r1", 5));
    snapshots.get(null);
    snapshots.changed(status("a/r1", 4)); // the feed behind the store the snapshot was read from
    assertThat(snapshots.get(null).sorted().newestFirst()).singleElement()
        .extracting(RequestStatus::updatedAt).isEqualTo(Instant.ofEpochSecond(1_800_000_005L));
  }

  @Test
  void aSnapshotAsOldAsItsMaximumAgeIsReadAgain() {
    snapshots.get(null);
    nanos.addAndGet(Duration.ofMillis(1999).toNanos());
    snapshots.get(null);
    assertThat(snapshots.builds()).isEqualTo(1);
    nanos.addAndGet(Duration.ofMillis(1).toNanos());
    store.add(status("a/gone-from-the-feed", 1));
    assertThat(snapshots.get(null).sorted().newestFirst()).hasSize(1);
    assertThat(snapshots.builds()).isEqualTo(2);
  }

  @Test
  void aChangeHeardDuringARebuildIsFoldedIn() {
    duringBuild = () -> {
      duringBuild = () -> { };
      snapshots.changed(status("a/late", 9)); // committed after the scan read its partition
    };
    assertThat(snapshots.get(null).sorted().newestFirst()).extracting(RequestStatus::opsRequest)
        .containsExactly("a/late");
  }

  @Test
  void whenOtherInstancesAnsweredForOneCallerAnotherCallerGetsItsOwnBuild() {
    peers = true;
    snapshots.get("Bearer tenant-a");
    snapshots.get("Bearer tenant-a");
    snapshots.get("Bearer tenant-b");
    assertThat(askedFor).containsExactly("Bearer tenant-a", "Bearer tenant-b");
  }

  @Test
  void untilAPageIsAskedForNoChangeIsKept() {
    for (int i = 0; i < 50; i++) {
      snapshots.changed(status("a/r" + i, i));
    }
    assertThat(snapshots.noted()).as("no copy of the summaries while nobody looks").isZero();
    snapshots.get(null);
    snapshots.changed(status("a/r1", 1));
    assertThat(snapshots.noted()).isEqualTo(1);
  }

  @Test
  void aRefusalIsPassedOnAndNotKept() {
    refusal = Answer.unavailable("rebalancing");
    assertThat(snapshots.get(null).refusal().status()).isEqualTo(503);
    refusal = null;
    store.add(status("a/r1", 1));
    assertThat(snapshots.get(null).sorted().newestFirst()).hasSize(1);
  }

  private static RequestStatus status(String request, int secondsIn) {
    return new RequestStatus(request, "a/db", "10.11.1", "http", null, OpsPhase.PROGRESSING, 1, null, null, null,
        null, null, null, "10.6.1", 3, null, null, null, null, null, null, null, null, null, null,
        Instant.ofEpochSecond(1_800_000_000L + secondsIn), null, null);
  }
}
