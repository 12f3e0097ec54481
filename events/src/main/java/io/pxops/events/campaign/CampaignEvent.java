package io.pxops.events.campaign;

import java.time.Instant;

/**
 * What a campaign's state machine decided, in the past tense. The campaign's state is the fold of
 * these ({@link CampaignDecider#evolve}), so they are what the log keeps and what views show.
 */
public sealed interface CampaignEvent {

  /**
   * The campaign began.
   *
   * @param databases how many databases it will update
   * @param allowedFailures failures tolerated
   */
  record CampaignStarted(int databases, int allowedFailures) implements CampaignEvent {}

  /**
   * A stage's wait gate runs until {@code until}.
   *
   * @param stage the stage's name
   * @param until when it may start
   */
  record StageWaiting(String stage, Instant until) implements CampaignEvent {}

  /**
   * A stage waits for someone's approval.
   *
   * @param stage the stage's name
   */
  record StageAwaitingApproval(String stage) implements CampaignEvent {}

  /**
   * A stage was approved.
   *
   * @param stage the stage's name
   * @param by who
   */
  record StageApproved(String stage, String by) implements CampaignEvent {}

  /**
   * A stage began starting its databases.
   *
   * @param stage the stage's name
   * @param databases how many it has
   */
  record StageStarted(String stage, int databases) implements CampaignEvent {}

  /**
   * A member update was asked for: an ordinary update request is to be submitted.
   *
   * @param stage the stage's name
   * @param database {@code namespace/name}
   * @param fromVersion its version
   * @param targetVersion the version it is updated to
   */
  record DatabaseUpdateRequested(
      String stage, String database, String fromVersion, String targetVersion)
      implements CampaignEvent {}

  /**
   * A member's turn came but its window is closed; it starts when the window opens.
   *
   * @param database {@code namespace/name}
   * @param opensAt when its window opens next
   */
  record DatabaseWaitingForWindow(String database, Instant opensAt) implements CampaignEvent {}

  /**
   * A member will not be updated by this campaign.
   *
   * @param database {@code namespace/name}
   * @param reason why
   */
  record DatabaseSkipped(String database, String reason) implements CampaignEvent {}

  /**
   * A member update ended.
   *
   * @param database {@code namespace/name}
   * @param succeeded whether it succeeded
   * @param reason the failure reason or the phase
   */
  record DatabaseUpdateFinished(String database, boolean succeeded, String reason)
      implements CampaignEvent {}

  /**
   * More members failed than the budget tolerates: no further update starts.
   *
   * @param failed how many failed
   * @param allowed how many were tolerated
   */
  record BudgetExhausted(int failed, int allowed) implements CampaignEvent {}

  /**
   * Every member of a stage ended.
   *
   * @param stage the stage's name
   * @param succeeded how many succeeded
   * @param failed how many failed
   * @param skipped how many were skipped
   */
  record StageCompleted(String stage, int succeeded, int failed, int skipped)
      implements CampaignEvent {}

  /**
   * Someone paused the campaign.
   *
   * @param by who
   */
  record CampaignPaused(String by) implements CampaignEvent {}

  /**
   * Someone resumed the campaign.
   *
   * @param by who
   */
  record CampaignResumed(String by) implements CampaignEvent {}

  /**
   * Someone cancelled the campaign; running updates finish.
   *
   * @param by who
   */
  record CampaignCancelled(String by) implements CampaignEvent {}

  /**
   * The campaign ended; nothing follows.
   *
   * @param outcome how
   * @param succeeded members that succeeded
   * @param failed members that failed
   * @param notStarted members never started (skipped, or left when the campaign stopped)
   */
  record CampaignFinished(Outcome outcome, int succeeded, int failed, int notStarted)
      implements CampaignEvent {}

  /** How a campaign ended. */
  enum Outcome {
    /** Every stage ran to its end (failures within the budget). */
    COMPLETED,
    /** More failed than the budget tolerates; the rest were not started. */
    BUDGET_EXHAUSTED,
    /** Cancelled; the rest were not started. */
    CANCELLED
  }
}
