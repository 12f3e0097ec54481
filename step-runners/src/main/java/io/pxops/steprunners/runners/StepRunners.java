package io.pxops.steprunners.runners;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pxops.events.AwaitPodRunning;
import io.pxops.events.Command;
import io.pxops.events.DatabasePaused;
import io.pxops.events.DatabaseResumed;
import io.pxops.events.DatabaseVersionUpdated;
import io.pxops.events.Envelope;
import io.pxops.events.EvictPod;
import io.pxops.events.PauseDatabase;
import io.pxops.events.PetSetUpdated;
import io.pxops.events.PodAlreadyUpdated;
import io.pxops.events.PodEvicted;
import io.pxops.events.PodInfo;
import io.pxops.events.PodRunning;
import io.pxops.events.PreflightPassed;
import io.pxops.events.ResumeDatabase;
import io.pxops.events.RunPreflight;
import io.pxops.events.UpdateDatabaseVersion;
import io.pxops.events.UpdatePetSet;
import io.pxops.kubedb.DatabasePauses;
import io.pxops.kubedb.DatabasePhase;
import io.pxops.kubedb.KubeDbConditions;
import io.pxops.kubedb.KubeDbNames;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.kubedb.PerconaXtraDBVersion;
import io.pxops.kubedb.PetSet;
import io.pxops.kubedb.PodHealth;
import io.pxops.pipeline.steps.Attempt;
import io.pxops.pipeline.steps.CommandHandler;
import io.pxops.pipeline.steps.FatalStepException;
import io.pxops.pipeline.steps.StepBlocked;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step runners: each command is answered by looking at the real state first (level-based), so a command seen
 * twice — redelivered after a crash, or retried — never does its work twice. {@link #attempt} makes one look and,
 * where needed, one action; the service calls it again while it answers {@link Attempt.NotYet}.
 *
 * <p>Pods are rolled by {@code EvictPod} and {@code AwaitPodRunning}, one pod at a time as the coordinator's plan
 * orders them. For each pod:
 * <ol>
 *   <li>Read the pod (KubeDB's {@code GetPod} condition).
 *   <li>A pod already on the target image and Ready is reported {@code PodAlreadyUpdated}: never restart a pod
 *       twice.
 *   <li>If this command already evicted the pod (rule 4 recorded it) and the pod now there is another one, the
 *       eviction happened: report {@code PodEvicted} again. This is what makes a runner killed between its delete
 *       and its report harmless.
 *   <li>Every OTHER pod of the PetSet must be Ready, else the step is blocked: never two nodes down. (The verifier
 *       has just checked wsrep health on every node; this is the last-moment Kubernetes-level check.)
 *   <li>Record the eviction on the ops request object, {@code pxops.io/evicted-<pod>: <command id>/<pod uid>},
 *       BEFORE acting, then evict the pod (the Eviction API; a pod already gone is fine).
 *   <li>{@code AwaitPodRunning}: wait until the pod there is a new one, on the target image, Running and Ready;
 *       while it is starting that is progress (a joining node may take hours).
 *   <li>A pod that is stuck (a waiting reason waiting will not cure, or unschedulable past a grace) fails the
 *       step at once: a stuck pod stops the line.
 * </ol>
 */
public final class StepRunners implements CommandHandler {

  /** Annotation prefix on the ops request recording evictions: {@code <command id>/<evicted pod uid>}. */
  public static final String EVICTED_PREFIX = "pxops.io/evicted-";

  private static final Logger LOG = LoggerFactory.getLogger(StepRunners.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final Duration stuckGrace;
  private final Duration pauseAfterEviction;

  public StepRunners(KubernetesClient client, Clock clock, Duration stuckGrace) {
    this(client, clock, stuckGrace, Duration.ZERO);
  }

  /**
   * @param pauseAfterEviction for chaos tests only: how long to wait between evicting a pod and reporting it (zero
   *     in production), so that a test can kill the process inside that window
   */
  public StepRunners(KubernetesClient client, Clock clock, Duration stuckGrace, Duration pauseAfterEviction) {
    this.client = client;
    this.clock = clock;
    this.stuckGrace = stuckGrace;
    this.pauseAfterEviction = pauseAfterEviction;
  }

  /** The verifier answers the Galera checks; these are the rest. */
  @Override
  public boolean handles(Command command) {
    return command instanceof RunPreflight || command instanceof PauseDatabase || command instanceof UpdatePetSet
        || command instanceof EvictPod || command instanceof AwaitPodRunning
        || command instanceof UpdateDatabaseVersion || command instanceof ResumeDatabase;
  }

  /**
   * One look, and at most one action.
   *
   * @throws StepBlocked when a safety check says "not now"
   * @throws FatalStepException when waiting cannot help
   */
  @Override
  public Attempt attempt(Envelope envelope) {
    String ns = envelope.database().substring(0, envelope.database().indexOf('/'));
    String db = envelope.database().substring(envelope.database().indexOf('/') + 1);
    Object command = envelope.payload();
    if (command instanceof RunPreflight c) {
      return preflight(ns, db, c);
    } else if (command instanceof PauseDatabase) {
      return pause(ns, db, envelope.opsRequest());
    } else if (command instanceof UpdatePetSet c) {
      return updatePetSet(ns, db, c.targetVersion());
    } else if (command instanceof EvictPod c) {
      return evict(ns, db, envelope, c);
    } else if (command instanceof AwaitPodRunning c) {
      return awaitRunning(ns, db, envelope, c);
    } else if (command instanceof UpdateDatabaseVersion c) {
      return updateVersion(ns, db, c.version());
    } else if (command instanceof ResumeDatabase) {
      DatabasePauses.resume(client, ns, db);
      return new Attempt.Done(new DatabaseResumed());
    }
    throw new FatalStepException("UnsupportedCommand", envelope.type() + " is not a step runner's command");
  }

  private Attempt preflight(String ns, String db, RunPreflight c) {
    PerconaXtraDB database = database(ns, db);
    // a corrective run (a replay, apply: Always) may be what repairs a database that is not Ready: it must not wait
    if (!c.corrective() && c.spec().apply() == io.pxops.events.ApplyPolicy.IF_READY
        && (database.getStatus() == null || !DatabasePhase.READY.equals(database.getStatus().getPhase()))) {
      throw new StepBlocked("database " + ns + "/" + db + " is "
          + (database.getStatus() == null ? "not yet reported" : database.getStatus().getPhase())
          + ", and the request applies IfReady");
    }
    petSet(ns, db);
    List<PodInfo> pods = pods(ns, db);
    if (!c.corrective() && pods.stream().anyMatch(p -> !p.ready())) {
      throw new StepBlocked("not every pod of " + ns + "/" + db + " is Ready");
    }
    return new Attempt.Done(new PreflightPassed(database.getSpec().getVersion(),
        database.getSpec().replicasOrDefault(), pods));
  }

  private Attempt pause(String ns, String db, String opsRequest) {
    DatabasePauses.pause(client, ns, db, "paused by pxops for " + opsRequest);
    // KubeDB's changelog: "Confirm the db has been paused before ops continue" — a fresh read must show it
    return KubeDbConditions.isPaused(database(ns, db)) ? new Attempt.Done(new DatabasePaused())
        : new Attempt.NotYet("the Paused condition is not visible yet", false);
  }

  private Attempt updatePetSet(String ns, String db, String targetVersion) {
    PerconaXtraDBVersion entry = client.resources(PerconaXtraDBVersion.class).withName(targetVersion).get();
    if (entry == null || entry.getSpec() == null || entry.getSpec().getDb() == null) {
      throw new FatalStepException("TargetVersionNotFound", "catalog entry " + targetVersion + " has no image");
    }
    String image = entry.getSpec().getDb().getImage();
    PetSet petSet = petSet(ns, db);
    List<Container> containers = petSet.getSpec().getTemplate().getSpec().getContainers();
    for (int i = 0; i < containers.size(); i++) {
      if (KubeDbNames.CONTAINER.equals(containers.get(i).getName()) && !image.equals(containers.get(i).getImage())) {
        // OnDelete: changing the template restarts nothing; pods pick it up only when deleted
        client.resources(PetSet.class).inNamespace(ns).withName(db).patch(PatchContext.of(PatchType.JSON),
            "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/" + i + "/image\",\"value\":\""
                + image + "\"}]");
      }
    }
    return new Attempt.Done(new PetSetUpdated(image, pods(ns, db)));
  }

  private Attempt evict(String ns, String db, Envelope envelope, EvictPod c) {
    Pod pod = client.pods().inNamespace(ns).withName(c.pod()).get();
    String recorded = recordedEviction(envelope.opsRequest(), c.pod());
    String commandId = envelope.eventId();
    if (recorded != null && recorded.startsWith(commandId + "/")) {
      String evictedUid = recorded.substring(commandId.length() + 1);
      if (pod == null || !evictedUid.equals(pod.getMetadata().getUid())) {
        return new Attempt.Done(new PodEvicted(c.pod()));
      }
    }
    if (pod == null) {
      return new Attempt.NotYet("pod " + c.pod() + " does not exist yet", true);
    }
    PodHealth.Verdict health = PodHealth.of(pod, clock.instant(), stuckGrace);
    if (c.image().equals(imageOf(pod)) && health.state() == PodHealth.State.READY) {
      return new Attempt.Done(new PodAlreadyUpdated(c.pod(), c.image()));
    }
    for (Pod other : client.pods().inNamespace(ns).withLabels(KubeDbNames.selectorLabels(db)).list().getItems()) {
      if (!other.getMetadata().getName().equals(c.pod())
          && PodHealth.of(other, clock.instant(), stuckGrace).state() != PodHealth.State.READY) {
        throw new StepBlocked("pod " + other.getMetadata().getName() + " is not Ready: evicting " + c.pod()
            + " now would take a second node down");
      }
    }
    String opsNs = envelope.opsRequest().substring(0, envelope.opsRequest().indexOf('/'));
    String opsName = envelope.opsRequest().substring(envelope.opsRequest().indexOf('/') + 1);
    client.resources(PerconaXtraDBOpsRequest.class).inNamespace(opsNs).withName(opsName)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"" + EVICTED_PREFIX
            + c.pod() + "\":\"" + commandId + "/" + pod.getMetadata().getUid() + "\"}}}");
    client.pods().inNamespace(ns).withName(c.pod()).evict();
    if (!pauseAfterEviction.isZero()) {
      // chaos testing only: widens the window between acting and reporting, where a crash must not restart the
      // pod a second time (the annotation above is what prevents it)
      LOG.warn("fault injection: pausing {} after evicting {}", pauseAfterEviction, c.pod());
      LockSupport.parkNanos(pauseAfterEviction.toNanos());
    }
    return new Attempt.Done(new PodEvicted(c.pod()));
  }

  private Attempt awaitRunning(String ns, String db, Envelope envelope, AwaitPodRunning c) {
    Pod pod = client.pods().inNamespace(ns).withName(c.pod()).get();
    if (pod == null) {
      return new Attempt.NotYet("pod " + c.pod() + " is being re-created", true);
    }
    String recorded = recordedEviction(envelope.opsRequest(), c.pod());
    if (recorded != null && recorded.endsWith("/" + pod.getMetadata().getUid())) {
      return new Attempt.NotYet("the evicted pod " + c.pod() + " is still there", true);
    }
    PodHealth.Verdict health = PodHealth.of(pod, clock.instant(), stuckGrace);
    if (health.state() == PodHealth.State.STUCK) {
      throw new FatalStepException("PodStuck", health.message());
    }
    if (!c.image().equals(imageOf(pod))) {
      return new Attempt.NotYet("pod " + c.pod() + " runs " + imageOf(pod) + ", not " + c.image(), true);
    }
    return health.state() == PodHealth.State.READY ? new Attempt.Done(new PodRunning(c.pod(), c.image()))
        : new Attempt.NotYet(health.message(), true);
  }

  private Attempt updateVersion(String ns, String db, String version) {
    PerconaXtraDB database = database(ns, db);
    if (!version.equals(database.getSpec().getVersion())) {
      client.resources(PerconaXtraDB.class).inNamespace(ns).withName(db).patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"version\":\"" + version + "\"}}");
    }
    return new Attempt.Done(new DatabaseVersionUpdated(version));
  }

  private String recordedEviction(String opsRequest, String pod) {
    String ns = opsRequest.substring(0, opsRequest.indexOf('/'));
    String name = opsRequest.substring(opsRequest.indexOf('/') + 1);
    PerconaXtraDBOpsRequest o = client.resources(PerconaXtraDBOpsRequest.class).inNamespace(ns).withName(name).get();
    Map<String, String> annotations = o == null ? null : o.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(EVICTED_PREFIX + pod);
  }

  private PerconaXtraDB database(String ns, String db) {
    PerconaXtraDB database = client.resources(PerconaXtraDB.class).inNamespace(ns).withName(db).get();
    if (database == null) {
      throw new FatalStepException("DatabaseNotFound", "PerconaXtraDB " + ns + "/" + db + " does not exist");
    }
    return database;
  }

  private PetSet petSet(String ns, String db) {
    PetSet petSet = client.resources(PetSet.class).inNamespace(ns).withName(KubeDbNames.petSetName(db)).get();
    if (petSet == null) {
      throw new FatalStepException("PetSetNotFound", "PetSet " + ns + "/" + db + " does not exist");
    }
    return petSet;
  }

  private List<PodInfo> pods(String ns, String db) {
    List<PodInfo> pods = new ArrayList<>();
    for (Pod p : client.pods().inNamespace(ns).withLabels(KubeDbNames.selectorLabels(db)).list().getItems()) {
      String name = p.getMetadata().getName();
      pods.add(new PodInfo(name, Integer.parseInt(name.substring(name.lastIndexOf('-') + 1)),
          PodHealth.of(p, clock.instant(), stuckGrace).state() == PodHealth.State.READY, imageOf(p)));
    }
    pods.sort(Comparator.comparingInt(PodInfo::ordinal));
    return pods;
  }

  private static String imageOf(Pod pod) {
    return pod.getSpec().getContainers().stream().filter(c -> KubeDbNames.CONTAINER.equals(c.getName()))
        .map(Container::getImage).findFirst().orElse("");
  }
}
