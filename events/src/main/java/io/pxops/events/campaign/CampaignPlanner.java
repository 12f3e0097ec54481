package io.pxops.events.campaign;

import io.pxops.events.campaign.CampaignPlan.PlannedMember;
import io.pxops.events.campaign.CampaignPlan.PlannedStage;
import io.pxops.events.campaign.CampaignPlan.Refusal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a validated spec and a fleet listing into a {@link CampaignPlan}. Pure: the caller reads
 * the fleet, the namespaces' labels and the catalog.
 *
 * <ol>
 *   <li><b>Selection.</b> The databases {@link FleetSelection#matches} takes, ordered by namespace
 *       then name, so the same fleet always gives the same plan (and the same canary).
 *   <li><b>Target.</b> An exact target must be one the catalog allows from the database's version
 *       (rule {@value #RULE_NOT_ALLOWED}; the same version is {@value #RULE_AT_TARGET}). The newest
 *       allowed target is the highest version the catalog allows that is above the current one
 *       ({@value #RULE_NO_NEWER} if there is none). Refused databases are in no stage.
 *   <li><b>Stages.</b> In order, each stage takes its {@link StageSize} of the admitted databases
 *       not yet taken; a percentage is of all admitted databases. Databases left after the last
 *       stage are listed as left out (never silently dropped).
 *   <li><b>Window.</b> A member's window is the intersection of its own, those of the namespace
 *       windows whose selector matches its namespace's labels, and the campaign's.
 *   <li><b>Budget.</b> Allowed failures are counted on all staged members.
 * </ol>
 */
public final class CampaignPlanner {

  /** The exact target is not allowed from the database's version. */
  public static final String RULE_NOT_ALLOWED = "TargetNotAllowed";

  /** The database already runs the exact target. */
  public static final String RULE_AT_TARGET = "AlreadyAtTarget";

  /** The catalog allows nothing newer than the database's version. */
  public static final String RULE_NO_NEWER = "NoNewerVersion";

  private CampaignPlanner() {}

  /**
   * Plans a campaign.
   *
   * @param spec a spec {@link CampaignSpecValidation} accepted
   * @param fleet every database the caller can see
   * @param namespaceLabels each namespace's labels (a namespace not in the map has none)
   * @param namespaceWindows the namespace windows
   * @param catalog what the catalog allows
   * @return the plan
   */
  public static CampaignPlan plan(
      CampaignSpec spec,
      List<FleetMember> fleet,
      Map<String, Map<String, String>> namespaceLabels,
      List<NamespaceWindow> namespaceWindows,
      UpdateCatalog catalog) {
    // no selection is every database the caller listed
    FleetSelection selection =
        spec.selection() == null ? new FleetSelection(null, null, null) : spec.selection();
    List<FleetMember> selected =
        fleet.stream()
            .filter(selection::matches)
            .sorted(Comparator.comparing(FleetMember::namespace).thenComparing(FleetMember::name))
            .toList();
    List<PlannedMember> admitted = new ArrayList<>();
    List<Refusal> refused = new ArrayList<>();
    for (FleetMember db : selected) {
      List<String> allowed = catalog.targetsAllowedFrom(db.currentVersion());
      Optional<String> target = target(spec.target(), db, allowed, refused);
      target.ifPresent(
          t ->
              admitted.add(
                  new PlannedMember(
                      db.ref(),
                      db.currentVersion(),
                      t,
                      window(spec, db, namespaceLabels, namespaceWindows))));
    }
    List<PlannedStage> stages = new ArrayList<>();
    int next = 0;
    for (StageSpec stage : spec.stages()) {
      int n = stage.size().take(admitted.size(), admitted.size() - next);
      stages.add(
          new PlannedStage(
              stage.name(), stage.gate(), stage.maxConcurrent(), admitted.subList(next, next + n)));
      next += n;
    }
    List<String> leftOut =
        admitted.subList(next, admitted.size()).stream().map(PlannedMember::database).toList();
    return new CampaignPlan(
        spec.name(), stages, refused, leftOut, spec.failureBudget().allowedFailures(next));
  }

  private static Optional<String> target(
      Target target, FleetMember db, List<String> allowed, List<Refusal> refused) {
    if (target instanceof Target.Exact exact) {
      if (Version.of(exact.version()).equals(Version.of(db.currentVersion()))) {
        refused.add(
            new Refusal(db.ref(), RULE_AT_TARGET, "already runs " + db.currentVersion()));
        return Optional.empty();
      }
      boolean ok =
          allowed.stream()
              .map(Version::parse)
              .flatMap(Optional::stream)
              .anyMatch(v -> v.equals(Version.of(exact.version())));
      if (!ok) {
        refused.add(
            new Refusal(
                db.ref(),
                RULE_NOT_ALLOWED,
                "the catalog does not allow "
                    + db.currentVersion()
                    + " -> "
                    + exact.version()
                    + " (allowed: "
                    + (allowed.isEmpty() ? "none" : String.join(", ", allowed))
                    + ")"));
        return Optional.empty();
      }
      return Optional.of(exact.version());
    }
    Version current = Version.of(db.currentVersion());
    Optional<String> newest =
        allowed.stream()
            .filter(v -> Version.parse(v).map(p -> p.compareTo(current) > 0).orElse(false))
            .max(Comparator.comparing(Version::of));
    if (newest.isEmpty()) {
      refused.add(
          new Refusal(
              db.ref(),
              RULE_NO_NEWER,
              "the catalog allows nothing newer than " + db.currentVersion()));
    }
    return newest;
  }

  private static MaintenanceWindow window(
      CampaignSpec spec,
      FleetMember db,
      Map<String, Map<String, String>> namespaceLabels,
      List<NamespaceWindow> namespaceWindows) {
    Map<String, String> labels = namespaceLabels.getOrDefault(db.namespace(), Map.of());
    List<MaintenanceWindow> windows = new ArrayList<>();
    windows.add(db.window());
    for (NamespaceWindow nw : namespaceWindows) {
      if (labels.entrySet().containsAll(nw.namespaceSelector().entrySet())) {
        windows.add(nw.window());
      }
    }
    windows.add(spec.window() == null ? MaintenanceWindow.ALWAYS : spec.window());
    return MaintenanceWindow.allOf(windows);
  }
}
