package io.pxops.requestingest;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pxops.events.GroupIds;
import io.pxops.pipeline.ConfigOrExit;
import io.pxops.pipeline.UntilStopped;
import io.pxops.pipeline.doorauth.DoorAuthConfig;
import io.pxops.pipeline.doorauth.DoorAuthorizer;
import io.pxops.pipeline.health.KafkaReachability;
import io.pxops.pipeline.health.ServiceHealth;
import io.pxops.requestingest.campaign.CampaignDoor;
import io.pxops.requestingest.campaign.CampaignFleetReader;
import io.pxops.requestingest.campaign.CampaignKafkaDoor;
import io.pxops.requestingest.campaign.CampaignLogPublisher;
import io.pxops.requestingest.campaign.CampaignResourceWatcher;
import io.pxops.requestingest.kubernetes.OpsRequestWatcher;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the request ingest as its own process: the Kubernetes, HTTP and Kafka doors. */
public final class IngestMain {

  private static final Logger LOG = LoggerFactory.getLogger(IngestMain.class);
  private static final String WATCHER = "kubernetes-watcher";
  private static final String KAFKA_DOOR = "kafka-door";

  private IngestMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    // both read at once, so that a flag either one reads is known (an unknown flag is refused)
    Map.Entry<IngestConfig, DoorAuthConfig> both = ConfigOrExit.read("request-ingest", args,
        env -> Map.entry(IngestConfig.fromEnv(env), DoorAuthConfig.fromEnv(env)));
    IngestConfig config = both.getKey();
    DoorAuthConfig doorAuth = both.getValue();
    LOG.info("request ingest starting with {}", config);
    KafkaReachability kafka = new KafkaReachability(config.kafka());
    ServiceHealth health = ServiceHealth.forProcess("request-ingest", kafka);
    KubernetesClient client = new KubernetesClientBuilder().build();
    LifecycleLogPublisher publisher = new LifecycleLogPublisher(config.kafka());
    OpsRequestWatcher watcher = new OpsRequestWatcher(client, publisher, config.defaultTimeout(), Clock.systemUTC(),
        config.claim(), config.namespaceWindows()).start();
    health.ready(WATCHER);
    // an informer that gave up for good (not a dropped watch, which it re-establishes itself) leaves the
    // Kubernetes door shut in a live process
    watcher.stopped().whenComplete((done, failure) -> health.died(WATCHER,
        failure == null ? "the ops request informer stopped" : "the ops request informer failed: " + failure,
        failure));
    OpsRequestSubmitter submitter = new OpsRequestSubmitter(client, config.defaultTimeout(),
        config.namespaceWindows());
    CampaignLogPublisher campaignLog = new CampaignLogPublisher(config.kafka());
    CampaignDoor campaigns = new CampaignDoor(new CampaignFleetReader(client, config.namespaceWindows())::read,
        campaignLog);
    CampaignResourceWatcher campaignObjects = new CampaignResourceWatcher(client, campaigns).start();
    CampaignKafkaDoor campaignKafka = new CampaignKafkaDoor(config.kafka(), campaigns, Clock.systemUTC()).start();
    IngestHttpServer http = IngestHttpServer.start("0.0.0.0", config.httpPort(), client, submitter, publisher,
        config.statusUrl(), Clock.systemUTC(), DoorAuthorizer.of(doorAuth, client, "the ingest's HTTP door"), config.claim(), health,
        campaigns);
    KafkaRequestDoor kafkaDoor = new KafkaRequestDoor(config.kafka(), GroupIds.REQUEST_INGEST,
        config.instanceId(), submitter, publisher, Clock.systemUTC()).start(health, KAFKA_DOOR);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(UntilStopped.onStop(health, () -> {
      http.close();
      try {
        kafkaDoor.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      watcher.close();
      campaignObjects.close();
      try {
        campaignKafka.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      publisher.close();
      campaignLog.close();
      client.close();
      kafka.close();
      stopped.countDown();
    }));
    LOG.info("request ingest started: HTTP and health probes on port {}", http.port());
    stopped.await();
  }
}
