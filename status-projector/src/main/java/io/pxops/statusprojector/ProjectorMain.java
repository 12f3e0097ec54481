package io.pxops.statusprojector;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pxops.pipeline.ConfigOrExit;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one status projector instance as a process, configured from the environment (see {@link
 * ProjectorConfig}), until SIGTERM or Ctrl-C; then the write-back, Streams and the HTTP server are
 * closed in that order by a shutdown hook.
 */
public final class ProjectorMain {

  private static final Logger LOG = LoggerFactory.getLogger(ProjectorMain.class);

  private ProjectorMain() {}

  /**
   * Starts the projector.
   *
   * @param args none are read; configuration comes from the environment
   */
  public static void main(String[] args) {
    ProjectorConfig config = ConfigOrExit.read("status-projector", args, ProjectorConfig::fromEnv);
    LOG.info("starting the status projector: {}", config.describe());
    KubernetesClient kubernetes = config.writeBack() ? new KubernetesClientBuilder().build() : null;
    StatusProjector projector = StatusProjector.start(config, kubernetes);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping the status projector");
      try {
        projector.close();
        if (kubernetes != null) {
          kubernetes.close();
        }
      } finally {
        stopped.countDown();
      }
    }, "status-projector-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
