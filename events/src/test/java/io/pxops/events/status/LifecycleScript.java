package io.pxops.events.status;

import io.pxops.events.ApplyPolicy;
import io.pxops.events.AwaitPodRunning;
import io.pxops.events.CancelRequested;
import io.pxops.events.ClusterVerified;
import io.pxops.events.Command;
import io.pxops.events.DatabasePaused;
import io.pxops.events.DatabaseResumed;
import io.pxops.events.DatabaseVersionUpdated;
import io.pxops.events.Envelope;
import io.pxops.events.Event;
import io.pxops.events.EvictPod;
import io.pxops.events.Message;
import io.pxops.events.PauseDatabase;
import io.pxops.events.PetSetUpdated;
import io.pxops.events.PodAlreadyUpdated;
import io.pxops.events.PodEvicted;
import io.pxops.events.PodInfo;
import io.pxops.events.PodRunning;
import io.pxops.events.PodVerified;
import io.pxops.events.PreflightPassed;
import io.pxops.events.ReplayRequested;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.RequestRejected;
import io.pxops.events.RequestSpec;
import io.pxops.events.ResumeDatabase;
import io.pxops.events.RunPreflight;
import io.pxops.events.StepFailed;
import io.pxops.events.StepProgressed;
import io.pxops.events.UpdateDatabaseVersion;
import io.pxops.events.UpdatePetSet;
import io.pxops.events.VerifyCluster;
import io.pxops.events.VerifyPod;
import io.pxops.events.plan.DatabaseState;
import io.pxops.events.plan.Decision;
import io.pxops.events.plan.IdSource;
import io.pxops.events.plan.UpdatePlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a realistic lifecycle log for one database: the real update plan decides, as the
 * coordinator does, and simulated level-based runners answer its commands. {@link #log()} is what
 * {@code pxops.events} would hold, in order: each input (admission, result, cancel, replay) followed
 * by the events the plan wrote for it (commands go to another topic and are left out).
 */
final class LifecycleScript {

  static final String NAMESPACE = "shop";
  static final String OLD_IMAGE = "ghcr.io/appscode-images/percona-xtradb-cluster:8.0.40";
  static final String NEW_IMAGE = "ghcr.io/appscode-images/percona-xtradb-cluster:8.4.3";
  static final Duration TIMEOUT = Duration.ofMinutes(5);
  static final Instant START = Instant.parse("2026-07-02T08:00:00Z");

  final String database;
  private final String dbName;
  private final IdSource ids;
  private final Map<String, PodInfo> pods = new LinkedHashMap<>();
  private final List<Envelope> log = new ArrayList<>();
  private final List<Envelope> commands = new ArrayList<>();
  private DatabaseState state;
  private Instant now = START;
  private io.pxops.events.campaign.MaintenanceWindow window;
  private String petSetImage = OLD_IMAGE;

  LifecycleScript(String dbName, int replicas) {
    this.dbName = dbName;
    this.database = NAMESPACE + "/" + dbName;
    this.state = DatabaseState.empty(database);
    long[] counter = {0};
    String prefix = String.format("%08x", Math.abs(dbName.hashCode()));
    this.ids = () -> String.format("%s-0000-4000-8000-%012d", prefix, ++counter[0]);
    for (int i = 0; i < replicas; i++) {
      pods.put(dbName + "-" + i, new PodInfo(dbName + "-" + i, i, true, OLD_IMAGE));
    }
  }

  static String ref(String name) {
    return NAMESPACE + "/" + name;
  }

  RequestSpec spec(String name) {
    return new RequestSpec(
        name, NAMESPACE, dbName, "8.4.3", TIMEOUT, ApplyPolicy.IF_READY, 1, now,
        RequestSpec.DOOR_KUBERNETES, null, window);
  }

  /** The maintenance window of the requests admitted from now on ({@code null}: none). */
  LifecycleScript window(io.pxops.events.campaign.MaintenanceWindow value) {
    window = value;
    return this;
  }

  /** Moves the clock. */
  LifecycleScript advance(Duration duration) {
    now = now.plus(duration);
    return this;
  }

  /** Sets the clock to {@code at} and ticks the plan. */
  LifecycleScript tickAt(Instant at) {
    now = at;
    record(UpdatePlan.onTick(state, now, ids));
    return this;
  }

  List<Envelope> log() {
    return List.copyOf(log);
  }

  DatabaseState state() {
    return state;
  }

  // ---- inputs --------------------------------------------------------------------------------

  LifecycleScript admit(String name) {
    return feed(ref(name), new RequestAdmitted(spec(name)), null);
  }

  LifecycleScript cancel(String name) {
    return feed(ref(name), new CancelRequested("alice"), null);
  }

  LifecycleScript replay(String name) {
    return feed(ref(name), new ReplayRequested("alice"), null);
  }

  /** A rejection goes to the log straight from the ingest; the plan ignores it. */
  LifecycleScript reject(String name, String field, String rule, String message) {
    return feed(
        ref(name),
        new RequestRejected(name, NAMESPACE, dbName, "5.7.44", "kafka", null, field, rule, message),
        null);
  }

  /** Answers the awaited command as a healthy runner would. */
  LifecycleScript answer() {
    return answer(successFor(awaitedCommand()));
  }

  /** Answers the awaited command with this result. */
  LifecycleScript answer(Event result) {
    Envelope command = awaited();
    return feed(command.opsRequest(), result, command.eventId());
  }

  LifecycleScript failStep(String reason, String message, boolean retriable) {
    Command command = awaitedCommand();
    return answer(
        new StepFailed(command.step(), state.active().pod(), reason, message, retriable));
  }

  LifecycleScript progress(String detail) {
    Command command = awaitedCommand();
    return answer(new StepProgressed(command.step(), state.active().pod(), detail));
  }

  /** Lets the active step run past its deadline and ticks the plan. */
  LifecycleScript timeOut() {
    now = now.plus(TIMEOUT).plusSeconds(1);
    record(UpdatePlan.onTick(state, now, ids));
    return this;
  }

  /** Answers happily until nothing is active. */
  LifecycleScript runToIdle() {
    int guard = 0;
    while (state.active() != null) {
      if (++guard > 200) {
        throw new AssertionError("the plan does not terminate");
      }
      answer();
    }
    return this;
  }

  /** Answers happily until the awaited command is of this type (for this pod, if given). */
  LifecycleScript runUntil(Class<? extends Command> type, String pod) {
    int guard = 0;
    while (!(type.isInstance(awaitedCommand())
        && (pod == null || pod.equals(state.active().pod())))) {
      if (++guard > 200) {
        throw new AssertionError("never reached " + type.getSimpleName());
      }
      answer();
    }
    return this;
  }

  // ---- the plan and the runners ----------------------------------------------------------------

  private LifecycleScript feed(String opsRequest, Event payload, String causationId) {
    now = now.plusSeconds(2);
    Envelope input = Envelope.of(ids.nextId(), opsRequest, database, now, causationId, payload);
    log.add(input);
    record(UpdatePlan.decide(state, input, now, ids));
    return this;
  }

  private void record(Decision decision) {
    state = decision.next();
    for (Envelope out : decision.out()) {
      if (out.payload() instanceof Command) {
        commands.add(out);
      } else {
        log.add(out);
      }
    }
  }

  Envelope awaited() {
    if (state.active() == null) {
      throw new AssertionError("no request is active");
    }
    String id = state.active().awaitingCommandId();
    return commands.stream()
        .filter(c -> c.eventId().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("awaited command " + id + " was never written"));
  }

  Command awaitedCommand() {
    return (Command) awaited().payload();
  }

  private Event successFor(Command command) {
    if (command instanceof RunPreflight) {
      return new PreflightPassed("8.0.40", pods.size(), List.copyOf(pods.values()));
    } else if (command instanceof VerifyCluster) {
      return new ClusterVerified(List.of());
    } else if (command instanceof PauseDatabase) {
      return new DatabasePaused();
    } else if (command instanceof UpdatePetSet) {
      petSetImage = NEW_IMAGE;
      return new PetSetUpdated(NEW_IMAGE, List.copyOf(pods.values()));
    } else if (command instanceof EvictPod evict) {
      PodInfo pod = pods.get(evict.pod());
      if (pod.image().equals(evict.image())) {
        return new PodAlreadyUpdated(pod.name(), pod.image());
      }
      pods.put(pod.name(), new PodInfo(pod.name(), pod.ordinal(), false, petSetImage));
      return new PodEvicted(pod.name());
    } else if (command instanceof AwaitPodRunning await) {
      PodInfo pod = pods.get(await.pod());
      pods.put(pod.name(), new PodInfo(pod.name(), pod.ordinal(), true, pod.image()));
      return new PodRunning(pod.name(), pod.image());
    } else if (command instanceof VerifyPod verify) {
      return new PodVerified(verify.pod(), List.of());
    } else if (command instanceof UpdateDatabaseVersion update) {
      return new DatabaseVersionUpdated(update.version());
    } else if (command instanceof ResumeDatabase) {
      return new DatabaseResumed();
    }
    throw new AssertionError("no runner for " + command);
  }

  /** Makes a pod run the target image already (as if someone had restarted it). */
  LifecycleScript podAlreadyOnTarget(String pod) {
    PodInfo info = pods.get(pod);
    pods.put(pod, new PodInfo(pod, info.ordinal(), info.ready(), NEW_IMAGE));
    return this;
  }

  static <T extends Message> T payload(Envelope e, Class<T> type) {
    return type.cast(e.payload());
  }
}
