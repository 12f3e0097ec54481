package io.pxops.requestingest;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pxops.events.GroupIds;
import io.pxops.pipeline.ConfigOrExit;
import io.pxops.requestingest.kubernetes.OpsRequestWatcher;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the request ingest as its own process: the Kubernetes, HTTP and Kafka doors. */
public final class IngestMain {

  private static final Logger LOG = LoggerFactory.getLogger(IngestMain.class);

  private IngestMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    IngestConfig config = ConfigOrExit.read("request-ingest", args, IngestConfig::fromEnv);
    LOG.info("request ingest starting with {}", config);
    KubernetesClient client = new KubernetesClientBuilder().build();
    LifecycleLogPublisher publisher = new LifecycleLogPublisher(config.bootstrapServers());
    OpsRequestWatcher watcher = new OpsRequestWatcher(client, publisher, config.defaultTimeout(), Clock.systemUTC())
        .start();
    OpsRequestSubmitter submitter = new OpsRequestSubmitter(client, config.defaultTimeout());
    IngestHttpServer http = IngestHttpServer.start("0.0.0.0", config.httpPort(), client, submitter, publisher,
        config.statusUrl(), Clock.systemUTC());
    KafkaRequestDoor kafkaDoor = new KafkaRequestDoor(config.bootstrapServers(), GroupIds.REQUEST_INGEST, submitter,
        publisher, Clock.systemUTC()).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      http.close();
      try {
        kafkaDoor.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      watcher.close();
      publisher.close();
      client.close();
      stopped.countDown();
    }, "ingest-shutdown"));
    stopped.await();
  }
}
