package io.pxops.events.campaign;

import java.util.List;

/**
 * What a user asks of a campaign. Check it with {@link CampaignSpecValidation} before use; the
 * record itself only copies the list.
 *
 * @param name the campaign's name (a DNS-1123 label)
 * @param selection which databases
 * @param target which version
 * @param stages in order; the first is usually a canary
 * @param failureBudget how many failures stop the campaign
 * @param window the campaign's own maintenance window, intersected with each database's
 */
public record CampaignSpec(
    String name,
    FleetSelection selection,
    Target target,
    List<StageSpec> stages,
    FailureBudget failureBudget,
    MaintenanceWindow window) {

  /** Copies the stage list (null stays null for validation to name). */
  public CampaignSpec {
    stages = stages == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(stages));
  }
}
