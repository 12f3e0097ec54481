package io.pxops.events.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.AwaitPodRunning;
import io.pxops.events.Envelope;
import io.pxops.events.EvictPod;
import io.pxops.events.VerifyPod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Applying an event twice is applying it once, for every event of every kind of run. */
class StatusFoldIdempotenceTest {

  static Stream<Named<Supplier<LifecycleScript>>> runs() {
    return Stream.of(
        Named.of("happy path", () -> new LifecycleScript("orders", 3).admit("upd-1").runToIdle()),
        Named.of("failure, replay, success", () -> new LifecycleScript("orders", 3)
            .admit("upd-1").runUntil(AwaitPodRunning.class, "orders-1")
            .failStep("ImagePullBackOff", "cannot pull", false).runToIdle()
            .replay("upd-1").runToIdle()),
        Named.of("retry and progress", () -> new LifecycleScript("orders", 3).admit("upd-1")
            .runUntil(EvictPod.class, "orders-2").failStep("Conflict", "modified", true)
            .runUntil(AwaitPodRunning.class, "orders-1").progress("Joining").progress("Joined")
            .runToIdle()),
        Named.of("timeout", () -> new LifecycleScript("orders", 3).admit("upd-1")
            .runUntil(VerifyPod.class, "orders-0").timeOut().runToIdle()),
        Named.of("queue, supersede, cancel, reject", () -> new LifecycleScript("orders", 3)
            .admit("upd-1").admit("upd-2").admit("upd-3").admit("upd-4").cancel("upd-4")
            .reject("bad", "spec.databaseRef.name", "DatabaseExists", "no such database")
            .runToIdle()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void givenARun_whenEveryEventIsAppliedTwiceInARow_thenEachSecondApplicationChangesNothing(
      Supplier<LifecycleScript> run) {
    List<Envelope> log = run.get().log();
    Map<String, RequestStatus> once = Folds.requests(log);

    Map<String, RequestStatus> statuses = new java.util.LinkedHashMap<>();
    for (Envelope e : log) {
      RequestStatus first = StatusFold.apply(statuses.get(e.opsRequest()), e);
      RequestStatus second = StatusFold.apply(first, e);
      assertThat(second).as("%s applied twice", e.type()).isEqualTo(first);
      if (first != null) {
        statuses.put(e.opsRequest(), first);
      }
    }

    assertThat(statuses).isEqualTo(once);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void givenAFoldedRun_whenTheWholeLogIsReadAgain_thenNothingChanges(
      Supplier<LifecycleScript> run) {
    List<Envelope> log = run.get().log();
    Map<String, RequestStatus> once = Folds.requests(log);

    Map<String, RequestStatus> twice = Folds.requests(once, log);

    assertThat(twice).isEqualTo(once);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void givenARun_whenEveryEventIsDeliveredAgainRightAfterTheNext_thenTheResultIsTheSame(
      Supplier<LifecycleScript> run) {
    List<Envelope> log = run.get().log();
    List<Envelope> withLateCopies = new ArrayList<>();
    for (int i = 0; i < log.size(); i++) {
      withLateCopies.add(log.get(i));
      if (i > 0) {
        withLateCopies.add(log.get(i - 1));
      }
    }

    assertThat(Folds.requests(withLateCopies)).isEqualTo(Folds.requests(log));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void givenARun_whenTheDatabaseFoldSeesEveryEventTwiceInARow_thenItEqualsSeeingItOnce(
      Supplier<LifecycleScript> run) {
    List<Envelope> log = run.get().log();
    List<Envelope> doubled = log.stream().flatMap(e -> Stream.of(e, e)).toList();

    assertThat(Folds.database(null, doubled)).isEqualTo(Folds.database(null, log));
  }
}
