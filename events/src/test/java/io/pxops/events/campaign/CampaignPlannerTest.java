package io.pxops.events.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.campaign.CampaignPlan.PlannedMember;
import io.pxops.events.campaign.CampaignPlan.PlannedStage;
import io.pxops.events.campaign.CampaignPlan.Refusal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Selection, targets, admission refusals, stage assignment and windows of a plan. */
class CampaignPlannerTest {

  private static final UpdateCatalog CATALOG =
      v ->
          switch (v) {
            case "8.0.36" -> List.of("8.0.40", "8.4.3");
            case "8.0.40" -> List.of("8.4.3", "8.4.10");
            default -> List.of();
          };

  private static FleetMember db(String ns, String name, String version, Map<String, String> labels) {
    return new FleetMember(ns, name, labels, version, null);
  }

  private static CampaignSpec spec(FleetSelection selection, Target target, List<StageSpec> stages) {
    return new CampaignSpec("c", selection, target, stages, new FailureBudget.Percent(50), null);
  }

  @Test
  void givenAMixedFleet_whenPlanned_thenSelectionTargetsRefusalsAndStagesFollowTheRules() {
    List<FleetMember> fleet =
        List.of(
            db("shop", "b", "8.0.40", Map.of("tier", "gold")),
            db("shop", "a", "8.0.36", Map.of("tier", "gold")),
            db("shop", "c", "8.4.3", Map.of("tier", "gold")),
            db("shop", "d", "8.0.40", Map.of("tier", "bronze")),
            db("other", "e", "8.0.40", Map.of("tier", "gold")),
            db("billing", "f", "5.7.44", Map.of("tier", "gold")),
            db("billing", "g", "8.0.40", Map.of("tier", "gold")));
    CampaignSpec spec =
        spec(
            new FleetSelection(List.of("shop", "billing"), Map.of("tier", "gold"), new VersionRange("8.0.0", "9")),
            new Target.Exact("8.4.3"),
            List.of(
                new StageSpec("canary", new StageSize.Count(1), 1, new Gate.None()),
                new StageSpec("rest", new StageSize.Rest(), 5, new Gate.Approval())));

    CampaignPlan plan = CampaignPlanner.plan(spec, fleet, Map.of(), List.of(), CATALOG);

    // selected: gold, in shop or billing, 8.0.0 <= v < 9, ordered by namespace then name
    assertThat(plan.refused())
        .containsExactly(new Refusal("shop/c", CampaignPlanner.RULE_AT_TARGET, "already runs 8.4.3"));
    assertThat(plan.stages())
        .extracting(PlannedStage::name, s -> s.members().stream().map(PlannedMember::database).toList())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("canary", List.of("billing/g")),
            org.assertj.core.groups.Tuple.tuple("rest", List.of("shop/a", "shop/b")));
    assertThat(plan.leftOut()).isEmpty();
    assertThat(plan.allowedFailures()).isEqualTo(1);
  }

  @Test
  void givenNewestAllowed_whenPlanned_thenEachDatabaseGetsTheHighestVersionAllowedFromItsOwn() {
    List<FleetMember> fleet =
        List.of(db("ns", "a", "8.0.36", null), db("ns", "b", "8.0.40", null), db("ns", "c", "8.4.10", null));
    CampaignSpec spec =
        spec(null, new Target.NewestAllowed(), List.of(new StageSpec("all", new StageSize.Rest(), 5, new Gate.None())));

    CampaignPlan plan = CampaignPlanner.plan(spec, fleet, Map.of(), List.of(), CATALOG);

    assertThat(plan.members())
        .extracting(PlannedMember::database, PlannedMember::targetVersion)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ns/a", "8.4.3"),
            org.assertj.core.groups.Tuple.tuple("ns/b", "8.4.10"));
    assertThat(plan.refused()).extracting(Refusal::database, Refusal::rule)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("ns/c", CampaignPlanner.RULE_NO_NEWER));
  }

  @Test
  void givenATargetTheCatalogDoesNotAllow_whenPlanned_thenTheRefusalSaysWhatIsAllowed() {
    CampaignSpec spec =
        spec(null, new Target.Exact("8.4.10"), List.of(new StageSpec("all", new StageSize.Rest(), 5, new Gate.None())));

    CampaignPlan plan = CampaignPlanner.plan(spec, List.of(db("ns", "a", "8.0.36", null)), Map.of(), List.of(), CATALOG);

    assertThat(plan.refused())
        .containsExactly(
            new Refusal(
                "ns/a",
                CampaignPlanner.RULE_NOT_ALLOWED,
                "the catalog does not allow 8.0.36 -> 8.4.10 (allowed: 8.0.40, 8.4.3)"));
  }

  @Test
  void givenWindowsAtEveryLevel_whenPlanned_thenAMembersWindowIsTheirIntersection() {
    WindowSchedule dbWindow = weekly(DayOfWeek.MONDAY, "00:00", "12:00");
    WindowSchedule nsWindow = weekly(DayOfWeek.MONDAY, "06:00", "18:00");
    WindowSchedule campaignWindow = weekly(DayOfWeek.MONDAY, "08:00", "10:00");
    WindowSchedule otherNs = weekly(DayOfWeek.TUESDAY, "00:00", "00:00");
    CampaignSpec spec =
        new CampaignSpec(
            "c", null, new Target.Exact("8.4.3"),
            List.of(new StageSpec("all", new StageSize.Rest(), 5, new Gate.None())),
            new FailureBudget.Count(0), campaignWindow);

    CampaignPlan plan =
        CampaignPlanner.plan(
            spec,
            List.of(new FleetMember("shop", "a", Map.of(), "8.0.40", dbWindow)),
            Map.of("shop", Map.of("team", "web")),
            List.of(
                new NamespaceWindow(Map.of("team", "web"), nsWindow),
                new NamespaceWindow(Map.of("team", "data"), otherNs)),
            CATALOG);

    MaintenanceWindow w = plan.members().get(0).window();
    assertThat(w.nextOpening(Instant.parse("2026-03-02T00:00:00Z"))).contains(Instant.parse("2026-03-02T08:00:00Z"));
    assertThat(w.isOpenAt(Instant.parse("2026-03-02T09:59:00Z"))).isTrue();
    assertThat(w.isOpenAt(Instant.parse("2026-03-02T10:00:00Z"))).isFalse();
  }

  @Property(tries = 100)
  void givenAnyFleetAndStageSizes_whenPlanned_thenEachAdmittedDatabaseIsInExactlyOneStageOrLeftOut(
      @ForAll @IntRange(min = 0, max = 300) int fleetSize,
      @ForAll @IntRange(min = 1, max = 100) int percent,
      @ForAll @IntRange(min = 1, max = 20) int count,
      @ForAll boolean restLast) {
    List<StageSpec> stages =
        List.of(
            new StageSpec("a", new StageSize.Count(count), 1, new Gate.None()),
            new StageSpec("b", new StageSize.Percent(percent), 1, new Gate.None()),
            new StageSpec("c", restLast ? new StageSize.Rest() : new StageSize.Count(count), 1, new Gate.None()));

    CampaignPlan plan = CampaignFixtures.plan(CampaignFixtures.fleet(fleetSize), stages, new FailureBudget.Count(0));

    List<String> all = new java.util.ArrayList<>(plan.members().stream().map(PlannedMember::database).toList());
    all.addAll(plan.leftOut());
    assertThat(all).doesNotHaveDuplicates().hasSize(fleetSize);
    assertThat(plan.stages().get(0).members()).hasSize(Math.min(count, fleetSize));
    int percentTake = (int) Math.min((fleetSize * (long) percent + 99) / 100, fleetSize - Math.min(count, fleetSize));
    assertThat(plan.stages().get(1).members()).hasSize(percentTake);
    if (restLast) {
      assertThat(plan.leftOut()).isEmpty();
    }
  }

  private static WindowSchedule weekly(DayOfWeek day, String from, String to) {
    return new WindowSchedule(
        ZoneOffset.UTC, List.of(new WindowSchedule.DayRange(day, LocalTime.parse(from), LocalTime.parse(to))), List.of());
  }
}
