package io.pxops.events.campaign;

import static io.pxops.events.campaign.CampaignFixtures.fleet;
import static io.pxops.events.campaign.CampaignFixtures.plan;
import static io.pxops.events.campaign.CampaignFixtures.stage;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.campaign.CampaignEvent.CampaignFinished;
import io.pxops.events.campaign.CampaignEvent.DatabaseUpdateFinished;
import io.pxops.events.campaign.CampaignEvent.DatabaseUpdateRequested;
import io.pxops.events.campaign.CampaignEvent.Outcome;
import io.pxops.events.campaign.CampaignEvent.StageAwaitingApproval;
import io.pxops.events.campaign.CampaignEvent.StageWaiting;
import io.pxops.events.campaign.CampaignInput.Approve;
import io.pxops.events.campaign.CampaignInput.Start;
import io.pxops.events.campaign.CampaignInput.Tick;
import io.pxops.events.campaign.CampaignInput.UpdateFinished;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A simulated fleet of 1,000 databases, concurrency limit 50: a discrete-event simulation feeds
 * the decider the completions of member updates of random durations (30 s to 15 min, 2 % failing)
 * in time order, ticks at wait gates and approvals when asked. The number of updates running is
 * counted after every event, so the maximum is the true maximum at any moment. Pure and fast: no
 * clock, no thread.
 */
class CampaignFleetSimulationTest {

  private static final int DATABASES = 1_000;
  private static final int LIMIT = 50;

  /** A member update that will end at {@code at}. */
  private record Completion(Instant at, String database, boolean succeeded) {}

  @Test
  void givenAThousandDatabasesAndALimitOfFifty_whenTheCampaignRuns_thenTheLimitIsReachedAndNeverExceeded() {
    CampaignPlan plan =
        plan(
            fleet(DATABASES),
            List.of(
                stage("canary", new StageSize.Count(1), 1, new Gate.None()),
                stage("early", new StageSize.Percent(10), LIMIT, new Gate.Wait(Duration.ofMinutes(30))),
                stage("rest", new StageSize.Rest(), LIMIT, new Gate.Approval())),
            new FailureBudget.Percent(5));
    Random random = new Random(20261201L);
    PriorityQueue<Completion> pending =
        new PriorityQueue<>((a, b) -> a.at().compareTo(b.at()));
    Set<String> running = new HashSet<>();
    CampaignState state = CampaignDecider.initial(plan);
    Instant start = Instant.parse("2026-12-01T00:00:00Z");
    Instant now = start;
    Instant gateEnds = null;
    boolean awaitingApproval = false;
    int maxRunning = 0;
    int decisions = 0;
    int events = 0;
    long cpuStart = System.nanoTime();
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
          pending.add(
              new Completion(now.plusSeconds(seconds), r.database(), random.nextInt(100) >= 2));
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
        assertThat(running.size()).as("running at " + now).isLessThanOrEqualTo(LIMIT);
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
        throw new AssertionError("the simulation has nothing to feed and the campaign has not ended");
      }
      assertThat(decisions).as("decisions stay bounded").isLessThan(10 * DATABASES);
    }
    long cpuMillis = (System.nanoTime() - cpuStart) / 1_000_000;

    System.out.printf(
        "simulated fleet: %d databases, limit %d, max concurrent measured %d, outcome %s "
            + "(%d succeeded, %d failed), simulated time %s, %d decisions, %d events, %d ms%n",
        DATABASES, LIMIT, maxRunning, end.outcome(), end.succeeded(), end.failed(),
        Duration.between(start, now), decisions, events, cpuMillis);
    assertThat(maxRunning).isEqualTo(LIMIT);
    assertThat(end.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(end.succeeded() + end.failed()).isEqualTo(DATABASES);
  }
}
