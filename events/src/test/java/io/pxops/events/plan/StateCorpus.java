package io.pxops.events.plan;

import static io.pxops.events.plan.PlanDriver.spec;

import io.pxops.events.ApplyPolicy;
import io.pxops.events.CancelRequested;
import io.pxops.events.OpsPhase;
import io.pxops.events.PodInfo;
import io.pxops.events.ReplayRequested;
import io.pxops.events.RequestSpec;
import io.pxops.events.Step;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Every reachable kind of {@link DatabaseState}, found by driving the plan: every prefix of the
 * happy path, and from each prefix a fatal failure, a failed resume, a retry, a timeout, queued and
 * superseded and cancelled requests, a next request; replays of failures, at once and queued; a
 * database whose memory of finished requests is full. States are grouped by {@link #kind}, and the
 * first state of each kind is kept.
 */
final class StateCorpus {

  private final Map<String, PlanDriver.Snapshot> byKind = new LinkedHashMap<>();

  private StateCorpus() {}

  static Map<String, PlanDriver.Snapshot> build() {
    StateCorpus corpus = new StateCorpus();
    corpus.collect();
    return corpus.byKind;
  }

  private void collect() {
    happy(spec("upd-1"), d -> {});
    happy(spec("upd-1", ApplyPolicy.ALWAYS, 1), d -> {});
    happy(spec("upd-1"), d -> d.pods.put("orders-0", new PodInfo("orders-0", 0, false, PlanDriver.OLD_IMAGE)));
    happy(spec("upd-1"), d -> d.pods.put("orders-1", new PodInfo("orders-1", 1, true, PlanDriver.NEW_IMAGE)));
    happy(spec("upd-1"), d -> d.pods.replaceAll((n, p) -> new PodInfo(n, p.ordinal(), true, PlanDriver.NEW_IMAGE)));

    int steps = happyPathLength();
    for (int prefix = 0; prefix < steps; prefix++) {
      final int k = prefix;
      scenario(k, d -> {
        d.fail(false);
        d.runToIdle();
      });
      scenario(k, d -> {
        d.fail(false);
        if (d.state.active() != null) {
          d.fail(false); // the resume fails too
        }
      });
      scenario(k, d -> {
        d.fail(true);
        d.fail(true); // second retriable failure exhausts maxRetries = 1
        d.runToIdle();
      });
      scenario(k, d -> {
        d.now = d.state.active().stepDeadline().plusSeconds(1);
        d.tick();
        d.runToIdle();
      });
      scenario(k, d -> {
        d.admit(spec("upd-2"));
        d.admit(spec("upd-3"));
        d.feed(d.input(PlanDriver.ref("upd-3"), new CancelRequested("alice"), null));
        d.admit(spec("upd-4"));
        d.runToIdle();
      });
    }
    replays();
    fullMemory();
    windows();
  }

  /** Requests held by their maintenance window: before the start, and between pods. */
  private void windows() {
    PlanDriver early = new PlanDriver();
    early.admit(spec("upd-1", PlanDriver.OPENS_IN_AN_HOUR)); // waits to start
    early.admit(spec("upd-2", PlanDriver.OPENS_IN_AN_HOUR)); // supersedes it, waits too
    early.feed(early.input(PlanDriver.ref("upd-2"), new CancelRequested("alice"), null));
    early.admit(spec("upd-3", PlanDriver.OPENS_IN_AN_HOUR));
    early.now = early.state.wakeAt();
    early.tick(); // the window opened: it starts
    early.runToIdle();
    keep(early);

    PlanDriver never = new PlanDriver();
    never.admit(spec("upd-1", PlanDriver.ONLY_IN_THE_PAST)); // fails at once
    keep(never);

    for (Step before : List.of(Step.UPDATE_PETSET, Step.VERIFY_POD)) {
      PlanDriver late = new PlanDriver();
      late.admit(spec("upd-1", PlanDriver.OPEN_FOR_30_MINUTES));
      late.runUntil(d -> d.state.active().step() == before);
      late.advance(java.time.Duration.ofHours(1));
      late.answerHappily(); // the window closed: it waits before the next eviction
      late.admit(spec("upd-2"));
      late.now = late.state.wakeAt();
      late.tick(); // a week later the window opens: it evicts the next pod
      late.runToIdle();
      keep(late);

      PlanDriver closing = new PlanDriver();
      closing.admit(spec("upd-1", PlanDriver.OPEN_ONCE_FOR_30_MINUTES));
      closing.runUntil(d -> d.state.active().step() == before);
      closing.advance(java.time.Duration.ofHours(1));
      closing.answerHappily(); // the window never opens again: it resumes the database and fails
      closing.runToIdle();
      keep(closing);
    }
  }

  private static int happyPathLength() {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    int answers = 0;
    while (driver.state.active() != null) {
      driver.answerHappily();
      answers++;
    }
    return answers;
  }

  private void happy(RequestSpec spec, Consumer<PlanDriver> world) {
    PlanDriver driver = new PlanDriver();
    world.accept(driver);
    driver.admit(spec);
    driver.runToIdle();
    keep(driver);
  }

  private void scenario(int prefix, Consumer<PlanDriver> then) {
    PlanDriver driver = new PlanDriver();
    driver.admit(spec("upd-1"));
    for (int i = 0; i < prefix; i++) {
      driver.answerHappily();
    }
    then.accept(driver);
    keep(driver);
  }

  private void replays() {
    for (Step failAt : List.of(Step.PREFLIGHT, Step.UPDATE_PETSET, Step.CHECK_POD_RUNNING, Step.RESUME_DATABASE)) {
      PlanDriver driver = new PlanDriver();
      driver.admit(spec("upd-1"));
      driver.runUntil(d -> d.state.active().step() == failAt);
      driver.fail(false);
      if (driver.state.active() != null) {
        driver.answerHappily();
      }
      driver.feed(driver.input(PlanDriver.ref("upd-1"), new ReplayRequested("alice"), null));
      driver.runToIdle();
      keep(driver);

      PlanDriver busy = new PlanDriver();
      busy.admit(spec("upd-1"));
      busy.runUntil(d -> d.state.active().step() == failAt);
      busy.fail(false);
      if (busy.state.active() != null) {
        busy.fail(false); // resume fails: the database may still be paused
      }
      busy.admit(spec("upd-2"));
      busy.feed(busy.input(PlanDriver.ref("upd-1"), new ReplayRequested("alice"), null));
      busy.runUntil(d -> d.state.active().ref().equals(PlanDriver.ref("upd-2")));
      busy.admit(spec("upd-3")); // supersedes the queued replay
      busy.runToIdle();
      keep(busy);
    }
  }

  private void fullMemory() {
    PlanDriver driver = new PlanDriver();
    for (int i = 0; i <= DatabaseState.FINISHED_LIMIT + 1; i++) {
      driver.admit(spec("fast-" + i));
      driver.fail(false); // preflight fails: Failed at once
    }
    driver.admit(spec("upd-1"));
    driver.admit(spec("upd-2"));
    driver.feed(driver.input(PlanDriver.ref("fast-3"), new ReplayRequested("alice"), null));
    driver.runToIdle();
    keep(driver);
  }

  private void keep(PlanDriver driver) {
    for (PlanDriver.Snapshot snapshot : driver.history) {
      byKind.putIfAbsent(kind(snapshot.state()), snapshot);
    }
  }

  /** A short description that tells apart the states the plan treats differently. */
  static String kind(DatabaseState state) {
    StringBuilder kind = new StringBuilder();
    RequestProgress active = state.active();
    if (active == null) {
      kind.append("idle");
    } else {
      kind.append(active.step());
      if (active.pod() != null) {
        int index = active.restartOrder().stream().map(PodInfo::name).collect(Collectors.toList()).indexOf(active.pod());
        int last = active.restartOrder().size() - 1;
        kind.append(index == 0 ? "@first" : index == last ? "@last" : "@middle");
        if (index == 0 && last == 0) {
          kind.append("=last");
        }
      }
      if (active.failing()) {
        kind.append(" failing");
      }
      if (active.paused()) {
        kind.append(" paused");
      }
      if (active.corrective()) {
        kind.append(" corrective");
      }
      if (!active.retries().isEmpty()) {
        kind.append(" retried");
      }
      if (active.waitingForWindow()) {
        kind.append(" waiting");
      }
    }
    kind.append(" | pending ").append(state.pending().size());
    if (state.pending().stream().anyMatch(RequestProgress::waitingForWindow)) {
      kind.append(" waiting");
    }
    if (state.pending().stream().anyMatch(p -> p.attempt() > 1)) {
      kind.append(" replay");
    }
    TreeSet<String> finished = new TreeSet<>();
    for (RequestProgress p : state.finished().values()) {
      String phase = p.phase().kubeName();
      if (p.phase() == OpsPhase.FAILED && p.paused()) {
        phase += "(paused)";
      }
      finished.add(phase);
    }
    kind.append(" | finished ").append(finished);
    if (state.finished().size() == DatabaseState.FINISHED_LIMIT) {
      kind.append(" full");
    }
    return kind.toString();
  }
}
