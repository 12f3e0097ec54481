package io.pxops.events.campaign;

import java.util.List;

/**
 * Which databases a campaign updates, in which stage and order, and which it leaves out and why.
 * Made by {@link CampaignPlanner}; the state machine starts from it.
 *
 * @param campaign the campaign's name
 * @param stages the stages in order, each with its members in start order
 * @param refused selected databases admission would refuse, with the rule
 * @param leftOut selected, admissible databases beyond the last stage (its size is not {@code
 *     rest})
 * @param allowedFailures failures tolerated; one more exhausts the budget
 */
public record CampaignPlan(
    String campaign,
    List<PlannedStage> stages,
    List<Refusal> refused,
    List<String> leftOut,
    int allowedFailures) {

  /** Copies the lists. */
  public CampaignPlan {
    stages = List.copyOf(stages);
    refused = List.copyOf(refused);
    leftOut = List.copyOf(leftOut);
  }

  /**
   * A stage with its databases.
   *
   * @param name the stage's name
   * @param gate what must happen before it starts
   * @param maxConcurrent its concurrency limit
   * @param members its databases, in start order
   */
  public record PlannedStage(
      String name, Gate gate, int maxConcurrent, List<PlannedMember> members) {
    /** Copies the members. */
    public PlannedStage {
      members = List.copyOf(members);
    }
  }

  /**
   * One database's update.
   *
   * @param database {@code namespace/name}
   * @param fromVersion its current version
   * @param targetVersion the version it is updated to
   * @param window when its update may start: its own, its namespaces' and the campaign's windows,
   *     intersected
   */
  public record PlannedMember(
      String database, String fromVersion, String targetVersion, MaintenanceWindow window) {}

  /**
   * A selected database admission would refuse.
   *
   * @param database {@code namespace/name}
   * @param rule the rule it breaks
   * @param message why, in words
   */
  public record Refusal(String database, String rule, String message) {}

  /**
   * Every member, stage by stage.
   *
   * @return the members in start order
   */
  public List<PlannedMember> members() {
    return stages.stream().flatMap(s -> s.members().stream()).toList();
  }
}
