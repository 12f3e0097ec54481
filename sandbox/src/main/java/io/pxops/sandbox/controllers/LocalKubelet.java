package io.pxops.sandbox.controllers;

import static io.pxops.sandbox.controllers.ClusterInformers.controllerOf;
import static io.pxops.sandbox.controllers.ClusterInformers.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.pxops.kubedb.Condition;
import io.pxops.kubedb.KubeDbNames;
import io.pxops.kubedb.PetSet;
import io.pxops.kubedb.StatusPatches;
import io.pxops.sandbox.runtime.PodIdentity;
import io.pxops.sandbox.runtime.PodProcessState;
import io.pxops.sandbox.runtime.PodProcessState.Phase;
import io.pxops.sandbox.runtime.PodRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local kubelet: runs the pods of PetSets through a {@link PodRuntime} and reports them in the pods' status.
 *
 * <ul>
 *   <li>A new pod (one with a PetSet controller owner reference; other pods are not run) gets its address from
 *       {@link PodNetwork}, its peers' addresses (all replicas of its PetSet), and its root password from the
 *       container's {@code MYSQL_ROOT_PASSWORD} env var (a literal or a Secret key reference, resolved as a kubelet
 *       does; while the Secret is missing the container waits with {@code CreateContainerConfigError}); then
 *       {@link PodRuntime#ensureRunning} is called with the {@code perconaxtradb} container's image (or the first
 *       container's).</li>
 *   <li>Every poll interval, and at once when the runtime reports a process's phase change, each pod's
 *       {@link PodRuntime#state} is mapped onto the pod's status and written (a JSON
 *       patch replacing {@code pods/status}) when it differs from what the API shows: phase {@code Pending} until
 *       the process starts ({@code Pending} too while the image cannot be pulled), then {@code Running};
 *       {@code podIP}/{@code podIPs}; the container status (image, ready, started, restartCount, and state
 *       {@code waiting} with the runtime's reason such as {@code ImagePullBackOff} or {@code CrashLoopBackOff},
 *       {@code running}, or {@code terminated}); conditions {@code PodScheduled}, {@code Initialized},
 *       {@code ContainersReady}, {@code Ready}, each with its own {@code lastTransitionTime}.</li>
 *   <li>A process that stopped while its pod still exists is started again (restartCount + 1), as a kubelet
 *       restarts containers of {@code restartPolicy: Always} pods.</li>
 *   <li>A deleted pod's process is stopped ({@link PodRuntime#stop}, graceful). All runtime calls for one pod run in
 *       order on a lane of their own, so a pod deleted and re-created under the same name is stopped before its
 *       successor starts, and a slow stop never holds up other pods.</li>
 * </ul>
 */
public final class LocalKubelet implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalKubelet.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOST_IP = "127.0.0.1";

  private final KubernetesClient client;
  private final ClusterInformers informers;
  private final PodRuntime runtime;
  private final PodNetwork network;
  private final Map<String, TrackedPod> pods = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> lanes = new ConcurrentHashMap<>();
  private final ExecutorService workers;
  private final ScheduledExecutorService poller;
  private final AtomicBoolean refreshQueued = new AtomicBoolean();

  /** What the kubelet knows about one pod (one uid). */
  private static final class TrackedPod {
    final String key;
    final String uid;
    final String startTime = Condition.now();
    final AtomicBoolean startQueued = new AtomicBoolean();
    final AtomicInteger restarts = new AtomicInteger();
    volatile PodIdentity identity;
    volatile String image;
    volatile String containerName;
    volatile String runningSince;
    volatile String waitingReason = "ContainerCreating";
    volatile String waitingMessage;

    TrackedPod(String key, String uid) {
      this.key = key;
      this.uid = uid;
    }
  }

  LocalKubelet(KubernetesClient client, ClusterInformers informers, PodRuntime runtime, PodNetwork network,
      Duration pollInterval) {
    this.client = client;
    this.informers = informers;
    this.runtime = runtime;
    this.network = network;
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "local-kubelet-pod-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "local-kubelet-status");
      t.setDaemon(true);
      return t;
    });
    informers.pods.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        observe(pod);
      }

      @Override
      public void onUpdate(Pod oldPod, Pod newPod) {
        observe(newPod);
      }

      @Override
      public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
        forget(pod);
      }
    });
    poller.scheduleWithFixedDelay(this::pollAll, pollInterval.toMillis(), pollInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    // a process turning Ready (or stopping) is reported at once, not up to a poll interval later: the update's
    // restarts are timed from the node's own Synced, and a late Ready would be counted as pxops's time
    runtime.onPhaseChange(pod -> {
      if (refreshQueued.compareAndSet(false, true)) {
        try {
          poller.execute(() -> {
            refreshQueued.set(false);
            pollAll();
          });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
          refreshQueued.set(false);
        }
      }
    });
  }

  private void observe(Pod pod) {
    if (controllerOf(pod, "PetSet") == null || pod.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    String key = key(pod);
    String uid = pod.getMetadata().getUid();
    TrackedPod current = pods.get(key);
    if (current != null && current.uid.equals(uid)) {
      return;
    }
    TrackedPod tracked = new TrackedPod(key, uid);
    pods.put(key, tracked);
    if (current != null && current.identity != null) {
      PodIdentity old = current.identity;
      inLane(key, () -> runtime.stop(old));
    }
    queueStart(tracked);
  }

  private void forget(Pod pod) {
    String key = key(pod);
    TrackedPod tracked = pods.get(key);
    if (tracked == null || !tracked.uid.equals(pod.getMetadata().getUid())) {
      return;
    }
    pods.remove(key, tracked);
    inLane(key, () -> {
      PodIdentity identity = tracked.identity;
      if (identity != null) {
        LOG.info("pod {} deleted: stopping its process", key);
        runtime.stop(identity);
      }
    });
  }

  private void queueStart(TrackedPod tracked) {
    if (tracked.startQueued.compareAndSet(false, true)) {
      inLane(tracked.key, () -> {
        try {
          start(tracked);
        } finally {
          tracked.startQueued.set(false);
        }
      });
    }
  }

  /** Runs {@code task} after every earlier task of the same pod. */
  private void inLane(String key, Runnable task) {
    lanes.compute(key, (k, previous) -> {
      CompletableFuture<Void> before = previous == null ? CompletableFuture.completedFuture(null) : previous;
      CompletableFuture<Void> next = before.thenRunAsync(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.warn("pod {}: runtime call failed", k, e);
        }
      }, workers);
      next.whenComplete((v, e) -> lanes.remove(k, next));
      return next;
    });
  }

  private void start(TrackedPod tracked) {
    if (pods.get(tracked.key) != tracked || tracked.identity != null) {
      return;
    }
    Pod pod = informers.pods.getIndexer().getByKey(tracked.key);
    if (pod == null || !tracked.uid.equals(pod.getMetadata().getUid())) {
      return;
    }
    OwnerReference owner = controllerOf(pod, "PetSet");
    String namespace = pod.getMetadata().getNamespace();
    String podName = pod.getMetadata().getName();
    int ordinal = KubeDbNames.ordinalOf(podName);
    Container container = databaseContainer(pod);
    if (owner == null || ordinal < 0 || container == null) {
      tracked.waitingReason = "CreateContainerError";
      tracked.waitingMessage = "not a PetSet pod with a container";
      return;
    }
    tracked.containerName = container.getName();
    tracked.image = container.getImage();
    String password;
    try {
      password = rootPassword(namespace, container);
    } catch (IllegalStateException e) {
      tracked.waitingReason = "CreateContainerConfigError";
      tracked.waitingMessage = e.getMessage();
      return;
    }
    PetSet set = informers.petSets.getIndexer().getByKey(key(namespace, owner.getName()));
    int replicas = set == null || set.getSpec() == null ? ordinal + 1 : set.getSpec().replicasOrDefault();
    Map<String, String> labels = pod.getMetadata().getLabels();
    String database = labels != null && labels.get(KubeDbNames.LABEL_INSTANCE) != null
        ? labels.get(KubeDbNames.LABEL_INSTANCE) : owner.getName();
    PodIdentity identity = new PodIdentity(namespace, database, podName, ordinal,
        network.addressOf(namespace, owner.getName(), ordinal),
        network.addressesOf(namespace, owner.getName(), Math.max(replicas, ordinal + 1)), password);
    LOG.info("pod {}: starting {} at {}", tracked.key, tracked.image, identity.podIp());
    runtime.ensureRunning(identity, tracked.image);
    tracked.runningSince = Condition.now();
    tracked.identity = identity;
  }

  private static Container databaseContainer(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null || pod.getSpec().getContainers().isEmpty()) {
      return null;
    }
    for (Container c : pod.getSpec().getContainers()) {
      if (KubeDbNames.CONTAINER.equals(c.getName())) {
        return c;
      }
    }
    return pod.getSpec().getContainers().get(0);
  }

  /** {@code MYSQL_ROOT_PASSWORD} of the container, resolved as a kubelet resolves env vars; "" when unset. */
  private String rootPassword(String namespace, Container container) {
    if (container.getEnv() == null) {
      return "";
    }
    for (EnvVar env : container.getEnv()) {
      if (!"MYSQL_ROOT_PASSWORD".equals(env.getName())) {
        continue;
      }
      if (env.getValue() != null) {
        return env.getValue();
      }
      SecretKeySelector ref = env.getValueFrom() == null ? null : env.getValueFrom().getSecretKeyRef();
      if (ref == null) {
        return "";
      }
      Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
      String value = null;
      if (secret != null && secret.getData() != null && secret.getData().get(ref.getKey()) != null) {
        value = new String(Base64.getDecoder().decode(secret.getData().get(ref.getKey())), StandardCharsets.UTF_8);
      } else if (secret != null && secret.getStringData() != null) {
        value = secret.getStringData().get(ref.getKey());
      }
      if (value == null) {
        throw new IllegalStateException("secret \"" + ref.getName() + "\" not found or has no key \""
            + ref.getKey() + "\"");
      }
      return value;
    }
    return "";
  }

  private void pollAll() {
    for (TrackedPod tracked : pods.values()) {
      try {
        poll(tracked);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          LOG.warn("pod {}: status update failed (HTTP {}): {}", tracked.key, e.getCode(), e.getMessage());
        }
      } catch (RuntimeException e) {
        LOG.warn("pod {}: status update failed", tracked.key, e);
      }
    }
  }

  private void poll(TrackedPod tracked) {
    PodIdentity identity = tracked.identity;
    PodProcessState state = identity == null ? PodProcessState.notStarted() : runtime.state(identity);
    if (identity == null) {
      queueStart(tracked);
    } else if (state.phase() == Phase.STOPPED && pods.get(tracked.key) == tracked && !tracked.startQueued.get()) {
      int restarts = tracked.restarts.incrementAndGet();
      LOG.info("pod {}: process stopped, restarting it (restart {})", tracked.key, restarts);
      tracked.startQueued.set(true);
      inLane(tracked.key, () -> {
        try {
          runtime.ensureRunning(identity, tracked.image);
          tracked.runningSince = Condition.now();
        } finally {
          tracked.startQueued.set(false);
        }
      });
    }
    Pod pod = informers.pods.getIndexer().getByKey(tracked.key);
    if (pod == null || !tracked.uid.equals(pod.getMetadata().getUid()) || pods.get(tracked.key) != tracked) {
      return;
    }
    PodStatus desired = statusFor(tracked, state, pod.getStatus());
    JsonNode desiredJson = JSON.valueToTree(desired);
    JsonNode currentJson = pod.getStatus() == null ? null : JSON.valueToTree(pod.getStatus());
    if (desiredJson.equals(currentJson)) {
      return;
    }
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), StatusPatches.replaceStatus(null, desired));
  }

  private PodStatus statusFor(TrackedPod tracked, PodProcessState state, PodStatus current) {
    boolean started = tracked.identity != null;
    boolean ready = state.phase() == Phase.READY;
    boolean running = state.phase() == Phase.STARTING || state.phase() == Phase.READY;
    String reason = state.reason();
    boolean pullFailure = state.phase() == Phase.STUCK
        && ("ImagePullBackOff".equals(reason) || "ErrImagePull".equals(reason) || "InvalidImageName".equals(reason));
    String phase = !started || pullFailure ? "Pending" : "Running";

    ContainerState containerState;
    if (running) {
      containerState = new ContainerStateBuilder().withNewRunning().withStartedAt(tracked.runningSince)
          .endRunning().build();
    } else if (state.phase() == Phase.STUCK) {
      containerState = new ContainerStateBuilder().withNewWaiting().withReason(reason == null ? "Error" : reason)
          .withMessage(state.message()).endWaiting().build();
    } else if (state.phase() == Phase.STOPPED) {
      containerState = new ContainerStateBuilder().withNewTerminated().withReason("Error").withExitCode(1)
          .withMessage(state.message()).endTerminated().build();
    } else {
      containerState = new ContainerStateBuilder().withNewWaiting().withReason(tracked.waitingReason)
          .withMessage(tracked.waitingMessage).endWaiting().build();
    }
    String containerName = tracked.containerName == null ? KubeDbNames.CONTAINER : tracked.containerName;
    ContainerStatus containerStatus = new ContainerStatusBuilder()
        .withName(containerName)
        .withImage(tracked.image)
        .withImageID(running ? "local://" + tracked.image : "")
        .withReady(ready)
        .withStarted(running)
        .withRestartCount(tracked.restarts.get())
        .withState(containerState)
        .build();
    String notReady = "containers with unready status: [" + containerName + "]";
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(condition(current, "PodScheduled", true, null, null));
    conditions.add(condition(current, "Initialized", true, null, null));
    conditions.add(condition(current, "ContainersReady", ready, ready ? null : "ContainersNotReady",
        ready ? null : notReady));
    conditions.add(condition(current, "Ready", ready, ready ? null : "ContainersNotReady", ready ? null : notReady));
    PodStatusBuilder status = new PodStatusBuilder()
        .withPhase(phase)
        .withHostIP(HOST_IP)
        .withStartTime(tracked.startTime)
        .withConditions(conditions)
        .withContainerStatuses(containerStatus)
        .withQosClass("BestEffort");
    if (started) {
      status.withPodIP(tracked.identity.podIp())
          .withPodIPs(new PodIPBuilder().withIp(tracked.identity.podIp()).build());
    }
    return status.build();
  }

  /** A pod condition; its lastTransitionTime is kept from {@code current} while its status holds. */
  private static PodCondition condition(PodStatus current, String type, boolean value, String reason,
      String message) {
    String status = value ? "True" : "False";
    String since = Condition.now();
    if (current != null && current.getConditions() != null) {
      for (PodCondition c : current.getConditions()) {
        if (type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
          since = c.getLastTransitionTime();
        }
      }
    }
    return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastTransitionTime(since).build();
  }

  @Override
  public void close() {
    poller.shutdownNow();
    CompletableFuture<?>[] inFlight = lanes.values().toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(inFlight).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("local kubelet: pod runtime calls still running at close", e);
    }
    workers.shutdownNow();
    try {
      poller.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
