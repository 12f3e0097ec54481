package io.pxops.events.campaign;

import static io.pxops.events.campaign.CampaignFixtures.db;
import static io.pxops.events.campaign.CampaignFixtures.fleet;
import static io.pxops.events.campaign.CampaignFixtures.plan;
import static io.pxops.events.campaign.CampaignFixtures.stage;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.campaign.CampaignProgress.StageProgress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-stage view: done, running, failed, waiting, as a campaign moves and stops. */
class CampaignProgressTest {

  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  @Test
  void givenACampaignStoppedByItsBudgetInItsSecondStage_whenViewed_thenEachStageTellsItsPart() {
    CampaignState state =
        CampaignDecider.initial(
            plan(
                fleet(6),
                List.of(
                    stage("canary", new StageSize.Count(1), 1, new Gate.None()),
                    stage("early", new StageSize.Count(3), 2, new Gate.None()),
                    stage("rest", new StageSize.Rest(), 2, new Gate.Approval())),
                new FailureBudget.Count(0)));
    assertThat(CampaignProgress.of(state).phase()).isEqualTo("Pending");

    state = CampaignDecider.step(state, new CampaignInput.Start(), T0).state();
    state = CampaignDecider.step(state, new CampaignInput.UpdateFinished(db(0), true, "Successful"), T0).state();

    assertThat(CampaignProgress.of(state))
        .isEqualTo(
            new CampaignProgress(
                "c",
                "Running",
                List.of(
                    new StageProgress("canary", "Completed", 1, 0, 0, 0, 0, 0),
                    new StageProgress("early", "Running", 0, 2, 0, 1, 0, 0),
                    new StageProgress("rest", "Pending", 0, 0, 0, 2, 0, 0))));

    state = CampaignDecider.step(state, new CampaignInput.UpdateFinished(db(1), false, "StepTimedOut"), T0).state();
    assertThat(CampaignProgress.of(state).phase()).isEqualTo("Stopping");
    state = CampaignDecider.step(state, new CampaignInput.UpdateFinished(db(2), true, "Successful"), T0).state();

    assertThat(CampaignProgress.of(state))
        .isEqualTo(
            new CampaignProgress(
                "c",
                "BudgetExhausted",
                List.of(
                    new StageProgress("canary", "Completed", 1, 0, 0, 0, 0, 0),
                    new StageProgress("early", "Stopped", 1, 0, 1, 1, 0, 0),
                    new StageProgress("rest", "Pending", 0, 0, 0, 2, 0, 0))));
  }
}
