package io.pxops.events.plan;

import static io.pxops.events.plan.PlanDriver.ref;
import static io.pxops.events.plan.PlanDriver.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.Envelope;
import io.pxops.events.OpsPhase;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.RequestQueued;
import io.pxops.events.RequestSkipped;
import io.pxops.events.RequestSpec;
import io.pxops.events.Step;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UpdatePlanQueueTest {

  @Test
  void givenARunningRequest_whenAnotherIsAdmitted_thenItWaitsPendingWithoutACommand() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    driver.runUntil(d -> d.state.active().step() == Step.EVICT_POD);

    Decision decision = driver.admit(spec("upd-2"));

    assertThat(PlanDriver.types(decision.out())).containsExactly("RequestQueued");
    assertThat(PlanDriver.only(decision.out(), RequestQueued.class).position()).isEqualTo(1);
    assertThat(decision.out().get(0).opsRequest()).isEqualTo(ref("upd-2"));
    assertThat(driver.state.active().ref()).isEqualTo(ref("upd-1"));
    assertThat(driver.state.pending()).extracting(RequestProgress::ref).containsExactly(ref("upd-2"));
    assertThat(driver.state.pending().get(0).phase()).isEqualTo(OpsPhase.PENDING);
  }

  @Test
  void givenThreeRequests_whenTheFirstRuns_thenTheMiddleIsSkippedAndTheNewestRunsAfterTheFirst() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    driver.runUntil(d -> d.state.active().step() == Step.UPDATE_PETSET);
    driver.admit(spec("upd-2"));

    Decision third = driver.admit(spec("upd-3"));

    assertThat(PlanDriver.types(third.out())).containsExactly("RequestQueued", "RequestSkipped");
    Envelope skipped = third.out().get(1);
    assertThat(skipped.opsRequest()).isEqualTo(ref("upd-2"));
    RequestSkipped skip = (RequestSkipped) skipped.payload();
    assertThat(skip.reason()).isEqualTo("Superseded");
    assertThat(skip.message())
        .isEqualTo("skipped as shop/upd-3 is the most recent UpdateVersion request for shop/orders");
    assertThat(driver.state.finished().get(ref("upd-2")).phase()).isEqualTo(OpsPhase.SKIPPED);

    driver.runUntil(d -> d.state.active().ref().equals(ref("upd-3")));

    Envelope succeeded =
        driver.log.stream().filter(e -> e.type().equals("RequestSucceeded")).findFirst().orElseThrow();
    int at = driver.log.indexOf(succeeded);
    assertThat(succeeded.opsRequest()).isEqualTo(ref("upd-1"));
    assertThat(PlanDriver.types(driver.log.subList(at, driver.log.size())))
        .containsExactly("RequestSucceeded", "RequestStarted", "StepStarted", "RunPreflight");
    assertThat(driver.log.get(at + 1).opsRequest()).isEqualTo(ref("upd-3"));
    assertThat(driver.log.get(at + 1).causationId()).isEqualTo(succeeded.causationId());
    assertThat(driver.state.pending()).isEmpty();

    driver.runToIdle();
    assertThat(driver.state.finished().values().stream().collect(Collectors.toMap(RequestProgress::ref, RequestProgress::phase)))
        .containsEntry(ref("upd-1"), OpsPhase.SUCCESSFUL)
        .containsEntry(ref("upd-2"), OpsPhase.SKIPPED)
        .containsEntry(ref("upd-3"), OpsPhase.SUCCESSFUL);
  }

  @Test
  void givenAnAdmittedRequest_whenTheSameAdmissionArrivesAgain_thenItIsIgnoredWherevertItStands() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    assertThat(driver.admit(spec("upd-1")).out()).isEmpty();

    driver.admit(spec("upd-2"));
    DatabaseState before = driver.state;
    assertThat(driver.admit(spec("upd-2")).out()).isEmpty();
    assertThat(driver.state).isEqualTo(before);

    driver.runToIdle();
    before = driver.state;
    assertThat(driver.admit(spec("upd-1")).out()).isEmpty();
    assertThat(driver.admit(spec("upd-2")).out()).isEmpty();
    assertThat(driver.state).isEqualTo(before);
  }

  @Test
  void givenTwoDatabases_whenEachGetsARequest_thenBothRunIndependently() {
    PlanDriver orders = new PlanDriver("shop/orders", 3);
    PlanDriver carts = new PlanDriver("shop/carts", 2);
    RequestSpec cartsSpec =
        new RequestSpec(
            "carts-upd",
            "shop",
            "carts",
            "8.4.3",
            Duration.ofMinutes(5),
            null,
            1,
            PlanDriver.START,
            RequestSpec.DOOR_HTTP,
            "client-7");

    orders.admit(spec("upd-1"));
    Decision cartsAdmitted = carts.admit(cartsSpec);
    orders.runUntil(d -> d.state.active().step() == Step.VERIFY_POD);
    carts.runToIdle();

    assertThat(PlanDriver.types(cartsAdmitted.out())).startsWith("RequestStarted");
    assertThat(carts.commandsWritten())
        .contains("EvictPod(carts-1)", "EvictPod(carts-0)")
        .endsWith("ResumeDatabase");
    assertThat(carts.state.finished().get("shop/carts-upd").phase()).isEqualTo(OpsPhase.SUCCESSFUL);
    assertThat(orders.state.active().ref()).isEqualTo(ref("upd-1"));
    assertThat(orders.log).allMatch(e -> e.database().equals("shop/orders"));
    assertThat(carts.log).allMatch(e -> e.database().equals("shop/carts"));
  }

  @Test
  void givenAnInputForAnotherDatabase_whenFed_thenNothingChanges() {
    PlanDriver orders = new PlanDriver();
    orders.admit(spec("upd-1"));
    DatabaseState before = orders.state;
    RequestSpec other =
        new RequestSpec(
            "carts-upd", "shop", "carts", "8.4.3", Duration.ofMinutes(5), null, 1,
            PlanDriver.START, RequestSpec.DOOR_HTTP, null);
    Envelope forCarts =
        Envelope.of(
            orders.inputIds.nextId(), "shop/carts-upd", "shop/carts", orders.now, null,
            new RequestAdmitted(other));

    Decision decision = orders.feed(forCarts);

    assertThat(decision.out()).isEmpty();
    assertThat(orders.state).isSameAs(before);
  }

  @Test
  void givenAnAdmissionWhoseSpecNamesAnotherRequestOrDatabase_whenFed_thenItIsIgnored() {
    PlanDriver driver = new PlanDriver();

    Decision wrongName = driver.feed(driver.input(ref("upd-9"), new RequestAdmitted(spec("upd-1")), null));
    RequestSpec otherDb =
        new RequestSpec(
            "upd-1", "shop", "carts", "8.4.3", Duration.ofMinutes(5), null, 1, PlanDriver.START,
            RequestSpec.DOOR_HTTP, null);
    Decision wrongDb = driver.feed(driver.input(ref("upd-1"), new RequestAdmitted(otherDb), null));

    assertThat(wrongName.out()).isEmpty();
    assertThat(wrongDb.out()).isEmpty();
    assertThat(driver.state).isEqualTo(DatabaseState.empty(PlanDriver.DB));
  }
}
