package io.pxops.events.campaign;

import io.pxops.events.campaign.CampaignEvent.CampaignFinished;
import io.pxops.events.campaign.CampaignEvent.DatabaseUpdateFinished;
import io.pxops.events.campaign.CampaignEvent.DatabaseUpdateRequested;
import io.pxops.events.campaign.CampaignEvent.StageAwaitingApproval;
import io.pxops.events.campaign.CampaignEvent.StageWaiting;
import io.pxops.events.campaign.CampaignInput.Approve;
import io.pxops.events.campaign.CampaignInput.Start;
import io.pxops.events.campaign.CampaignInput.Tick;
import io.pxops.events.campaign.CampaignInput.UpdateFinished;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * A simulated fleet run through the real {@link CampaignDecider}: a discrete-event simulation feeds it the completions
 * of member updates of random durations (30 s to 15 min, a given share failing) in time order, ticks at wait gates,
 * and approves when asked. The number of updates running is counted after every event, so its maximum is the true
 * maximum at any moment. Pure: simulated time, a seeded random, no clock and no thread — the fleet test ({@code
 * CampaignFleetSimulationTest}) and the fleet benchmark ({@code --suites campaign-fleet}) run this same code.
 *
 * <p>The campaign: a canary of 1, then 10 % after a 30-minute wait, then the rest after an approval; every stage but
 * the canary at the concurrency limit; a failure budget of 5 %.
 */
public final class CampaignFleetSimulation {

  /** Where every simulated campaign starts. */
  public static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

  private static final String FROM = "8.0.40";
  private static final String TO = "8.4.3";

  private CampaignFleetSimulation() {}

  /**
   * What a run measured.
   *
   * @param databases the fleet's size
   * @param limit the concurrency limit of the large stages
   * @param maxRunning the most updates running at any moment
   * @param eventsOverLimit events after which more than {@code limit} were running (0 unless the decider is wrong)
   * @param finished how the campaign ended
   * @param simulated the simulated time from start to end
   * @param decisions decisions taken (inputs decided)
   * @param events events decided
   */
  public record Result(int databases, int limit, int maxRunning, int eventsOverLimit, CampaignFinished finished,
      Duration simulated, int decisions, int events) {}

  /**
   * Runs one campaign over a simulated fleet.
   *
   * @param databases how many databases, all on one version with an update allowed
   * @param limit the concurrency limit
   * @param failPercent the share of member updates that fail, 0 to 100
   * @param seed the random's seed: the same seed gives the same run
   * @return what was measured
   * @throws IllegalStateException if the campaign stops moving before it ends, or takes more than ten decisions a
   *     database (the decider would be stuck)
   */
  public static Result run(int databases, int limit, int failPercent, long seed) {
    List<FleetMember> fleet = new ArrayList<>();
    for (int i = 0; i < databases; i++) {
      fleet.add(new FleetMember("ns", String.format("db-%05d", i), Map.of(), FROM, null));
    }
    CampaignSpec spec = new CampaignSpec("fleet",
        new FleetSelection(List.of(), Map.of(), VersionRange.ANY), new Target.Exact(TO),
        List.of(
            new StageSpec("canary", new StageSize.Count(1), 1, new Gate.None()),
            new StageSpec("early", new StageSize.Percent(10), limit, new Gate.Wait(Duration.ofMinutes(30))),
            new StageSpec("rest", new StageSize.Rest(), limit, new Gate.Approval())),
        new FailureBudget.Percent(5), null);
    UpdateCatalog catalog = v -> v.equals(FROM) ? List.of(TO) : List.of();
    CampaignPlan plan = CampaignPlanner.plan(spec, fleet, Map.of(), List.of(), catalog);
    return run(plan, limit, failPercent, new Random(seed));
  }

  private record Completion(Instant at, String database, boolean succeeded) {}

  private static Result run(CampaignPlan plan, int limit, int failPercent, Random random) {
    PriorityQueue<Completion> pending = new PriorityQueue<>((a, b) -> a.at().compareTo(b.at()));
    Set<String> running = new HashSet<>();
    CampaignState state = CampaignDecider.initial(plan);
    Instant now = START;
    Instant gateEnds = null;
    boolean awaitingApproval = false;
    int maxRunning = 0;
    int overLimit = 0;
    int decisions = 0;
    int events = 0;
    int databases = plan.stages().stream().mapToInt(s -> s.members().size()).sum();
    CampaignInput input = new Start();
    CampaignFinished end = null;
    while (end == null) {
      CampaignDecider.Step step = CampaignDecider.step(state, input, now);
      state = step.state();
      decisions++;
      for (CampaignEvent e : step.events()) {
        events++;
        if (e instanceof DatabaseUpdateRequested r) {
          running.add(r.database());
          long seconds = 30 + (long) (random.nextDouble() * random.nextDouble() * 870);
          pending.add(new Completion(now.plusSeconds(seconds), r.database(), random.nextInt(100) >= failPercent));
        } else if (e instanceof DatabaseUpdateFinished f) {
          running.remove(f.database());
        } else if (e instanceof StageWaiting w) {
          gateEnds = w.until();
        } else if (e instanceof StageAwaitingApproval) {
          awaitingApproval = true;
        } else if (e instanceof CampaignFinished f) {
          end = f;
        }
        maxRunning = Math.max(maxRunning, running.size());
        if (running.size() > limit) {
          overLimit++;
        }
      }
      if (end != null) {
        break;
      }
      if (awaitingApproval) {
        awaitingApproval = false;
        input = new Approve("rest", "simulation");
      } else if (!pending.isEmpty()) {
        Completion c = pending.poll();
        now = c.at();
        input = new UpdateFinished(c.database(), c.succeeded(), c.succeeded() ? "Successful" : "Failed");
      } else if (gateEnds != null) {
        now = gateEnds;
        gateEnds = null;
        input = new Tick();
      } else {
        throw new IllegalStateException("the simulation has nothing to feed and the campaign has not ended");
      }
      if (decisions > 10 * Math.max(1, databases) + 10) {
        throw new IllegalStateException("more than ten decisions a database: the campaign does not end");
      }
    }
    return new Result(databases, limit, maxRunning, overLimit, end, Duration.between(START, now), decisions, events);
  }
}
