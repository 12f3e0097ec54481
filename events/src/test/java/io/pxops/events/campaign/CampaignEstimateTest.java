package io.pxops.events.campaign;

import static io.pxops.events.campaign.CampaignFixtures.db;
import static io.pxops.events.campaign.CampaignFixtures.fleet;
import static io.pxops.events.campaign.CampaignFixtures.plan;
import static io.pxops.events.campaign.CampaignFixtures.stage;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.campaign.CampaignEstimate.StageEstimate;
import io.pxops.events.campaign.MeasuredDurations.Measured;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Estimates run the real state machine on simulated time; measured durations feed them. */
class CampaignEstimateTest {

  private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");

  @Test
  void givenACanaryAWaitAndTheRestInPairs_whenEstimated_thenStagesFollowTheLimitAndTheGate() {
    CampaignPlan plan =
        plan(
            fleet(5),
            List.of(
                stage("canary", new StageSize.Count(1), 1, new Gate.None()),
                stage("rest", new StageSize.Rest(), 2, new Gate.Wait(Duration.ofMinutes(30)))),
            new FailureBudget.Count(0));

    CampaignEstimate estimate = CampaignEstimate.simulate(plan, db -> Duration.ofMinutes(10), START);

    // canary 10 min, wait 30 min, then 4 databases two at a time: 20 min
    assertThat(estimate.stages())
        .containsExactly(
            new StageEstimate("canary", Duration.ZERO, Duration.ofMinutes(10)),
            new StageEstimate("rest", Duration.ofMinutes(40), Duration.ofMinutes(60)));
    assertThat(estimate.total()).isEqualTo(Duration.ofMinutes(60));
    assertThat(estimate.approvals()).isEmpty();
  }

  @Test
  void givenAnApprovalGate_whenEstimated_thenItIsListedAndItsWaitingIsNotCounted() {
    CampaignPlan plan =
        plan(
            fleet(2),
            List.of(
                stage("canary", new StageSize.Count(1), 1, new Gate.None()),
                stage("rest", new StageSize.Rest(), 1, new Gate.Approval())),
            new FailureBudget.Count(0));

    CampaignEstimate estimate = CampaignEstimate.simulate(plan, db -> Duration.ofMinutes(5), START);

    assertThat(estimate.total()).isEqualTo(Duration.ofMinutes(10));
    assertThat(estimate.approvals()).containsExactly("rest");
  }

  @Test
  void givenMeasuredUpdates_whenAskedForADuration_thenTheDatabasesOwnLastElseTheMedian() {
    MeasuredDurations measured =
        new MeasuredDurations(
            List.of(
                new Measured(db(0), START, START.plusSeconds(100)),
                new Measured(db(0), START.plusSeconds(1000), START.plusSeconds(1300)),
                new Measured(db(1), START, START.plusSeconds(200)),
                new Measured(db(2), START, START.plusSeconds(7200)),
                new Measured(db(3), START, null)));

    assertThat(measured.count()).isEqualTo(4);
    assertThat(measured.durationOf(db(0))).contains(Duration.ofSeconds(300));
    assertThat(measured.durationOf(db(9))).contains(Duration.ofSeconds(300)); // median of 100, 200, 300, 7200
    assertThat(new MeasuredDurations(List.of()).durationOf(db(0))).isEmpty();
  }
}
