package io.pxops.events.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.campaign.CampaignEvent.Outcome;
import org.junit.jupiter.api.Test;

/**
 * A simulated fleet of 1,000 databases, concurrency limit 50 ({@link CampaignFleetSimulation}: the real decider fed
 * member completions of random durations, 2 % failing, in time order; ticks at wait gates and approvals when asked).
 * The number of updates running is counted after every event, so the maximum is the true maximum at any moment.
 * Pure and fast: no clock, no thread. The fleet benchmark runs the same simulation.
 */
class CampaignFleetSimulationTest {

  private static final int DATABASES = 1_000;
  private static final int LIMIT = 50;

  @Test
  void givenAThousandDatabasesAndALimitOfFifty_whenTheCampaignRuns_thenTheLimitIsReachedAndNeverExceeded() {
    CampaignFleetSimulation.Result r = CampaignFleetSimulation.run(DATABASES, LIMIT, 2, 20261201L);

    System.out.printf("simulated fleet: %d databases, limit %d, max concurrent measured %d, outcome %s "
            + "(%d succeeded, %d failed), simulated time %s, %d decisions, %d events%n",
        r.databases(), r.limit(), r.maxRunning(), r.finished().outcome(), r.finished().succeeded(),
        r.finished().failed(), r.simulated(), r.decisions(), r.events());
    assertThat(r.eventsOverLimit()).as("events after which more than the limit ran").isZero();
    assertThat(r.maxRunning()).isEqualTo(LIMIT);
    assertThat(r.finished().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(r.finished().succeeded() + r.finished().failed()).isEqualTo(DATABASES);
  }

  @Test
  void givenTheSameSeed_thenTheSameRun() {
    assertThat(CampaignFleetSimulation.run(200, 20, 2, 7L)).isEqualTo(CampaignFleetSimulation.run(200, 20, 2, 7L));
  }
}
