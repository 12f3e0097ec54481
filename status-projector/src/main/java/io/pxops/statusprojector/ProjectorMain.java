package io.pxops.statusprojector;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pxops.pipeline.ConfigOrExit;
import io.pxops.pipeline.UntilStopped;
import io.pxops.pipeline.doorauth.DoorAuthConfig;
import io.pxops.pipeline.doorauth.DoorAuthorizer;
import io.pxops.pipeline.health.KafkaReachability;
import io.pxops.pipeline.health.ServiceHealth;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one status projector instance as a process, configured from the environment (see {@link
 * ProjectorConfig}), until SIGTERM or Ctrl-C; then the write-back, Streams and the HTTP server are
 * closed in that order by a shutdown hook, within {@link UntilStopped#STOP_DEADLINE}. A dead stream thread or
 * write-back loop ends the process with a non-zero code ({@link ServiceHealth}).
 */
public final class ProjectorMain {

  private static final Logger LOG = LoggerFactory.getLogger(ProjectorMain.class);

  private ProjectorMain() {}

  /** The projector's settings, read at once so that a flag any of them reads is known. */
  private record Settings(ProjectorConfig projector, DoorAuthConfig doorAuth, DashboardConfig dashboard) {}

  /**
   * Starts the projector.
   *
   * @param args none are read; configuration comes from the environment
   */
  public static void main(String[] args) {
    // both read at once, so that a flag either one reads is known (an unknown flag is refused)
    Settings settings = ConfigOrExit.read("status-projector", args,
        env -> new Settings(ProjectorConfig.fromEnv(env), DoorAuthConfig.fromEnv(env), DashboardConfig.fromEnv(env)));
    ProjectorConfig config = settings.projector();
    DoorAuthConfig doorAuth = settings.doorAuth();
    LOG.info("starting the status projector: {}", config.describe());
    // the write-back and the HTTP door's access reviews both need the API
    KubernetesClient kubernetes = config.writeBack() || doorAuth.enabled() ? new KubernetesClientBuilder().build()
        : null;
    DoorAuthorizer auth = DoorAuthorizer.of(doorAuth, kubernetes, "the status projector's HTTP door");
    KafkaReachability kafka = new KafkaReachability(config.kafka());
    ServiceHealth health = ServiceHealth.forProcess("status-projector", kafka);
    StatusProjector projector = StatusProjector.start(config, kubernetes, auth, health, settings.dashboard());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(UntilStopped.onStop(health, () -> {
      try {
        projector.close();
        if (kubernetes != null) {
          kubernetes.close();
        }
        kafka.close();
      } finally {
        stopped.countDown();
      }
    }));
    LOG.info("status projector started: instance {}, HTTP and health probes on port {}", config.instanceId(),
        projector.config().httpPort());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
