package io.pxops.statusprojector;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.events.GroupIds;
import io.pxops.pipeline.DeadLetters;
import io.pxops.pipeline.doorauth.DoorAuthorizer;
import io.pxops.pipeline.health.ServiceHealth;
import io.pxops.pipeline.health.StreamsHealth;
import io.pxops.pipeline.metrics.PxopsMeters;
import io.pxops.pipeline.metrics.StreamsMetrics;
import io.pxops.statusprojector.http.DashboardRoutes;
import io.pxops.statusprojector.http.PeerClient;
import io.pxops.statusprojector.http.StatusFeed;
import io.pxops.statusprojector.http.StatusHttpServer;
import io.pxops.statusprojector.http.StatusQueries;
import io.pxops.statusprojector.k8s.OpsRequestStatusClient;
import io.pxops.statusprojector.k8s.StatusWriteBack;
import io.pxops.statusprojector.projection.StatusTopology;
import java.time.Duration;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running projector instance: the HTTP API, the Streams topology and (if enabled) the
 * write-back. Several instances with the same application id share the work: Kafka assigns the
 * partitions, and each instance's HTTP API answers for all of them.
 *
 * <p>Start order: the HTTP server first (with port 0 the real port is known only once it listens,
 * and {@code application.server} must name it), then Streams, then the write-back. Close order is
 * the reverse, so that nothing is asked of a part already closed.
 */
public final class StatusProjector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StatusProjector.class);
  /** Bounded, so that a stop with the broker gone ends within the service's stop deadline. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final ProjectorConfig config;
  private final StatusHttpServer http;
  private final KafkaStreams streams;
  private final StatusWriteBack writeBack;
  private final StatusFeed feed;
  private final DashboardRoutes dashboard;

  private StatusProjector(ProjectorConfig config, StatusHttpServer http, KafkaStreams streams,
      StatusWriteBack writeBack, StatusFeed feed, DashboardRoutes dashboard) {
    this.feed = feed;
    this.dashboard = dashboard;
    this.config = config;
    this.http = http;
    this.streams = streams;
    this.writeBack = writeBack;
  }

  /**
   * Starts an instance.
   *
   * @param config the configuration; an HTTP port of 0 takes any free port
   * @param kubernetes the Kubernetes client for the write-back; ignored when the write-back is off
   * @param auth who may read which statuses over HTTP
   * @return the running instance
   */
  public static StatusProjector start(ProjectorConfig config, KubernetesClient kubernetes, DoorAuthorizer auth) {
    return start(config, kubernetes, auth, null);
  }

  /**
   * Starts an instance that reports to {@code health}: Streams' state and the write-back's loop, and serves
   * {@code /livez} and {@code /readyz} from it.
   *
   * @param health the service's registry; null for an embedded instance (tests) that only logs
   */
  public static StatusProjector start(ProjectorConfig config, KubernetesClient kubernetes, DoorAuthorizer auth,
      ServiceHealth health) {
    return start(config, kubernetes, auth, health, DashboardConfig.defaults());
  }

  /**
   * Starts an instance that also serves the live web dashboard, its Replay and Cancel sent to the ingest {@code
   * dashboard} names.
   */
  public static StatusProjector start(ProjectorConfig config, KubernetesClient kubernetes, DoorAuthorizer auth,
      ServiceHealth health, DashboardConfig dashboard) {
    StatusQueries queries = new StatusQueries(new PeerClient());
    StatusFeed feed = StatusFeed.start(config.kafka());
    DashboardRoutes routes = new DashboardRoutes(queries, auth, dashboard, config.kafka(), feed);
    StatusHttpServer http;
    try {
      http = StatusHttpServer.start(config.httpHost(), config.httpPort(), queries, auth, health, routes);
    } catch (RuntimeException e) {
      routes.close();
      feed.close();
      throw e;
    }
    ServiceHealth registry = health != null ? health : ServiceHealth.detached("status-projector");
    KafkaStreams streams = null;
    try {
      ProjectorConfig bound = config.withHttpPort(http.port());
      streams = new KafkaStreams(StatusTopology.build(), StatusTopology.streamsConfig(bound));
      // poison records are dead-lettered, so what kills a stream thread is a bug or a broker problem that
      // retrying in a new thread would only repeat: the client shuts down and the process exits to be restarted
      StreamsHealth.watch(streams, "streams", registry);
      StreamsMetrics.bind(streams);
      DeadLetters.initializeMeters(GroupIds.STATUS_PROJECTOR, DeadLetters.FOLD_FAILED);
      PxopsMeters.initializeUpdates();
      queries.attach(streams, new HostInfo(bound.advertisedHost(), bound.httpPort()));
      streams.start();
      StatusWriteBack writeBack = bound.writeBack()
          ? StatusWriteBack.start(bound, new OpsRequestStatusClient(kubernetes, bound.claim()), registry)
          : null;
      LOG.info("status projector started: {}", bound.describe());
      return new StatusProjector(bound, http, streams, writeBack, feed, routes);
    } catch (RuntimeException e) {
      if (streams != null) {
        streams.close(CLOSE_TIMEOUT);
      }
      http.close();
      routes.close();
      feed.close();
      throw e;
    }
  }

  /**
   * The configuration in force (with the HTTP port actually bound).
   *
   * @return the configuration
   */
  public ProjectorConfig config() {
    return config;
  }

  /**
   * The Streams instance.
   *
   * @return the Streams instance
   */
  public KafkaStreams streams() {
    return streams;
  }

  /**
   * The write-back, or {@code null} when it is off.
   *
   * @return the write-back
   */
  public StatusWriteBack writeBack() {
    return writeBack;
  }

  /**
   * The base URL of this instance's HTTP API.
   *
   * @return e.g. {@code http://localhost:8082}
   */
  public String url() {
    return "http://" + config.applicationServer();
  }

  /** Stops the write-back, Streams (committing its last transaction) and the HTTP server. */
  @Override
  public void close() {
    if (writeBack != null) {
      writeBack.close();
    }
    // leave the group: otherwise the instances that stay wait a whole session timeout (45 s) for this one's
    // partitions, and every status of those partitions is that late
    streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    http.close();
    dashboard.close();
    feed.close();
    LOG.info("status projector {} stopped", config.applicationServer());
  }
}
