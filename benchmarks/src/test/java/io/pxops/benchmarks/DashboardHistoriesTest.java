package io.pxops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.Envelope;
import io.pxops.events.OpsPhase;
import io.pxops.events.status.RequestStatus;
import io.pxops.events.status.StatusFold;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dashboard benchmark's synthetic histories are ones the real fold accepts and ends in the phases the benchmark's
 * filters count on (would catch histories the projector dead-letters, or a mix whose filtered pages are empty).
 */
class DashboardHistoriesTest {

  @Test
  void everyHistoryFoldsIntoAStatusOfItsRequestInTheIntendedPhase() {
    Map<OpsPhase, Integer> phases = new EnumMap<>(OpsPhase.class);
    for (int i = 0; i < 100; i++) {
      RequestStatus status = null;
      for (Envelope e : DashboardHistories.history(i)) {
        assertThat(e.opsRequest()).isEqualTo(DashboardHistories.opsRequest(i));
        assertThat(e.database()).isEqualTo(DashboardHistories.database(i));
        RequestStatus next = StatusFold.apply(status, e);
        assertThat(next).as("every event of request %d changes its status", i).isNotNull().isNotSameAs(status);
        status = next;
      }
      assertThat(status.database()).isEqualTo(DashboardHistories.database(i));
      phases.merge(status.phase(), 1, Integer::sum);
    }
    assertThat(phases).containsEntry(OpsPhase.FAILED, 10).containsEntry(OpsPhase.PROGRESSING, 20)
        .containsEntry(OpsPhase.PENDING, 10).containsEntry(OpsPhase.SUCCESSFUL, 60);
  }
}
