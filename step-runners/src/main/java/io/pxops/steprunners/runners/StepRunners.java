package io.pxops.steprunners.runners;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pxops.events.AwaitPodRunning;
import io.pxops.events.Command;
import io.pxops.events.DatabasePaused;
import io.pxops.events.DatabaseResumed;
import io.pxops.events.DatabaseVersionUpdated;
import io.pxops.events.Envelope;
import io.pxops.events.EvictPod;
import io.pxops.events.JsonCodec;
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
import io.pxops.kubedb.Condition;
import io.pxops.kubedb.Conditions;
import io.pxops.kubedb.DatabasePauses;
import io.pxops.kubedb.DatabasePhase;
import io.pxops.kubedb.KubeDbConditions;
import io.pxops.kubedb.KubeDbNames;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.kubedb.PerconaXtraDBVersion;
import io.pxops.kubedb.PetSet;
import io.pxops.kubedb.PetSetSpec;
import io.pxops.kubedb.PodHealth;
import io.pxops.pipeline.steps.Attempt;
import io.pxops.pipeline.steps.CommandHandler;
import io.pxops.pipeline.steps.ConcurrentReads;
import io.pxops.pipeline.steps.FatalStepException;
import io.pxops.pipeline.steps.StepBlocked;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step runners: each command is answered by looking at the real state first (level-based), so a command seen
 * twice — redelivered after a crash, or retried — never does its work twice. {@link #attempt} makes one look and,
 * where needed, one action; the service calls it again while it answers {@link Attempt.NotYet}.
 *
 * <p>Before anything restarts (Preflight, and again where it matters):
 * <ol type="a">
 *   <li>A database paused by someone else (a {@code Paused} condition whose message does not name this ops request)
 *       is refused at Preflight, and again at PauseDatabase: someone paused it on purpose (a backup, maintenance),
 *       and restarting its pods under them, then resuming it at the end, would break what they are doing. pxops'
 *       own pause from an earlier attempt of the same request (a crash, a replay) names the request and is
 *       recognised as ours. (KubeDB's PR #1577 made the Ops Manager resume at the end whatever happened; here that
 *       resume is only ever of our own pause.)
 *   <li>The PetSet's {@code spec.updateStrategy.type} must be {@code OnDelete} (checked at Preflight, before the
 *       template is changed, and before every eviction): with {@code RollingUpdate} the PetSet controller would
 *       restart pods on its own as soon as the template changes, next to the ones evicted here: two nodes down.
 * </ol>
 *
 * <p>Pods are rolled by {@code EvictPod} and {@code AwaitPodRunning}, one pod at a time as the coordinator's plan
 * orders them. For each pod:
 * <ol>
 *   <li>Read the pod (KubeDB's {@code GetPod} condition).
 *   <li>A pod already on the target image and Ready is reported {@code PodAlreadyUpdated}: never restart a pod
 *       twice.
 *   <li>If this command already evicted the pod (rule 5 recorded it) and the pod now there is another one, the
 *       eviction happened: report {@code PodEvicted} again. This is what makes a runner killed between its delete
 *       and its report harmless.
 *   <li>Every OTHER pod of the PetSet, ordinals {@code 0..replicas-1}, must exist and be Ready, else the step is
 *       blocked: never two nodes down. This is the last-moment re-check of the rolling update's rule (every other
 *       node Synced and the cluster size full; docs/architecture.md, "The rolling update"): the verifier checked
 *       wsrep health on every node over JDBC just before (the previous pod's {@code VerifyPod}, or {@code VerifyCluster} for the first pod), and a pod is Ready only
 *       while its readiness probe finds its node {@code Synced} with {@code wsrep_ready=ON}, so a node cut off from
 *       the others since (non-Primary) turns its pod not Ready and blocks the eviction here.
 *   <li>Record the eviction on the ops request object, {@code pxops.io/evicted-<pod>: <command id>/<pod uid>},
 *       BEFORE acting, then evict the pod through the Eviction API (a pod already gone is fine). A refused eviction
 *       (HTTP 429: a PodDisruptionBudget allows no disruption now) is NOT done: the step is blocked, with a reason
 *       that names the budget and its numbers, and is tried again. (On main it was taken as done, and
 *       {@code AwaitPodRunning} then waited forever for a pod that was never deleted.)
 *   <li>{@code AwaitPodRunning}: wait until the pod there is a new one, on the target image, Running and Ready.
 *       Progress is a CHANGE in what the pod shows (a new pod, phase, readiness, a container's state or restart
 *       count): it moves the step's deadline. The same not-Ready state seen for {@value #STALL_PERCENT} % of the
 *       step timeout is a stall: the step fails saying what was seen and for how long. (On main any not-Ready
 *       pod counted as progress, so a pod Running but never Ready held the line forever — the "status always
 *       Running, no timeout feedback" of KubeBlocks #8663.) A state transfer longer than the step timeout shows no
 *       change in the pod: give such a request a longer {@code timeout}.
 *   <li>A pod that is stuck (a waiting reason waiting will not cure, or unschedulable past a grace) fails the
 *       step at once: a stuck pod stops the line.
 * </ol>
 *
 * <p>Every blocked step (an eviction refused, another pod not Ready, a database not Ready for {@code IfReady})
 * is retried until {@value #STALL_PERCENT} % of its timeout has passed since it was first blocked, and then fails
 * with the blocking reason — before the coordinator's own deadline, whose reason could only say "timed out".
 */
public final class StepRunners implements CommandHandler {

  /** Annotation prefix on the ops request recording evictions: {@code <command id>/<evicted pod uid>}. */
  public static final String EVICTED_PREFIX = "pxops.io/evicted-";

  /** The message of pxops' own {@code Paused} condition is this prefix and the ops request's {@code ns/name}. */
  public static final String PAUSED_BY_PXOPS_FOR = "paused by pxops for ";

  /** The share of a step's timeout a block or an unchanged not-Ready pod may last before the step fails. */
  static final int STALL_PERCENT = 80;
  private static final Duration FORGET_AFTER = Duration.ofHours(1);
  /** How often UpdatePetSet looks whether the PetSet's controller saw the new spec, and for how long that often. */
  static final Duration OBSERVE_EVERY = Duration.ofMillis(10);
  private static final Duration OBSERVE_FAST_FOR = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(StepRunners.class);

  /** A safety check said "not now": {@code reason} is the failure reason should it last. */
  private static final class Blocked extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    Blocked(String reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }

  /** When this instance first saw a command blocked, or a pod in its current state. */
  private record Since(String state, Instant since, Instant touched) {
  }

  private final KubernetesClient client;
  /** The same API, with no client-side retry: a refused eviction must come back at once, not after 10 × 10 s. */
  private final KubernetesClient evictions;
  private final Clock clock;
  private final Duration stuckGrace;
  private final EvictionListener afterEviction;
  private final Map<String, Since> blockedSince = new ConcurrentHashMap<>();
  private final Map<String, Since> podStateSince = new ConcurrentHashMap<>();

  public StepRunners(KubernetesClient client, Clock clock, Duration stuckGrace) {
    this(client, clock, stuckGrace, EvictionListener.NONE);
  }

  /**
   * @param afterEviction told of every eviction between acting and reporting it (production: nothing; a test seam)
   */
  public StepRunners(KubernetesClient client, Clock clock, Duration stuckGrace, EvictionListener afterEviction) {
    this.client = client;
    // fabric8 retries a 429 up to requestRetryBackoffLimit times, honouring the API's Retry-After (10 s for a
    // refused eviction): the answer would take 100 s and hold one of the service's few attempt threads
    this.evictions = client.newClient(new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
        .withRequestRetryBackoffLimit(0).build()).adapt(KubernetesClient.class);
    this.clock = clock;
    this.stuckGrace = stuckGrace;
    this.afterEviction = afterEviction;
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
    Instant now = clock.instant();
    blockedSince.values().removeIf(b -> b.touched().isBefore(now.minus(FORGET_AFTER)));
    podStateSince.values().removeIf(b -> b.touched().isBefore(now.minus(FORGET_AFTER)));
    Command command = (Command) envelope.payload();
    try {
      Attempt a = look(envelope);
      blockedSince.remove(envelope.eventId());
      if (a instanceof Attempt.Done) {
        podStateSince.remove(envelope.eventId());
      }
      return a;
    } catch (Blocked b) {
      Since first = blockedSince.merge(envelope.eventId(), new Since(b.reason, now, now),
          (old, fresh) -> new Since(old.state(), old.since(), now));
      Duration blocked = Duration.between(first.since(), now);
      if (stalled(blocked, command.timeout())) {
        blockedSince.remove(envelope.eventId());
        throw new FatalStepException(b.reason, b.getMessage() + " (blocked for " + blocked.toSeconds()
            + " s of the step's " + command.timeout().toSeconds() + " s timeout)");
      }
      throw new StepBlocked(b.getMessage());
    }
  }

  /** Whether {@code lasted} is at least {@value #STALL_PERCENT} % of {@code timeout}. */
  private static boolean stalled(Duration lasted, Duration timeout) {
    return lasted.toMillis() * 100 >= timeout.toMillis() * STALL_PERCENT;
  }

  private Attempt look(Envelope envelope) {
    String ns = envelope.database().substring(0, envelope.database().indexOf('/'));
    String db = envelope.database().substring(envelope.database().indexOf('/') + 1);
    Object command = envelope.payload();
    if (command instanceof RunPreflight c) {
      return preflight(ns, db, envelope.opsRequest(), c);
    } else if (command instanceof PauseDatabase) {
      return pause(ns, db, envelope.opsRequest());
    } else if (command instanceof UpdatePetSet c) {
      return updatePetSet(ns, db, envelope, c);
    } else if (command instanceof EvictPod c) {
      return evict(ns, db, envelope, c);
    } else if (command instanceof AwaitPodRunning c) {
      return awaitRunning(ns, db, envelope, c);
    } else if (command instanceof UpdateDatabaseVersion c) {
      return updateVersion(ns, db, c.version());
    } else if (command instanceof ResumeDatabase) {
      return resume(ns, db, envelope.opsRequest());
    }
    throw new FatalStepException("UnsupportedCommand", envelope.type() + " is not a step runner's command");
  }

  private Attempt preflight(String ns, String db, String opsRequest, RunPreflight c) {
    // the three reads side by side (ConcurrentReads): the checks below still run in this order
    CompletableFuture<PetSet> petSetRead = ConcurrentReads.start(() -> petSet(ns, db));
    CompletableFuture<List<PodInfo>> podsRead = ConcurrentReads.start(() -> pods(ns, db));
    PerconaXtraDB database = database(ns, db);
    refuseOthersPause(database, opsRequest);
    // a corrective run (a replay, apply: Always) may be what repairs a database that is not Ready: it must not wait
    if (!c.corrective() && c.spec().apply() == io.pxops.events.ApplyPolicy.IF_READY
        && (database.getStatus() == null || !DatabasePhase.READY.equals(database.getStatus().getPhase()))) {
      throw new Blocked("DatabaseNotReady", "database " + ns + "/" + db + " is "
          + (database.getStatus() == null ? "not yet reported" : database.getStatus().getPhase())
          + ", and the request applies IfReady");
    }
    requireOnDelete(ConcurrentReads.join(petSetRead));
    List<PodInfo> pods = ConcurrentReads.join(podsRead);
    if (!c.corrective() && pods.stream().anyMatch(p -> !p.ready())) {
      throw new Blocked("PodNotReady", "not every pod of " + ns + "/" + db + " is Ready: "
          + pods.stream().filter(p -> !p.ready()).map(PodInfo::name).toList());
    }
    return new Attempt.Done(new PreflightPassed(database.getSpec().getVersion(),
        database.getSpec().replicasOrDefault(), pods));
  }

  private Attempt pause(String ns, String db, String opsRequest) {
    // pausing a paused database changes nothing and returns it as found: the Preflight's check again on what the
    // write found or made, as someone may have paused it since
    PerconaXtraDB written = DatabasePauses.pause(client, ns, db, PAUSED_BY_PXOPS_FOR + opsRequest);
    refuseOthersPause(written, opsRequest);
    // KubeDB's changelog: "Confirm the db has been paused before ops continue" — the object the API server stored
    // (the write's answer, or the read that found it paused) must show it
    return KubeDbConditions.isPaused(written) ? new Attempt.Done(new DatabasePaused())
        : new Attempt.NotYet("the Paused condition is not visible yet", false);
  }

  /** Removes the {@code Paused} condition if it is this request's own; someone else's pause is theirs to lift. */
  private Attempt resume(String ns, String db, String opsRequest) {
    PerconaXtraDB database = database(ns, db);
    Optional<Condition> paused = pausedCondition(database);
    if (paused.isPresent() && !pausedBy(paused.get(), opsRequest)) {
      LOG.warn("{}/{} is paused by someone else ({}): left paused", ns, db, paused.get().getMessage());
    } else {
      DatabasePauses.resume(client, database);
    }
    return new Attempt.Done(new DatabaseResumed());
  }

  private static Optional<Condition> pausedCondition(PerconaXtraDB database) {
    return database.getStatus() == null ? Optional.empty()
        : Conditions.find(database.getStatus().getConditions(), KubeDbConditions.PAUSED)
            .filter(c -> Condition.TRUE.equals(c.getStatus()));
  }

  private static boolean pausedBy(Condition paused, String opsRequest) {
    return (PAUSED_BY_PXOPS_FOR + opsRequest).equals(paused.getMessage());
  }

  /** A database paused by anyone but this request is not ours to restart (see the class comment, a). */
  private static void refuseOthersPause(PerconaXtraDB database, String opsRequest) {
    Optional<Condition> paused = pausedCondition(database);
    if (paused.isPresent() && !pausedBy(paused.get(), opsRequest)) {
      Condition c = paused.get();
      throw new FatalStepException("DatabasePausedByOthers", "PerconaXtraDB " + database.getMetadata().getNamespace()
          + "/" + database.getMetadata().getName() + " has the condition Paused=True (reason " + c.getReason()
          + ", message \"" + c.getMessage() + "\", since " + c.getLastTransitionTime() + ") set by someone other"
          + " than " + opsRequest + ": an update would restart its pods under whoever paused it and resume it at"
          + " the end; resume the database first, or wait until they do");
    }
  }

  /** The class comment's rule b: only an OnDelete PetSet leaves the restarts to us. */
  private static void requireOnDelete(PetSet petSet) {
    String type = petSet.getSpec() == null || petSet.getSpec().getUpdateStrategy() == null ? null
        : petSet.getSpec().getUpdateStrategy().getType();
    if (!PetSetSpec.ON_DELETE.equals(type)) {
      throw new FatalStepException("UpdateStrategyNotOnDelete", "PetSet " + petSet.getMetadata().getNamespace()
          + "/" + petSet.getMetadata().getName() + " has spec.updateStrategy.type "
          + (type == null ? "unset (RollingUpdate by default)" : type) + ", not OnDelete: its controller would"
          + " restart pods by itself once the template changes, next to the ones pxops restarts (two nodes down)");
    }
  }

  private Attempt updatePetSet(String ns, String db, Envelope envelope, UpdatePetSet c) {
    String targetVersion = c.targetVersion();
    // the catalog entry, the PetSet and the pods side by side: the pods are the answer's once the controller has
    // observed the new spec (OnDelete: the spec changes no pod), one round trip fewer than reading them after
    CompletableFuture<PetSet> petSetRead = ConcurrentReads.start(() -> petSet(ns, db));
    CompletableFuture<List<PodInfo>> podsRead = ConcurrentReads.start(() -> pods(ns, db));
    PerconaXtraDBVersion entry = client.resources(PerconaXtraDBVersion.class).withName(targetVersion).get();
    if (entry == null || entry.getSpec() == null || entry.getSpec().getDb() == null) {
      throw new FatalStepException("TargetVersionNotFound", "catalog entry " + targetVersion + " has no image");
    }
    String image = entry.getSpec().getDb().getImage();
    PetSet petSet = ConcurrentReads.join(petSetRead);
    requireOnDelete(petSet); // again: changing the template of a RollingUpdate PetSet is what restarts its pods
    List<Container> containers = petSet.getSpec().getTemplate().getSpec().getContainers();
    PetSet written = petSet;
    for (int i = 0; i < containers.size(); i++) {
      if (KubeDbNames.CONTAINER.equals(containers.get(i).getName()) && !image.equals(containers.get(i).getImage())) {
        // OnDelete: changing the template restarts nothing; pods pick it up only when deleted
        written = client.resources(PetSet.class).resource(petSet).patch(PatchContext.of(PatchType.JSON),
            "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/" + i + "/image\",\"value\":\""
                + image + "\"}]");
      }
    }
    // The PetSet controller makes a deleted pod again from ITS copy of the PetSet (an informer cache): evicted before
    // that copy has the new template, the pod comes back on the old image, and the update waits on it until the step
    // fails. So the step ends only once the controller has observed this generation of the PetSet.
    // A controller takes milliseconds: for the first 2 s the service looks again every 10 ms (its scheduler, no
    // thread waits), then at its recheck; a GET, which the runners may do anyway, where a watch would need a
    // permission used only when the controller lags. A controller that never catches up fails the step (notYet).
    // on the PetSet as read at the start of this look, or as the patch left it: no second read
    Optional<String> behind = notObserved(written);
    if (behind.isPresent()) {
      Attempt waiting = notYet(envelope, c.timeout(), "PetSetNotObserved", behind.get(), behind.get());
      Since since = podStateSince.get(envelope.eventId());
      boolean fresh = since == null || Duration.between(since.since(), clock.instant()).compareTo(OBSERVE_FAST_FOR) < 0;
      return fresh && waiting instanceof Attempt.NotYet n ? new Attempt.NotYet(n.detail(), n.progress(), OBSERVE_EVERY)
          : waiting;
    }
    return new Attempt.Done(new PetSetUpdated(image, ConcurrentReads.join(podsRead)));
  }

  private Attempt evict(String ns, String db, Envelope envelope, EvictPod c) {
    // Three reads side by side instead of six in a row (ConcurrentReads): this step sits between a node's verdict
    // and the next node's stop, on the update's critical path. The pod comes from the list of the database's pods
    // the last-moment check needs anyway; the checks and the writes below keep their order.
    CompletableFuture<PetSet> petSetRead = ConcurrentReads.start(() -> petSet(ns, db));
    CompletableFuture<List<Pod>> podsRead = ConcurrentReads.start(() -> client.pods().inNamespace(ns)
        .withLabels(KubeDbNames.selectorLabels(db)).list().getItems());
    PerconaXtraDBOpsRequest opsRequest = opsRequest(envelope.opsRequest());
    Map<String, Pod> others = new TreeMap<>();
    for (Pod listed : ConcurrentReads.join(podsRead)) {
      others.put(listed.getMetadata().getName(), listed);
    }
    // a pod that lost the database's labels is still the pod of that name: read it by name, as before
    Pod pod = others.containsKey(c.pod()) ? others.get(c.pod())
        : client.pods().inNamespace(ns).withName(c.pod()).get();
    String recorded = recordedEviction(opsRequest, c.pod());
    String commandId = envelope.eventId();
    if (recorded != null && recorded.startsWith(commandId + "/")) {
      String evictedUid = recorded.substring(commandId.length() + 1);
      if (pod == null || !evictedUid.equals(pod.getMetadata().getUid())) {
        return new Attempt.Done(new PodEvicted(c.pod()));
      }
    }
    if (pod == null) {
      // not progress by itself: a pod its PetSet never re-creates must fail the step, not hold it open for good
      return notYet(envelope, c.timeout(), "PodMissing", "pod " + c.pod() + " does not exist (not re-created by"
          + " its PetSet yet)", "absent");
    }
    PodHealth.Verdict health = PodHealth.of(pod, clock.instant(), stuckGrace);
    if (c.image().equals(imageOf(pod)) && health.state() == PodHealth.State.READY) {
      return new Attempt.Done(new PodAlreadyUpdated(c.pod(), c.image()));
    }
    PetSet petSet = ConcurrentReads.join(petSetRead);
    requireOnDelete(petSet);
    for (int i = 0; i < petSet.getSpec().replicasOrDefault(); i++) {
      String name = KubeDbNames.podName(db, i);
      if (name.equals(c.pod())) {
        continue;
      }
      Pod other = others.get(name);
      if (other == null) {
        throw new Blocked("ClusterNotFull", "pod " + name + " does not exist: evicting " + c.pod()
            + " now would leave the cluster two nodes short");
      }
      PodHealth.Verdict otherHealth = PodHealth.of(other, clock.instant(), stuckGrace);
      if (otherHealth.state() != PodHealth.State.READY) {
        throw new Blocked("PodNotReady", "pod " + name + " is not Ready (" + describe(other) + "): evicting "
            + c.pod() + " now would take a second node down");
      }
    }
    if (opsRequest == null) {
      throw new FatalStepException("OpsRequestNotFound", "PerconaXtraDBOpsRequest " + envelope.opsRequest()
          + " does not exist: nowhere to record the eviction before making it");
    }
    // every write goes through the object in hand: a patch by name first GETs the object again (fabric8 7 reads it
    // for its name), one API call more ahead of each eviction
    client.resources(PerconaXtraDBOpsRequest.class).resource(opsRequest)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"" + EVICTED_PREFIX
            + c.pod() + "\":\"" + commandId + "/" + pod.getMetadata().getUid() + "\"}}}");
    // fabric8 answers a refused eviction (HTTP 429) with false: not done, blocked
    if (!evictions.pods().inNamespace(ns).withName(c.pod()).evict()) {
      throw new Blocked("EvictionRefused", refusal(ns, pod));
    }
    afterEviction.evicted(envelope, c.pod());
    return new Attempt.Done(new PodEvicted(c.pod()));
  }

  /**
   * Why the API refused to evict {@code pod}: the PodDisruptionBudgets that select it, with their numbers (the
   * disruption controller keeps them in the budget's status).
   */
  private String refusal(String ns, Pod pod) {
    String name = pod.getMetadata().getName();
    List<String> budgets = new ArrayList<>();
    for (PodDisruptionBudget pdb : client.resources(PodDisruptionBudget.class).inNamespace(ns).list().getItems()) {
      if (pdb.getSpec() != null && selects(pdb.getSpec().getSelector(), pod)) {
        var spec = pdb.getSpec();
        var status = pdb.getStatus();
        budgets.add("PodDisruptionBudget " + pdb.getMetadata().getName() + " ("
            + (spec.getMinAvailable() != null ? "minAvailable " + intOrString(spec.getMinAvailable())
                : "maxUnavailable " + intOrString(spec.getMaxUnavailable()))
            + (status == null ? ", no status yet" : ", " + status.getCurrentHealthy() + " healthy of "
                + status.getExpectedPods() + " expected, " + status.getDesiredHealthy() + " needed, disruptions"
                + " allowed " + status.getDisruptionsAllowed())
            + ")");
      }
    }
    return budgets.isEmpty() ? "eviction of " + name + " refused by the API server (HTTP 429), and no"
        + " PodDisruptionBudget selects it"
        : "eviction of " + name + " refused by " + String.join(" and ", budgets);
  }

  private static String intOrString(IntOrString v) {
    return v.getIntVal() != null ? String.valueOf(v.getIntVal()) : v.getStrVal();
  }

  /** A {@code policy/v1} budget's selector: empty selects every pod of the namespace, none selects nothing. */
  static boolean selects(LabelSelector selector, Pod pod) {
    if (selector == null) {
      return false;
    }
    Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    if (selector.getMatchLabels() != null && !selector.getMatchLabels().entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
      return false;
    }
    for (LabelSelectorRequirement r : selector.getMatchExpressions() == null ? List.<LabelSelectorRequirement>of()
        : selector.getMatchExpressions()) {
      String value = labels.get(r.getKey());
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      boolean ok = switch (r.getOperator()) {
        case "In" -> value != null && values.contains(value);
        case "NotIn" -> value == null || !values.contains(value);
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private Attempt awaitRunning(String ns, String db, Envelope envelope, AwaitPodRunning c) {
    // the pod and the ops request side by side: the look that sees the new pod Ready is on the critical path
    CompletableFuture<PerconaXtraDBOpsRequest> opsRequestRead = ConcurrentReads.start(
        () -> opsRequest(envelope.opsRequest()));
    Pod pod = client.pods().inNamespace(ns).withName(c.pod()).get();
    if (pod == null) {
      return notYet(envelope, c.timeout(), "PodNotReady", "pod " + c.pod() + " is being re-created", "absent");
    }
    String recorded = recordedEviction(ConcurrentReads.join(opsRequestRead), c.pod());
    if (recorded != null && recorded.endsWith("/" + pod.getMetadata().getUid())) {
      return notYet(envelope, c.timeout(), "PodNotReady", "the evicted pod " + c.pod() + " is still there", "old " + describe(pod));
    }
    PodHealth.Verdict health = PodHealth.of(pod, clock.instant(), stuckGrace);
    if (health.state() == PodHealth.State.STUCK) {
      throw new FatalStepException("PodStuck", health.message());
    }
    if (!c.image().equals(imageOf(pod))) {
      return notYet(envelope, c.timeout(), "PodNotReady", "pod " + c.pod() + " runs " + imageOf(pod) + ", not " + c.image(),
          pod.getMetadata().getUid() + " " + imageOf(pod));
    }
    return health.state() == PodHealth.State.READY ? new Attempt.Done(new PodRunning(c.pod(), c.image()))
        : notYet(envelope, c.timeout(), "PodNotReady", "pod " + c.pod() + " is " + describe(pod),
            pod.getMetadata().getUid() + " " + describe(pod));
  }

  /**
   * Not yet: progress when {@code state} differs from the last one seen for this command, a stall when it does
   * not; a stall that lasted {@value #STALL_PERCENT} % of the step timeout fails the step with what was seen.
   */
  private Attempt notYet(Envelope envelope, Duration timeout, String reason, String detail, String state) {
    Instant now = clock.instant();
    Since last = podStateSince.get(envelope.eventId());
    if (last == null || !last.state().equals(state)) {
      podStateSince.put(envelope.eventId(), new Since(state, now, now));
      return new Attempt.NotYet(detail, true);
    }
    podStateSince.put(envelope.eventId(), new Since(state, last.since(), now));
    Duration unchanged = Duration.between(last.since(), now);
    if (stalled(unchanged, timeout)) {
      podStateSince.remove(envelope.eventId());
      throw new FatalStepException(reason, detail + ", unchanged for " + unchanged.toSeconds()
          + " s (the step's timeout is " + timeout.toSeconds() + " s)");
    }
    return new Attempt.NotYet(detail + " (unchanged for " + unchanged.toSeconds() + " s)", false);
  }

  /** What a pod's status shows: phase, readiness, and each container's state, readiness and restarts. */
  static String describe(Pod pod) {
    var status = pod.getStatus();
    if (status == null) {
      return "without a status";
    }
    boolean ready = status.getConditions() != null && status.getConditions().stream()
        .anyMatch(x -> "Ready".equals(x.getType()) && "True".equals(x.getStatus()));
    StringBuilder s = new StringBuilder().append(status.getPhase()).append(ready ? ", Ready" : ", not Ready");
    List<String> containers = new ArrayList<>();
    for (ContainerStatus cs : status.getContainerStatuses() == null ? List.<ContainerStatus>of()
        : status.getContainerStatuses()) {
      ContainerState st = cs.getState();
      String state = st == null ? "no state"
          : st.getRunning() != null ? "running"
          : st.getWaiting() != null ? "waiting (" + st.getWaiting().getReason() + ")"
          : st.getTerminated() != null ? "terminated (" + st.getTerminated().getReason() + ")" : "no state";
      containers.add(cs.getName() + " " + state + (Boolean.TRUE.equals(cs.getReady()) ? ", ready" : ", not ready")
          + ", " + cs.getRestartCount() + " restarts");
    }
    return containers.isEmpty() ? s.toString() : s.append("; containers: ").append(String.join("; ", containers))
        .toString();
  }

  private Attempt updateVersion(String ns, String db, String version) {
    // One write and no read: a merge patch of spec.version leaves the object as wanted whatever it held (the same
    // version again changes nothing), so reading it first was one more API call between the last pod's verdict and
    // the end of the update. The patch goes through an object naming the database: by name, fabric8 GETs it first.
    PerconaXtraDB named = new PerconaXtraDB();
    named.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace(ns).withName(db).build());
    com.fasterxml.jackson.databind.node.ObjectNode patch = JsonCodec.shared().mapper().createObjectNode();
    patch.putObject("spec").put("version", version);
    try {
      client.resources(PerconaXtraDB.class).resource(named).patch(PatchContext.of(PatchType.JSON_MERGE),
          patch.toString());
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      if (e.getCode() == 404) {
        throw new FatalStepException("DatabaseNotFound", "PerconaXtraDB " + ns + "/" + db + " does not exist");
      }
      throw e;
    }
    return new Attempt.Done(new DatabaseVersionUpdated(version));
  }

  private static String recordedEviction(PerconaXtraDBOpsRequest o, String pod) {
    Map<String, String> annotations = o == null ? null : o.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(EVICTED_PREFIX + pod);
  }

  /** The ops request {@code namespace/name}, or null. */
  private PerconaXtraDBOpsRequest opsRequest(String opsRequest) {
    String ns = opsRequest.substring(0, opsRequest.indexOf('/'));
    String name = opsRequest.substring(opsRequest.indexOf('/') + 1);
    return client.resources(PerconaXtraDBOpsRequest.class).inNamespace(ns).withName(name).get();
  }

  private PerconaXtraDB database(String ns, String db) {
    PerconaXtraDB database = client.resources(PerconaXtraDB.class).inNamespace(ns).withName(db).get();
    if (database == null) {
      throw new FatalStepException("DatabaseNotFound", "PerconaXtraDB " + ns + "/" + db + " does not exist");
    }
    return database;
  }

  /** Why the PetSet's controller has not yet seen its newest spec, or empty when it has. */
  private static Optional<String> notObserved(PetSet ps) {
    Long generation = ps.getMetadata().getGeneration();
    Long observed = ps.getStatus() == null ? null : ps.getStatus().getObservedGeneration();
    if (generation == null || (observed != null && observed >= generation)) {
      return Optional.empty();
    }
    return Optional.of("the PetSet controller has not yet observed generation " + generation + " of PetSet "
        + ps.getMetadata().getNamespace() + "/" + ps.getMetadata().getName() + " (it is at " + observed
        + "): a pod evicted now would come back from the old template");
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
