package io.pxops.requestingest;

import io.pxops.events.campaign.NamespaceWindow;
import io.pxops.pipeline.ConfigOrExit;
import io.pxops.pipeline.claim.OpsRequestClaim;
import io.pxops.pipeline.kafka.KafkaClientSettings;
import io.pxops.pipeline.settings.PxopsSettings;
import io.pxops.requestingest.admission.Admission;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The ingest's configuration, read once at start from the environment through the declarations of
 * {@link PxopsSettings} (names, defaults and rules are there, and in the README's settings table). The Kubernetes
 * connection comes from fabric8's usual sources (KUBECONFIG, ~/.kube/config, or the in-cluster service account).
 *
 * @param kafka {@code KAFKA_BOOTSTRAP_SERVERS} (default {@code localhost:9092}) and the Kafka client settings of
 *     {@code PXOPS_KAFKA_*} and {@code PXOPS_KAFKA_CONFIG_FILE} ({@link KafkaClientSettings}): TLS, SASL
 * @param defaultTimeout {@code PXOPS_DEFAULT_TIMEOUT} (default {@code 10m}, from {@code 1s} to {@code 24h}), the step
 *     timeout of a request that gives none
 * @param httpPort {@code PXOPS_HTTP_PORT}, default 8081 (0 = any free port)
 * @param statusUrl {@code PXOPS_STATUS_URL}, the status projector's base URL for links, default
 *     {@code http://localhost:8082}
 * @param instanceId {@code PXOPS_INSTANCE_ID}, default the host name: the Kafka door's {@code group.instance.id}
 * @param claim {@code PXOPS_CLAIM}, {@code labelled} (default) or {@code all}: which {@code PerconaXtraDBOpsRequest}
 *     objects the Kubernetes door admits ({@link OpsRequestClaim}, which says why the default is {@code labelled});
 *     the status projector must be given the same
 * @param namespaceWindows {@code PXOPS_NAMESPACE_WINDOWS} (default none): maintenance windows for the namespaces
 *     whose labels match, kept by every single request admitted there and listed for every campaign's plan
 */
public record IngestConfig(KafkaClientSettings kafka, Duration defaultTimeout, int httpPort, String statusUrl,
    String instanceId, OpsRequestClaim claim, List<NamespaceWindow> namespaceWindows) {

  public IngestConfig {
    if (kafka == null) {
      throw new IllegalArgumentException("KAFKA_BOOTSTRAP_SERVERS must name at least one host:port");
    }
    if (defaultTimeout.compareTo(Duration.ofSeconds(1)) < 0 || defaultTimeout.compareTo(Admission.MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException("PXOPS_DEFAULT_TIMEOUT must be between 1s and 24h, was " + defaultTimeout);
    }
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("PXOPS_HTTP_PORT must be a port number, was " + httpPort);
    }
    if (claim == null) {
      throw new IllegalArgumentException(OpsRequestClaim.ENV + " must be all or labelled");
    }
    namespaceWindows = namespaceWindows == null ? List.of() : List.copyOf(namespaceWindows);
  }

  /** Reads the settings through their declarations in {@link PxopsSettings}. */
  public static IngestConfig fromEnv(Map<String, String> env) {
    return new IngestConfig(KafkaClientSettings.fromEnv(env), PxopsSettings.DEFAULT_TIMEOUT.read(env),
        Math.toIntExact(PxopsSettings.INGEST_HTTP_PORT.read(env)), PxopsSettings.STATUS_URL.read(env),
        ConfigOrExit.instanceId(env), OpsRequestClaim.fromEnv(env), PxopsSettings.NAMESPACE_WINDOWS.read(env));
  }

  /** The brokers. */
  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }
}
