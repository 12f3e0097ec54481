package io.pxops.verifier;

import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pxops.events.GroupIds;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.pipeline.ConfigOrExit;
import io.pxops.pipeline.KubernetesWarmUp;
import io.pxops.pipeline.UntilStopped;
import io.pxops.pipeline.health.HealthServer;
import io.pxops.pipeline.health.KafkaReachability;
import io.pxops.pipeline.health.ServiceHealth;
import io.pxops.pipeline.steps.CommandService;
import io.pxops.pipeline.steps.PodChangeWatch;
import io.pxops.kubedb.KubeDbNames;
import java.util.Map;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the verifier as its own process; configuration in {@link VerifierConfig}. Stops cleanly on SIGTERM. */
public final class VerifierMain {

  private static final Logger LOG = LoggerFactory.getLogger(VerifierMain.class);

  private VerifierMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    JdbcWarmUp.inBackground();
    run(args, JdbcNodeStatus::new);
  }

  /**
   * Runs the service until stopped, reading the nodes from the source {@code nodes} makes of the configuration
   * (production: {@link JdbcNodeStatus}; a benchmark's main on simulated pods passes its own).
   */
  public static void run(String[] args, java.util.function.Function<VerifierConfig, NodeStatusSource> nodes)
      throws InterruptedException {
    VerifierConfig config = ConfigOrExit.read("verifier", args, VerifierConfig::fromEnv);
    LOG.info("verifier starting: {}", config);
    KafkaReachability kafka = new KafkaReachability(config.kafka());
    ServiceHealth health = ServiceHealth.forProcess("verifier", kafka);
    HealthServer probes = HealthServer.start(config.healthPort(), health);
    KubernetesClient client = new KubernetesClientBuilder().build();
    KubernetesWarmUp.inBackground(client, List.of(PerconaXtraDB.class, PodList.class, Secret.class));
    NodeStatusSource source = nodes.apply(config);
    CommandService service = new CommandService(config.kafka(), GroupIds.VERIFIER, config.instanceId(),
        new GaleraVerifier(client, Clock.systemUTC(), config, source), Clock.systemUTC(), config.recheck(), health).start();
    // a pod's change (Ready again after its restart) wakes the verdicts waiting on its database; the recheck stays
    // the fallback while the watch is down
    PodChangeWatch pods = PodChangeWatch.start(client, Map.of(KubeDbNames.LABEL_NAME, KubeDbNames.NAME_PERCONAXTRADBS),
        KubeDbNames.LABEL_INSTANCE, service::wake);
    LOG.info("verifier started: instance {}, health probes on port {}", config.instanceId(), probes.port());
    UntilStopped.await(health, service, pods, source, client, probes, kafka);
  }
}
