package io.pxops.events.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Fleets, specs and plans for the campaign tests. */
final class CampaignFixtures {

  static final String FROM = "8.0.40";
  static final String TO = "8.4.3";

  /** A catalog that allows {@link #TO} from {@link #FROM}. */
  static final UpdateCatalog CATALOG = v -> v.equals(FROM) ? List.of(TO) : List.of();

  private CampaignFixtures() {}

  /** {@code n} databases {@code ns/db-000..}, all on {@link #FROM}, always open. */
  static List<FleetMember> fleet(int n) {
    List<FleetMember> fleet = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      fleet.add(new FleetMember("ns", String.format("db-%04d", i), Map.of(), FROM, null));
    }
    return fleet;
  }

  static CampaignSpec spec(List<StageSpec> stages, FailureBudget budget) {
    return new CampaignSpec(
        "c",
        new FleetSelection(List.of(), Map.of(), VersionRange.ANY),
        new Target.Exact(TO),
        stages,
        budget,
        null);
  }

  static CampaignPlan plan(List<FleetMember> fleet, List<StageSpec> stages, FailureBudget budget) {
    return CampaignPlanner.plan(spec(stages, budget), fleet, Map.of(), List.of(), CATALOG);
  }

  static StageSpec stage(String name, StageSize size, int maxConcurrent, Gate gate) {
    return new StageSpec(name, size, maxConcurrent, gate);
  }

  static String db(int i) {
    return String.format("ns/db-%04d", i);
  }
}
