package io.pxops.events.plan;

import static io.pxops.events.plan.PlanDriver.ref;
import static io.pxops.events.plan.PlanDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.CancelRequested;
import io.pxops.events.EvictPod;
import io.pxops.events.OpsPhase;
import io.pxops.events.RequestFailed;
import io.pxops.events.RequestSkipped;
import io.pxops.events.RequestWaitingForWindow;
import io.pxops.events.Step;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Rule 12 of {@link UpdatePlan}: an update held by its maintenance window. The clock is the test's:
 * {@code driver.now}, given to the plan with every input and tick.
 */
class UpdatePlanWindowTest {

  private static final Instant NINE = Instant.parse("2026-07-02T09:00:00Z");
  private static final Instant NEXT_THURSDAY_EIGHT = Instant.parse("2026-07-09T08:00:00Z");

  @Test
  void givenAnUpdateSubmittedOutsideItsWindow_whenTheClockReachesTheOpening_thenItWaitsAndThenStarts() {
    PlanDriver driver = new PlanDriver();

    Decision admitted = driver.admit(spec("upd-1", PlanDriver.OPENS_IN_AN_HOUR));

    assertThat(PlanDriver.types(admitted.out())).containsExactly("RequestWaitingForWindow");
    RequestWaitingForWindow waiting = PlanDriver.only(admitted.out(), RequestWaitingForWindow.class);
    assertThat(waiting.opensAt()).isEqualTo(NINE);
    assertThat(waiting.pod()).isNull();
    assertThat(driver.state.active()).isNull();
    assertThat(driver.state.pending()).singleElement().satisfies(p -> {
      assertThat(p.phase()).isEqualTo(OpsPhase.PENDING);
      assertThat(p.windowOpensAt()).isEqualTo(NINE);
    });
    assertThat(driver.state.wakeAt()).isEqualTo(NINE);

    // ticks before the opening, even hours past the step timeout: nothing starts, nothing times out
    for (Duration step : new Duration[] {Duration.ofMinutes(11), Duration.ofMinutes(30), Duration.ofMinutes(18)}) {
      driver.advance(step);
      assertThat(driver.tick().out()).isEmpty();
    }
    assertThat(driver.now).isBefore(NINE);
    assertThat(driver.typesWritten()).containsExactly("RequestWaitingForWindow");

    driver.now = NINE;
    Decision opened = driver.tick();

    assertThat(PlanDriver.types(opened.out())).containsExactly("RequestStarted", "StepStarted", "RunPreflight");
    assertThat(opened.out()).allMatch(e -> e.occurredAt().equals(NINE));
    assertThat(driver.state.active().ref()).isEqualTo(ref("upd-1"));
    assertThat(driver.state.active().windowOpensAt()).isNull();
    driver.runToIdle();
    assertThat(driver.state.finished().get(ref("upd-1")).phase()).isEqualTo(OpsPhase.SUCCESSFUL);
  }

  @Test
  void givenAnUpdateReachingTheEndOfItsWindow_whenThePodInHandIsVerified_thenItEvictsNoFurtherPodUntilTheNextOpening() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1", PlanDriver.OPEN_FOR_30_MINUTES));
    driver.runUntil(d -> d.state.active().step() == Step.CHECK_POD_RUNNING);
    assertThat(driver.commandsWritten()).endsWith("EvictPod(orders-2)", "AwaitPodRunning(orders-2)");

    driver.now = Instant.parse("2026-07-02T08:31:00Z"); // the window closed with orders-2 in hand
    driver.answerHappily(); // orders-2 is running: the pod in hand goes on
    Decision verified = driver.answerHappily(); // orders-2 verified

    assertThat(PlanDriver.types(verified.out())).containsExactly("RequestWaitingForWindow");
    RequestWaitingForWindow waiting = PlanDriver.only(verified.out(), RequestWaitingForWindow.class);
    assertThat(waiting.opensAt()).isEqualTo(NEXT_THURSDAY_EIGHT);
    assertThat(waiting.pod()).isEqualTo("orders-1");
    assertThat(waiting.podsDone()).isEqualTo(1);
    assertThat(driver.state.active().phase()).isEqualTo(OpsPhase.PROGRESSING);
    assertThat(driver.state.active().awaitingCommandId()).isNull();
    assertThat(driver.state.active().stepDeadline()).isNull();

    // a week of ticks: no eviction, no StepTimedOut
    int written = driver.log.size();
    while (driver.now.isBefore(NEXT_THURSDAY_EIGHT.minus(Duration.ofHours(6)))) {
      driver.advance(Duration.ofHours(6));
      assertThat(driver.tick().out()).isEmpty();
    }
    driver.now = NEXT_THURSDAY_EIGHT.minusMillis(1);
    assertThat(driver.tick().out()).isEmpty();
    assertThat(driver.log).hasSize(written);

    driver.now = NEXT_THURSDAY_EIGHT;
    Decision opened = driver.tick();

