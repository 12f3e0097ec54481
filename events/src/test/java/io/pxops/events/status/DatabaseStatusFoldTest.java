package io.pxops.events.status;

import static io.pxops.events.status.LifecycleScript.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.AwaitPodRunning;
import io.pxops.events.Envelope;
import io.pxops.events.EvictPod;
import io.pxops.events.OpsPhase;
import io.pxops.events.PodRunning;
import io.pxops.events.VerifyCluster;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DatabaseStatusFoldTest {

  @Test
  void givenAnUpdateUnderWay_whenTheDatabaseIsPaused_thenTheStatusNamesTheActiveRequestAndThePause() {
    LifecycleScript script = new LifecycleScript("orders", 3).admit("upd-1")
        .runUntil(EvictPod.class, "orders-2");

    DatabaseStatus status = Folds.database(null, script.log());

    assertThat(status.database()).isEqualTo("shop/orders");
    assertThat(status.activeRequest()).isEqualTo(ref("upd-1"));
    assertThat(status.activeCommandId()).isEqualTo(script.awaited().eventId());
    assertThat(status.paused()).isTrue();
    assertThat(status.currentVersion()).isEqualTo("8.0.40");
    assertThat(status.lastSuccessfulVersion()).isNull();
    assertThat(status.lastOutcome()).isNull();
  }

  @Test
  void givenASuccessfulUpdate_whenItEnds_thenTheDatabaseIsFreeResumedAndRecordsTheVersion() {
    LifecycleScript script = new LifecycleScript("orders", 3).admit("upd-1").runToIdle();

    DatabaseStatus status = Folds.database(null, script.log());

    assertThat(status.activeRequest()).isNull();
    assertThat(status.activeCommandId()).isNull();
    assertThat(status.paused()).isFalse();
    assertThat(status.currentVersion()).isEqualTo("8.4.3");
    assertThat(status.lastSuccessfulVersion()).isEqualTo("8.4.3");
    assertThat(status.lastOutcome().opsRequest()).isEqualTo(ref("upd-1"));
    assertThat(status.lastOutcome().phase()).isEqualTo(OpsPhase.SUCCESSFUL);
    assertThat(status.updatedAt()).isEqualTo(script.log().get(script.log().size() - 1).occurredAt());
  }

  @Test
  void givenRequestsQueuedBehindTheActiveOne_whenANewerArrivesAndTheFirstFails_thenTheQueueFollows() {
    LifecycleScript script = new LifecycleScript("orders", 3).admit("upd-1")
        .runUntil(VerifyCluster.class, null).admit("upd-2");
    DatabaseStatus oneWaiting = Folds.database(null, script.log());
    script.admit("upd-3");
    DatabaseStatus superseded = Folds.database(null, script.log());
    script.failStep("NotSynced", "orders-1 is Donor/Desynced", false);
    DatabaseStatus next = Folds.database(null, script.log());

    assertThat(oneWaiting.pendingRequests()).containsExactly(ref("upd-2"));
    assertThat(superseded.pendingRequests()).containsExactly(ref("upd-3"));
    assertThat(next.lastOutcome().phase()).isEqualTo(OpsPhase.FAILED);
    assertThat(next.lastOutcome().reason()).isEqualTo("NotSynced");
    assertThat(next.activeRequest()).isEqualTo(ref("upd-3"));
    assertThat(next.pendingRequests()).isEmpty();
    assertThat(next.lastSuccessfulVersion()).isNull();
  }

  @Test
  void givenAFailureAfterThePause_whenTheRequestEnds_thenTheDatabaseWasResumedFirst() {
    LifecycleScript script = new LifecycleScript("orders", 3).admit("upd-1")
        .runUntil(AwaitPodRunning.class, "orders-2")
        .failStep("CrashLoopBackOff", "orders-2 crashes", false);
    DatabaseStatus resuming = Folds.database(null, script.log());
    script.runToIdle();

    DatabaseStatus status = Folds.database(null, script.log());

    assertThat(resuming.paused()).isTrue();
    assertThat(status.paused()).isFalse();
    assertThat(status.lastOutcome().phase()).isEqualTo(OpsPhase.FAILED);
    assertThat(status.currentVersion()).isEqualTo("8.0.40");
  }

  @Test
  void givenAResultNotCausedByTheAwaitedCommand_whenApplied_thenTheDatabaseStatusIsUnchanged() {
    LifecycleScript script = new LifecycleScript("orders", 3).admit("upd-1")
        .runUntil(AwaitPodRunning.class, "orders-1");
    DatabaseStatus before = Folds.database(null, script.log());
    Envelope stray = Envelope.of("11111111-0000-4000-8000-000000000009", ref("upd-1"),
        "shop/orders", Instant.parse("2026-07-02T09:00:00Z"),
        "22222222-0000-4000-8000-000000000002", new PodRunning("orders-1", "x"));
    Envelope otherDatabase = Envelope.of("11111111-0000-4000-8000-000000000010", ref("upd-9"),
        "shop/other", Instant.parse("2026-07-02T09:00:00Z"), null,
        new io.pxops.events.RequestStarted(1));

    assertThat(DatabaseStatusFold.apply(before, stray)).isSameAs(before);
    assertThat(DatabaseStatusFold.apply(before, otherDatabase)).isSameAs(before);
  }
}
