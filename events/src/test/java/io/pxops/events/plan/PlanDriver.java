package io.pxops.events.plan;

import io.pxops.events.ApplyPolicy;
import io.pxops.events.AwaitPodRunning;
import io.pxops.events.ClusterVerified;
import io.pxops.events.Command;
import io.pxops.events.DatabasePaused;
import io.pxops.events.DatabaseResumed;
import io.pxops.events.DatabaseVersionUpdated;
import io.pxops.events.Envelope;
import io.pxops.events.Event;
import io.pxops.events.EvictPod;
import io.pxops.events.Message;
import io.pxops.events.NodeObservation;
import io.pxops.events.PauseDatabase;
import io.pxops.events.PetSetUpdated;
import io.pxops.events.PodAlreadyUpdated;
import io.pxops.events.PodEvicted;
import io.pxops.events.PodInfo;
import io.pxops.events.PodRunning;
import io.pxops.events.PodVerified;
import io.pxops.events.PreflightPassed;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.RequestSpec;
import io.pxops.events.ResumeDatabase;
import io.pxops.events.RunPreflight;
import io.pxops.events.StepFailed;
import io.pxops.events.UpdateDatabaseVersion;
import io.pxops.events.UpdatePetSet;
import io.pxops.events.VerifyCluster;
import io.pxops.events.VerifyPod;
import io.pxops.events.campaign.MaintenanceWindow;
import io.pxops.events.campaign.WindowSchedule;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Drives the plan for one database the way the coordinator does, against a small simulated world
 * of pods whose runners answer commands the level-based way (an evicted pod comes back on the
 * PetSet's image; a pod already on it is reported as already updated).
 */
final class PlanDriver {

  static final String NAMESPACE = "shop";
  static final String DB_NAME = "orders";
  static final String DB = NAMESPACE + "/" + DB_NAME;
  static final String OLD_IMAGE = "ghcr.io/appscode-images/percona-xtradb-cluster:8.0.40";
  static final String NEW_IMAGE = "ghcr.io/appscode-images/percona-xtradb-cluster:8.4.3";
  static final Duration TIMEOUT = Duration.ofMinutes(10);
  static final Instant START = Instant.parse("2026-07-02T08:00:00Z");

  /** Open at {@link #START} (a Thursday) for 30 minutes, and each Thursday after. */
  static final MaintenanceWindow OPEN_FOR_30_MINUTES =
      weekly(DayOfWeek.THURSDAY, LocalTime.of(8, 0), LocalTime.of(8, 30));

  /** Closed at {@link #START}; opens an hour later, on Thursdays 09:00-10:00 UTC. */
  static final MaintenanceWindow OPENS_IN_AN_HOUR =
      weekly(DayOfWeek.THURSDAY, LocalTime.of(9, 0), LocalTime.of(10, 0));

  /** Open at {@link #START} for 30 minutes, once: it never opens again. */
  static final MaintenanceWindow OPEN_ONCE_FOR_30_MINUTES =
      new WindowSchedule(
          ZoneOffset.UTC,
          List.of(),
          List.of(
              new WindowSchedule.DateRange(
                  LocalDateTime.of(2026, 7, 2, 8, 0), LocalDateTime.of(2026, 7, 2, 8, 30))));

  /** Only in the past: it never opens again. */
  static final MaintenanceWindow ONLY_IN_THE_PAST =
      new WindowSchedule(
          ZoneOffset.UTC,
          List.of(),
          List.of(
              new WindowSchedule.DateRange(
                  LocalDateTime.of(2026, 1, 1, 0, 0), LocalDateTime.of(2026, 1, 2, 0, 0))));

  static MaintenanceWindow weekly(DayOfWeek day, LocalTime start, LocalTime end) {
    return new WindowSchedule(
        ZoneOffset.UTC, List.of(new WindowSchedule.DayRange(day, start, end)), List.of());
  }

  final String database;
  final SequentialIds planIds = new SequentialIds("00000000");
  final SequentialIds inputIds = new SequentialIds("ffffffff");
  /** Pods by name: the simulated world. */
  final Map<String, PodInfo> pods = new LinkedHashMap<>();

  DatabaseState state;
  Instant now = START;
  String petSetImage = OLD_IMAGE;
  /** Every message the plan wrote, in order. */
  final List<Envelope> log = new ArrayList<>();
  /** What the last decision wrote. */
  List<Envelope> lastOut = List.of();
  /** Every state the database went through, with the time it was reached. */
  final List<Snapshot> history = new ArrayList<>();

  /** A state and the clock when it was reached. */
  record Snapshot(DatabaseState state, Instant now) {}

  PlanDriver() {
    this(DB, 3);
  }

  PlanDriver(String database, int replicas) {
    this.database = database;
    this.state = DatabaseState.empty(database);
    history.add(new Snapshot(state, now));
    String name = database.substring(database.indexOf('/') + 1);
    for (int i = 0; i < replicas; i++) {
      pods.put(name + "-" + i, new PodInfo(name + "-" + i, i, true, OLD_IMAGE));
    }
  }

  static RequestSpec spec(String name) {
    return spec(name, ApplyPolicy.IF_READY, 1);
  }

  static RequestSpec spec(String name, ApplyPolicy apply, int maxRetries) {
    return new RequestSpec(
        name,
        NAMESPACE,
        DB_NAME,
        "8.4.3",
        TIMEOUT,
        apply,
        maxRetries,
        START,
        RequestSpec.DOOR_KUBERNETES,
        null);
  }

  static RequestSpec spec(String name, MaintenanceWindow window) {
    return spec(name).withWindow(window);
  }

  static String ref(String name) {
    return NAMESPACE + "/" + name;
  }

  // ---- feeding ------------------------------------------------------------------------------

  Envelope input(String opsRequest, Message payload, String causationId) {
    return Envelope.of(inputIds.nextId(), opsRequest, database, now, causationId, payload);
  }

  Decision feed(Envelope input) {
    Decision decision = UpdatePlan.decide(state, input, now, planIds);
    apply(decision);
    return decision;
  }

  Decision tick() {
    Decision decision = UpdatePlan.onTick(state, now, planIds);
    apply(decision);
    return decision;
  }

  private void apply(Decision decision) {
    state = decision.next();
    lastOut = decision.out();
    log.addAll(decision.out());
    history.add(new Snapshot(state, now));
  }

  Decision admit(RequestSpec spec) {
    return feed(input(spec.ref(), new RequestAdmitted(spec), null));
  }

  void advance(Duration duration) {
    now = now.plus(duration);
  }

  // ---- answering the awaited command --------------------------------------------------------

  /** The command the active request waits for. */
  Envelope awaited() {
    String id = state.active().awaitingCommandId();
    return log.stream()
        .filter(e -> e.eventId().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("awaited command " + id + " was never written"));
  }

  Command awaitedCommand() {
    return (Command) awaited().payload();
  }

  /** The result envelope a runner would write for the awaited command. */
  Envelope resultFor(Event result) {
    Envelope command = awaited();
    return input(command.opsRequest(), result, command.eventId());
  }

  Decision answer(Event result) {
    return feed(resultFor(result));
  }

  /** What a healthy, level-based runner reports for the awaited command (updates the world). */
  Event successFor(Command command) {
    if (command instanceof RunPreflight) {
      return new PreflightPassed("8.0.40", pods.size(), podList());
    } else if (command instanceof VerifyCluster) {
      return new ClusterVerified(nodes());
    } else if (command instanceof PauseDatabase) {
      return new DatabasePaused();
    } else if (command instanceof UpdatePetSet) {
      petSetImage = NEW_IMAGE;
      return new PetSetUpdated(NEW_IMAGE, podList());
    } else if (command instanceof EvictPod) {
      EvictPod evict = (EvictPod) command;
      PodInfo pod = pods.get(evict.pod());
      if (pod.image().equals(evict.image())) {
        return new PodAlreadyUpdated(pod.name(), pod.image());
      }
      pods.put(pod.name(), new PodInfo(pod.name(), pod.ordinal(), false, petSetImage));
      return new PodEvicted(pod.name());
    } else if (command instanceof AwaitPodRunning) {
      AwaitPodRunning await = (AwaitPodRunning) command;
      PodInfo pod = pods.get(await.pod());
      pods.put(pod.name(), new PodInfo(pod.name(), pod.ordinal(), true, pod.image()));
      return new PodRunning(pod.name(), pod.image());
    } else if (command instanceof VerifyPod) {
      return new PodVerified(((VerifyPod) command).pod(), nodes());
    } else if (command instanceof UpdateDatabaseVersion) {
      return new DatabaseVersionUpdated(((UpdateDatabaseVersion) command).version());
    } else if (command instanceof ResumeDatabase) {
      return new DatabaseResumed();
    }
    throw new AssertionError("no runner for " + command);
  }

  Decision answerHappily() {
    return answer(successFor(awaitedCommand()));
  }

  Decision fail(boolean retriable) {
    Command command = awaitedCommand();
    return answer(
        new StepFailed(
            command.step(),
            state.active().pod(),
            "Simulated",
            "simulated failure of " + command.step(),
            retriable));
  }

  /** Answers happily until the predicate holds (checked before each answer). */
  void runUntil(Predicate<PlanDriver> done) {
    int guard = 0;
    while (!done.test(this)) {
      if (state.active() == null) {
        throw new AssertionError("nothing is active, and the condition never held");
      }
      if (++guard > 200) {
        throw new AssertionError("the plan does not terminate");
      }
      answerHappily();
    }
  }

  void runToIdle() {
    runUntil(d -> d.state.active() == null);
  }

  List<PodInfo> podList() {
    return List.copyOf(pods.values());
  }

  List<NodeObservation> nodes() {
    return pods.values().stream()
        .map(
            p ->
                new NodeObservation(
                    p.name(),
                    p.image().endsWith("8.4.3") ? "8.4.3-3.1" : "8.0.40-31.1",
                    "Synced",
                    "Primary",
                    "ON",
                    "ON",
                    pods.size(),
                    "6a0f9b1e-3c2d-11f0-8f4e-2b7a5c9d0e11",
                    Map.of("shop.orders", "2918470662"),
                    Map.of("shop.orders", 120394L)))
        .collect(Collectors.toList());
  }

  /** Types of the messages written, in order, e.g. "StepStarted", "EvictPod". */
  List<String> typesWritten() {
    return log.stream().map(Envelope::type).collect(Collectors.toList());
  }

  /** The commands written, in order, as "Type" or "Type(pod)". */
  List<String> commandsWritten() {
    return log.stream()
        .filter(e -> e.payload() instanceof Command)
        .map(PlanDriver::describe)
        .collect(Collectors.toList());
  }

  static String describe(Envelope e) {
    Message m = e.payload();
    String pod = null;
    if (m instanceof EvictPod) {
      pod = ((EvictPod) m).pod();
    } else if (m instanceof AwaitPodRunning) {
      pod = ((AwaitPodRunning) m).pod();
    } else if (m instanceof VerifyPod) {
      pod = ((VerifyPod) m).pod();
    }
    return pod == null ? e.type() : e.type() + "(" + pod + ")";
  }

  static List<String> types(List<Envelope> envelopes) {
    return envelopes.stream().map(Envelope::type).collect(Collectors.toList());
  }

  @SuppressWarnings("unchecked")
  static <T extends Message> T only(List<Envelope> envelopes, Class<T> type) {
    List<Message> matching =
        envelopes.stream()
            .map(Envelope::payload)
            .filter(type::isInstance)
            .collect(Collectors.toList());
    if (matching.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + " but got " + matching);
    }
    return (T) matching.get(0);
  }
}