    assertThat(opened.out()).extracting(PlanDriver::describe).containsExactly("StepStarted", "EvictPod(orders-1)");
    assertThat(PlanDriver.only(opened.out(), EvictPod.class).pod()).isEqualTo("orders-1");
    driver.runToIdle();
    assertThat(driver.commandsWritten())
        .filteredOn(c -> c.startsWith("EvictPod"))
        .containsExactly("EvictPod(orders-2)", "EvictPod(orders-1)", "EvictPod(orders-0)");
    assertThat(driver.state.finished().get(ref("upd-1")).phase()).isEqualTo(OpsPhase.SUCCESSFUL);
  }

  @Test
  void givenAStateWaitingForTheWindow_whenStoredAsJsonAndReadBack_thenItIsEqualAndStillWakesAtTheOpening()
      throws Exception {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1", PlanDriver.OPEN_FOR_30_MINUTES));
    driver.runUntil(d -> d.state.active().step() == Step.VERIFY_POD);
    driver.now = Instant.parse("2026-07-02T08:31:00Z");
    driver.answerHappily();
    driver.admit(spec("upd-2", PlanDriver.OPENS_IN_AN_HOUR));

    byte[] json = io.pxops.events.JsonCodec.shared().mapper().writeValueAsBytes(driver.state);
    DatabaseState read = io.pxops.events.JsonCodec.shared().mapper().readValue(json, DatabaseState.class);

    assertThat(read).isEqualTo(driver.state);
    assertThat(read.wakeAt()).isEqualTo(NEXT_THURSDAY_EIGHT);
    assertThat(read.pending().get(0).spec().window()).isEqualTo(PlanDriver.OPENS_IN_AN_HOUR);
  }

  @Test
  void givenAnUpdateWaitingToStart_whenCancelled_thenItIsSkippedAndNeverStarts() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1", PlanDriver.OPENS_IN_AN_HOUR));

    Decision cancelled = driver.feed(driver.input(ref("upd-1"), new CancelRequested("alice"), null));

    assertThat(PlanDriver.only(cancelled.out(), RequestSkipped.class).reason()).isEqualTo(RequestSkipped.CANCELLED);
    assertThat(driver.state.pending()).isEmpty();
    assertThat(driver.state.wakeAt()).isNull();
    driver.now = NINE;
    assertThat(driver.tick().out()).isEmpty();
  }

  @Test
  void givenAnUpdateWaitingToStart_whenANewerOneIsAdmitted_thenTheNewerSupersedesIt() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1", PlanDriver.OPENS_IN_AN_HOUR));

    Decision newer = driver.admit(spec("upd-2"));

    assertThat(PlanDriver.types(newer.out()))
        .containsExactly("RequestSkipped", "RequestStarted", "StepStarted", "RunPreflight");
    assertThat(driver.state.finished().get(ref("upd-1")).phase()).isEqualTo(OpsPhase.SKIPPED);
    assertThat(driver.state.active().ref()).isEqualTo(ref("upd-2"));
  }

  @Test
  void givenAQueuedUpdate_whenTheOneBeforeEndsOutsideItsWindow_thenItWaitsForItsWindow() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    driver.admit(spec("upd-2", PlanDriver.OPENS_IN_AN_HOUR));

    driver.runUntil(d -> d.state.active() == null);

    assertThat(driver.typesWritten()).endsWith("RequestSucceeded", "RequestWaitingForWindow");
    assertThat(driver.state.pending()).singleElement().satisfies(p -> assertThat(p.windowOpensAt()).isEqualTo(NINE));
  }

  @Test
  void givenAWindowThatNeverOpensAgain_whenSubmitted_thenTheRequestFailsNamingTheWindow() {
    PlanDriver driver = new PlanDriver();

    Decision admitted = driver.admit(spec("upd-1", PlanDriver.ONLY_IN_THE_PAST));

    RequestFailed failed = PlanDriver.only(admitted.out(), RequestFailed.class);
    assertThat(failed.reason()).isEqualTo(UpdatePlan.REASON_WINDOW_NEVER_OPENS);
    assertThat(failed.message()).contains("maintenance window", "2026-01-01T00:00", "does not open again");
    assertThat(driver.commandsWritten()).isEmpty();
    assertThat(driver.state.finished().get(ref("upd-1")).phase()).isEqualTo(OpsPhase.FAILED);
  }

  @Test
  void givenAWindowThatClosesForGood_whenThePodInHandIsVerified_thenTheDatabaseIsResumedAndTheRequestFails() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1", PlanDriver.OPEN_ONCE_FOR_30_MINUTES));
    driver.runUntil(d -> d.state.active().step() == Step.VERIFY_POD);
    driver.advance(Duration.ofHours(1));

    Decision verified = driver.answerHappily();

    assertThat(verified.out()).extracting(PlanDriver::describe).containsExactly("StepStarted", "ResumeDatabase");
    Decision resumed = driver.answerHappily();
    RequestFailed failed = PlanDriver.only(resumed.out(), RequestFailed.class);
    assertThat(failed.reason()).isEqualTo(UpdatePlan.REASON_WINDOW_NEVER_OPENS);
    assertThat(failed.step()).isEqualTo(Step.EVICT_POD);
    assertThat(failed.pod()).isEqualTo("orders-1");
  }
}
