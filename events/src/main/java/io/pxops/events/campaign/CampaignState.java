package io.pxops.events.campaign;

import io.pxops.events.campaign.CampaignEvent.Outcome;
import io.pxops.events.campaign.CampaignPlan.PlannedStage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A campaign's state: the fold of its events ({@link CampaignDecider#evolve}) over {@link
 * #initial}. Immutable; every change is a new object.
 *
 * @param plan the plan it runs
 * @param members each member's phase, by {@code namespace/name}
 * @param started whether {@code CampaignStarted} happened
 * @param stage the index of the current stage ({@code plan.stages().size()} once all are done)
 * @param stagePhase where the current stage is
 * @param waitUntil when a waiting stage may start (null unless {@link StagePhase#WAITING})
 * @param paused whether paused
 * @param cancelled whether cancelled
 * @param budgetExhausted whether the failure budget ran out
 * @param outcome how it ended, or null while it runs
 */
public record CampaignState(
    CampaignPlan plan,
    Map<String, MemberPhase> members,
    boolean started,
    int stage,
    StagePhase stagePhase,
    Instant waitUntil,
    boolean paused,
    boolean cancelled,
    boolean budgetExhausted,
    Outcome outcome) {

  /** Where a member is. */
  public enum MemberPhase {
    /** Not started yet. */
    PENDING,
    /** Its turn came while its window was closed. */
    WAITING_FOR_WINDOW,
    /** Its update request is running. */
    RUNNING,
    /** Its update succeeded. */
    SUCCEEDED,
    /** Its update failed. */
    FAILED,
    /** It will not be updated (its window never opens again). */
    SKIPPED;

    /**
     * Whether the member is done with, for its stage's completion.
     *
     * @return true for SUCCEEDED, FAILED and SKIPPED
     */
    public boolean ended() {
      return this == SUCCEEDED || this == FAILED || this == SKIPPED;
    }
  }

  /** Where the current stage is. */
  public enum StagePhase {
    /** Just reached; its gate is not yet looked at. */
    ENTERING,
    /** Its wait gate runs. */
    WAITING,
    /** Its approval gate waits for someone. */
    AWAITING_APPROVAL,
    /** Approved; starts at the next decision step. */
    APPROVED,
    /** Starting and running its members. */
    RUNNING
  }

  /** Copies the members (keeping the plan's order). */
  public CampaignState {
    Objects.requireNonNull(plan, "plan");
    members = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members));
  }

  /**
   * A campaign not yet started.
   *
   * @param plan the plan it will run
   * @return its state before {@code Start}
   */
  public static CampaignState initial(CampaignPlan plan) {
    Map<String, MemberPhase> members = new LinkedHashMap<>();
    plan.members().forEach(m -> members.put(m.database(), MemberPhase.PENDING));
    return new CampaignState(
        plan, members, false, 0, StagePhase.ENTERING, null, false, false, false, null);
  }

  /**
   * Whether the campaign ended.
   *
   * @return true once {@code CampaignFinished} happened
   */
  public boolean finished() {
    return outcome != null;
  }

  /**
   * The current stage, if one is.
   *
   * @return the stage, or null before the first and after the last
   */
  public PlannedStage currentStage() {
    return started && stage < plan.stages().size() ? plan.stages().get(stage) : null;
  }

  /**
   * Members in a phase.
   *
   * @param phase the phase
   * @return how many members are in it
   */
  public int count(MemberPhase phase) {
    return (int) members.values().stream().filter(p -> p == phase).count();
  }

  /**
   * The campaign's phase, for views (status, CLI, HTTP).
   *
   * @return one word
   */
  public String phase() {
    if (outcome != null) {
      return switch (outcome) {
        case COMPLETED -> "Completed";
        case BUDGET_EXHAUSTED -> "BudgetExhausted";
        case CANCELLED -> "Cancelled";
      };
    }
    if (!started) {
      return "Pending";
    }
    if (cancelled || budgetExhausted) {
      return "Stopping";
    }
    if (paused) {
      return "Paused";
    }
    return switch (stagePhase) {
      case WAITING -> "WaitingForStage";
      case AWAITING_APPROVAL -> "AwaitingApproval";
      default -> "Running";
    };
  }

  CampaignState withMember(String database, MemberPhase phase) {
    Map<String, MemberPhase> next = new LinkedHashMap<>(members);
    next.put(database, phase);
    return new CampaignState(
        plan, next, started, stage, stagePhase, waitUntil, paused, cancelled, budgetExhausted,
        outcome);
  }

  CampaignState withStage(int stage, StagePhase stagePhase, Instant waitUntil) {
    return new CampaignState(
        plan, members, true, stage, stagePhase, waitUntil, paused, cancelled, budgetExhausted,
        outcome);
  }

  CampaignState withFlags(boolean paused, boolean cancelled, boolean budgetExhausted) {
    return new CampaignState(
        plan, members, started, stage, stagePhase, waitUntil, paused, cancelled, budgetExhausted,
        outcome);
  }

  CampaignState withOutcome(Outcome outcome) {
    return new CampaignState(
        plan, members, started, stage, stagePhase, waitUntil, paused, cancelled, budgetExhausted,
        outcome);
  }
}
