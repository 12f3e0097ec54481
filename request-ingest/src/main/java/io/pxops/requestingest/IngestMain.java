package io.pxops.requestingest;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pxops.requestingest.kubernetes.OpsRequestWatcher;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the request ingest as its own process: the Kubernetes door and the HTTP door. */
public final class IngestMain {

  private static final Logger LOG = LoggerFactory.getLogger(IngestMain.class);

  private IngestMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    IngestConfig config = IngestConfig.fromEnv(System.getenv());
    LOG.info("request ingest starting with {}", config);
    KubernetesClient client = new KubernetesClientBuilder().build();
    LifecycleLogPublisher publisher = new LifecycleLogPublisher(config.bootstrapServers());
    OpsRequestWatcher watcher = new OpsRequestWatcher(client, publisher, config.defaultTimeout(), Clock.systemUTC())
        .start();
    IngestHttpServer http = IngestHttpServer.start("0.0.0.0", config.httpPort(), client,
        new OpsRequestSubmitter(client, config.defaultTimeout()), publisher, config.statusUrl(), Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      http.close();
      watcher.close();
      publisher.close();
      client.close();
      stopped.countDown();
    }, "ingest-shutdown"));
    stopped.await();
  }
}
