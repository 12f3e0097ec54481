package io.pxops.events.campaign;

import io.pxops.events.campaign.CampaignPlan.PlannedMember;
import io.pxops.events.campaign.CampaignPlan.PlannedStage;
import io.pxops.events.campaign.CampaignState.MemberPhase;
import io.pxops.events.campaign.CampaignState.StagePhase;
import java.util.ArrayList;
import java.util.List;

/**
 * A campaign's progress for views ({@code pxops campaign status|watch}, HTTP, the status topic, the
 * custom resource's status): the campaign's phase and, per stage, its phase and how many of its
 * databases are done, running, failed, waiting (not started, or waiting for their window) and
 * skipped. A pure function of the state.
 *
 * @param campaign the campaign's name
 * @param phase the campaign's phase ({@link CampaignState#phase()})
 * @param stages each stage, in order
 */
public record CampaignProgress(String campaign, String phase, List<StageProgress> stages) {

  /** Copies the stages. */
  public CampaignProgress {
    stages = List.copyOf(stages);
  }

  /**
   * One stage's progress.
   *
   * @param name the stage's name
   * @param phase {@code Pending}, {@code Waiting} (its wait gate), {@code AwaitingApproval},
   *     {@code Running}, {@code Completed}, or {@code Stopped} (the campaign ended in it, by its
   *     budget or a cancel); a stage never reached stays {@code Pending}
   * @param done databases updated
   * @param running databases updating
   * @param failed databases whose update failed
   * @param waiting databases not started (including those waiting for their window)
   * @param waitingForWindow of {@code waiting}, those whose turn came outside their window
   * @param skipped databases skipped (their window never opens again)
   */
  public record StageProgress(
      String name,
      String phase,
      int done,
      int running,
      int failed,
      int waiting,
      int waitingForWindow,
      int skipped) {}

  /**
   * The progress of a campaign.
   *
   * @param state its state
   * @return its progress
   */
  public static CampaignProgress of(CampaignState state) {
    List<StageProgress> stages = new ArrayList<>();
    List<PlannedStage> planned = state.plan().stages();
    for (int i = 0; i < planned.size(); i++) {
      PlannedStage stage = planned.get(i);
      int[] n = new int[MemberPhase.values().length];
      for (PlannedMember m : stage.members()) {
        n[state.members().get(m.database()).ordinal()]++;
      }
      stages.add(
          new StageProgress(
              stage.name(),
              stagePhase(state, i),
              n[MemberPhase.SUCCEEDED.ordinal()],
              n[MemberPhase.RUNNING.ordinal()],
              n[MemberPhase.FAILED.ordinal()],
              n[MemberPhase.PENDING.ordinal()] + n[MemberPhase.WAITING_FOR_WINDOW.ordinal()],
              n[MemberPhase.WAITING_FOR_WINDOW.ordinal()],
              n[MemberPhase.SKIPPED.ordinal()]));
    }
    return new CampaignProgress(state.plan().campaign(), state.phase(), stages);
  }

  private static String stagePhase(CampaignState state, int index) {
    if (!state.started() || index > state.stage()) {
      return "Pending";
    }
    if (index < state.stage()) {
      return "Completed";
    }
    if (state.finished()) {
      // the campaign stopped in this stage (budget or cancel) before it completed
      return "Stopped";
    }
    StagePhase phase = state.stagePhase();
    return switch (phase) {
      case ENTERING -> "Pending";
      case WAITING -> "Waiting";
      case AWAITING_APPROVAL -> "AwaitingApproval";
      case APPROVED, RUNNING -> "Running";
    };
  }
}
