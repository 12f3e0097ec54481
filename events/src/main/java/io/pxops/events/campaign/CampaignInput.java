package io.pxops.events.campaign;

/** What reaches a campaign's state machine from outside: its users, its member updates, time. */
public sealed interface CampaignInput {

  /** Begin: the campaign object was created and planned. */
  record Start() implements CampaignInput {}

  /** Time passed (a wait gate may open, a window may open); the time is {@code decide}'s argument. */
  record Tick() implements CampaignInput {}

  /**
   * A member update ended (the member's ordinary update request reached a terminal phase).
   *
   * @param database {@code namespace/name}
   * @param succeeded true for {@code Successful}
   * @param reason the failure reason, or the phase
   */
  record UpdateFinished(String database, boolean succeeded, String reason)
      implements CampaignInput {}

  /**
   * Someone approved a stage.
   *
   * @param stage the stage's name
   * @param by who
   */
  record Approve(String stage, String by) implements CampaignInput {}

  /**
   * Stop starting updates until resumed (running ones finish).
   *
   * @param by who
   */
  record Pause(String by) implements CampaignInput {}

  /**
   * Start updates again after a pause.
   *
   * @param by who
   */
  record Resume(String by) implements CampaignInput {}

  /**
   * Start no further update; the campaign ends {@code Cancelled} once the running ones finish.
   *
   * @param by who
   */
  record Cancel(String by) implements CampaignInput {}
}
