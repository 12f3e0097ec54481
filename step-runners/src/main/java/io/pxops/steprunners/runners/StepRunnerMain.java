package io.pxops.steprunners.runners;

import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pxops.events.GroupIds;
import io.pxops.kubedb.KubeDbNames;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.kubedb.PerconaXtraDBVersion;
import io.pxops.kubedb.PetSet;
import io.pxops.pipeline.ConfigOrExit;
import io.pxops.pipeline.KubernetesWarmUp;
import io.pxops.pipeline.UntilStopped;
import io.pxops.pipeline.health.HealthServer;
import io.pxops.pipeline.health.KafkaReachability;
import io.pxops.pipeline.health.ServiceHealth;
import io.pxops.pipeline.kafka.KafkaClientSettings;
import io.pxops.pipeline.settings.PxopsSettings;
import io.pxops.pipeline.steps.CommandService;
import io.pxops.pipeline.steps.PodChangeWatch;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the step runners as their own process. Environment: {@code KAFKA_BOOTSTRAP_SERVERS} (localhost:9092),
 * {@code PXOPS_STUCK_GRACE} (2m: how long a pod may be unschedulable before it counts as stuck),
 * {@code PXOPS_RECHECK_INTERVAL} (1s: how often a waiting step looks again), {@code PXOPS_HEALTH_PORT} (8080), all
 * declared in {@link PxopsSettings}; Kubernetes from fabric8's usual
 * sources (KUBECONFIG, ~/.kube/config, in-cluster). Tests that need a seam (an {@link EvictionListener}) start
 * {@link #run} from a main of their own.
 */
public final class StepRunnerMain {

  private static final Logger LOG = LoggerFactory.getLogger(StepRunnerMain.class);

  private StepRunnerMain() {
  }

  /** The runners' settings, read once at start. */
  private record Settings(KafkaClientSettings kafka, Duration stuckGrace, Duration recheck, String instanceId,
      int healthPort) {

    static Settings of(Map<String, String> env) {
      // KAFKA_BOOTSTRAP_SERVERS, PXOPS_KAFKA_* and PXOPS_KAFKA_CONFIG_FILE: see KafkaClientSettings
      return new Settings(KafkaClientSettings.fromEnv(env),
          PxopsSettings.STUCK_GRACE.read(env), PxopsSettings.RECHECK_INTERVAL.read(env),
          ConfigOrExit.instanceId(env), Math.toIntExact(PxopsSettings.HEALTH_PORT.read(env)));
    }
  }

  public static void main(String[] args) throws InterruptedException {
    run(args, EvictionListener.NONE);
  }

  /** Runs the service until stopped, telling {@code afterEviction} of every eviction (production: nothing). */
  public static void run(String[] args, EvictionListener afterEviction) throws InterruptedException {
    Settings settings = ConfigOrExit.read("step-runners", args, Settings::of);
    LOG.info("step runners starting: {}", settings);
    KafkaReachability kafka = new KafkaReachability(settings.kafka());
    ServiceHealth health = ServiceHealth.forProcess("step-runners", kafka);
    HealthServer probes = HealthServer.start(settings.healthPort(), health);
    KubernetesClient client = new KubernetesClientBuilder().build();
    KubernetesWarmUp.inBackground(client, List.of(PerconaXtraDB.class, PetSet.class, PodList.class,
        PerconaXtraDBVersion.class, PerconaXtraDBOpsRequest.class));
    CommandService service = new CommandService(settings.kafka(), GroupIds.STEP_RUNNERS, settings.instanceId(),
        new StepRunners(client, Clock.systemUTC(), settings.stuckGrace(), afterEviction), Clock.systemUTC(),
        settings.recheck(), health).start();
    // a pod's change wakes the steps waiting on its database (AwaitPodRunning sees Ready as it happens); the recheck
    // stays the fallback while the watch is down
    PodChangeWatch pods = PodChangeWatch.start(client, Map.of(KubeDbNames.LABEL_NAME, KubeDbNames.NAME_PERCONAXTRADBS),
        KubeDbNames.LABEL_INSTANCE, service::wake);
    LOG.info("step runners started: instance {}, health probes on port {}", settings.instanceId(), probes.port());
    UntilStopped.await(health, service, pods, client, probes, kafka);
  }
}
