package io.pxops.statusprojector;

import io.pxops.pipeline.ConfigOrExit;
import io.pxops.pipeline.claim.OpsRequestClaim;
import io.pxops.pipeline.kafka.KafkaClientSettings;
import io.pxops.pipeline.settings.PxopsSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The projector's configuration, read once at start from environment variables through the declarations of
 * {@link PxopsSettings} (every name, default and rule is there, and in the README's settings table). A bad value stops
 * the start with a message naming the variable and the rule.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #BOOTSTRAP_SERVERS}</td><td>{@value #DEFAULT_BOOTSTRAP_SERVERS}</td>
 *       <td>Kafka brokers, {@code host:port[,host:port...]}</td></tr>
 *   <tr><td>{@value #STATE_DIR}</td><td>{@value #DEFAULT_STATE_DIR}</td>
 *       <td>where Kafka Streams keeps its state stores (one directory per instance)</td></tr>
 *   <tr><td>{@value #HTTP_HOST}</td><td>{@value #DEFAULT_HTTP_HOST}</td>
 *       <td>address the HTTP server binds to</td></tr>
 *   <tr><td>{@value #HTTP_PORT}</td><td>{@value #DEFAULT_HTTP_PORT}</td>
 *       <td>HTTP port, 0..65535 (0: any free port, as tests use)</td></tr>
 *   <tr><td>{@value #ADVERTISED_HOST}</td><td>{@value #DEFAULT_ADVERTISED_HOST}</td>
 *       <td>host name the other instances reach this one at ({@code application.server})</td></tr>
 *   <tr><td>{@value #WRITE_BACK}</td><td>true</td>
 *       <td>whether to write the status back to the ops request objects</td></tr>
 *   <tr><td>{@value #APPLICATION_ID}</td><td>{@code pxops-status-projector}</td>
 *       <td>Streams application id; every instance of one deployment uses the same</td></tr>
 *   <tr><td>{@value #WRITE_BACK_GROUP_ID}</td><td>{@value #DEFAULT_WRITE_BACK_GROUP_ID}</td>
 *       <td>consumer group of the write-back</td></tr>
 *   <tr><td>{@value #REPLICATION_FACTOR}</td><td>-1</td>
 *       <td>replication factor of the internal topics; -1 takes the broker's default</td></tr>
 *   <tr><td>{@value #INSTANCE_ID}</td><td>the host name</td>
 *       <td>this instance's stable name (in Kubernetes the pod name): its Kafka {@code group.instance.id}</td></tr>
 *   <tr><td>{@value io.pxops.pipeline.claim.OpsRequestClaim#ENV}</td><td>{@code labelled}</td>
 *       <td>which ops request objects' status the write-back may write: {@code labelled} (only UpdateVersion
 *       requests marked {@code ops.pxops.io/managed-by: pxops}) or {@code all} (every UpdateVersion request not
 *       marked for another manager); must be the ingest's ({@link OpsRequestClaim})</td></tr>
 *   <tr><td>{@code PXOPS_KAFKA_<NAME>}, {@code PXOPS_KAFKA_CONFIG_FILE}</td><td></td>
 *       <td>Kafka client settings for every client (Streams, the write-back consumer), read by the shared
 *       {@link KafkaClientSettings}: e.g. {@code PXOPS_KAFKA_SECURITY_PROTOCOL} becomes {@code security.protocol}
 *       </td></tr>
 * </table>
 *
 * <p>Kubernetes is reached through the client's own defaults ({@code KUBECONFIG}, {@code
 * ~/.kube/config}, or the in-cluster service account).
 *
 * @param bootstrapServers Kafka brokers
 * @param stateDir the Streams state directory
 * @param httpHost the address to bind
 * @param httpPort the HTTP port
 * @param advertisedHost the host name other instances use to reach this one
 * @param writeBack whether the write-back runs
 * @param applicationId the Streams application id
 * @param writeBackGroupId the write-back's consumer group id
 * @param replicationFactor replication factor of internal topics, -1 for the broker default
 * @param kafkaOverrides extra Kafka client properties
 * @param instanceId the instance's stable name for static group membership; null for dynamic membership
 * @param claim which ops request objects the write-back may write the status of
 */
public record ProjectorConfig(
    String bootstrapServers,
    Path stateDir,
    String httpHost,
    int httpPort,
    String advertisedHost,
    boolean writeBack,
    String applicationId,
    String writeBackGroupId,
    int replicationFactor,
    Map<String, String> kafkaOverrides,
    String instanceId,
    OpsRequestClaim claim) {

  /** The instance's stable name. */
  public static final String INSTANCE_ID = "PXOPS_INSTANCE_ID";

  /**
   * The Streams consumers' session timeout: an instance that crashed and does not come back is replaced after this
   * long (Streams' default is 45 s, and every status of its partitions would be that late).
   */
  public static final int SESSION_TIMEOUT_MS = 10_000;

  /**
   * Without a stable instance name: dynamic group membership (tests that run several instances in one JVM), on the
   * local world, where no other ops manager runs: every UpdateVersion request is claimed.
   */
  public ProjectorConfig(String bootstrapServers, Path stateDir, String httpHost, int httpPort, String advertisedHost,
      boolean writeBack, String applicationId, String writeBackGroupId, int replicationFactor,
      Map<String, String> kafkaOverrides) {
    this(bootstrapServers, stateDir, httpHost, httpPort, advertisedHost, writeBack, applicationId, writeBackGroupId,
        replicationFactor, kafkaOverrides, null, OpsRequestClaim.ALL);
  }

  /** Kafka brokers. */
  public static final String BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";

  /** Streams state directory. */
  public static final String STATE_DIR = "PXOPS_STATE_DIR";

  /** HTTP bind address. */
  public static final String HTTP_HOST = "PXOPS_HTTP_HOST";

  /** HTTP port. */
  public static final String HTTP_PORT = "PXOPS_HTTP_PORT";

  /** Host name advertised to the other instances. */
  public static final String ADVERTISED_HOST = "PXOPS_ADVERTISED_HOST";

  /** Whether to write the status back to Kubernetes. */
  public static final String WRITE_BACK = "PXOPS_WRITE_BACK";

  /** Streams application id. */
  public static final String APPLICATION_ID = "PXOPS_APPLICATION_ID";

  /** Consumer group of the write-back. */
  public static final String WRITE_BACK_GROUP_ID = "PXOPS_WRITE_BACK_GROUP_ID";

  /** Replication factor of the internal topics. */
  public static final String REPLICATION_FACTOR = "PXOPS_REPLICATION_FACTOR";

  /** Prefix of Kafka client overrides. */
  public static final String KAFKA_PREFIX = "PXOPS_KAFKA_";

  /** Default brokers. */
  public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";

  /** Default state directory (relative to the working directory). */
  public static final String DEFAULT_STATE_DIR = "state/status-projector";

  /** Default bind address: every interface. */
  public static final String DEFAULT_HTTP_HOST = "0.0.0.0";

  /** Default HTTP port. */
  public static final int DEFAULT_HTTP_PORT = 8082;

  /** Default advertised host. */
  public static final String DEFAULT_ADVERTISED_HOST = "localhost";

  /**
   * Default consumer group of the write-back: an explicit constant, so that renaming a class never
   * starts a new group that rewrites every status from the beginning.
   */
  public static final String DEFAULT_WRITE_BACK_GROUP_ID = "pxops-status-writeback";

  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+");
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._\\-]+");

  /** Validates every field; the messages name the environment variable and the rule. */
  public ProjectorConfig {
    for (String server : require(bootstrapServers, BOOTSTRAP_SERVERS).split(",")) {
      if (!HOST_PORT.matcher(server.trim()).matches()) {
        throw invalid(BOOTSTRAP_SERVERS, "must be host:port[,host:port...]", bootstrapServers);
      }
    }
    if (stateDir == null) {
      throw invalid(STATE_DIR, "must be a directory path", null);
    }
    require(httpHost, HTTP_HOST);
    if (httpPort < 0 || httpPort > 65535) {
      throw invalid(HTTP_PORT, "must be a port number in 0..65535 (0: any free port)",
          String.valueOf(httpPort));
    }
    if (!HOST.matcher(require(advertisedHost, ADVERTISED_HOST)).matches()) {
      throw invalid(ADVERTISED_HOST, "must be a host name or IPv4 address, without port or scheme",
          advertisedHost);
    }
    if (!GROUP.matcher(require(applicationId, APPLICATION_ID)).matches()) {
      throw invalid(APPLICATION_ID, "must use only letters, digits, '.', '_' and '-'",
          applicationId);
    }
    if (!GROUP.matcher(require(writeBackGroupId, WRITE_BACK_GROUP_ID)).matches()) {
      throw invalid(WRITE_BACK_GROUP_ID, "must use only letters, digits, '.', '_' and '-'",
          writeBackGroupId);
    }
    if (replicationFactor != -1 && replicationFactor < 1) {
      throw invalid(REPLICATION_FACTOR, "must be -1 (the broker's default) or at least 1",
          String.valueOf(replicationFactor));
    }
    // validated as every service's Kafka settings are: a misspelt name is an error, not a plain-text connection
    kafkaOverrides = new KafkaClientSettings(bootstrapServers, kafkaOverrides).properties();
    if (claim == null) {
      throw invalid(OpsRequestClaim.ENV, "must be all or labelled", null);
    }
  }

  /**
   * Reads the configuration from environment variables.
   *
   * @param env the environment, e.g. {@link System#getenv()}
   * @return the configuration
   * @throws IllegalArgumentException naming the variable and the rule when a value is invalid
   */
  public static ProjectorConfig fromEnv(Map<String, String> env) {
    Map<String, String> overrides = KafkaClientSettings.fromEnv(env).properties();
    return new ProjectorConfig(
        PxopsSettings.KAFKA_BOOTSTRAP_SERVERS.read(env),
        Path.of(PxopsSettings.PROJECTOR_STATE_DIR.read(env)),
        PxopsSettings.HTTP_HOST.read(env),
        Math.toIntExact(PxopsSettings.PROJECTOR_HTTP_PORT.read(env)),
        PxopsSettings.ADVERTISED_HOST.read(env),
        PxopsSettings.WRITE_BACK.read(env),
        PxopsSettings.PROJECTOR_APPLICATION_ID.read(env),
        PxopsSettings.WRITE_BACK_GROUP_ID.read(env),
        Math.toIntExact(PxopsSettings.REPLICATION_FACTOR.read(env)),
        overrides,
        ConfigOrExit.instanceId(env),
        OpsRequestClaim.fromEnv(env));
  }

  /**
   * The {@code application.server} value other instances reach this one at.
   *
   * @return {@code advertisedHost:httpPort}
   */
  public String applicationServer() {
    return advertisedHost + ":" + httpPort;
  }

  /**
   * A copy with another HTTP port (tests start instances on free ports).
   *
   * @param port the port
   * @return the copy
   */
  public ProjectorConfig withHttpPort(int port) {
    return new ProjectorConfig(bootstrapServers, stateDir, httpHost, port, advertisedHost,
        writeBack, applicationId, writeBackGroupId, replicationFactor, kafkaOverrides, instanceId, claim);
  }

  /**
   * One line for the log, with secrets masked.
   *
   * @return the effective configuration
   */
  public String describe() {
    Map<String, String> masked = kafka().masked();
    return "bootstrapServers=" + bootstrapServers + " stateDir=" + stateDir + " http=" + httpHost
        + ":" + httpPort + " advertised=" + applicationServer() + " writeBack=" + writeBack
        + " applicationId=" + applicationId + " writeBackGroupId=" + writeBackGroupId
        + " replicationFactor=" + replicationFactor + " instanceId=" + instanceId + " claim=" + claim
        + " kafkaOverrides=" + masked;
  }

  /** The brokers and client settings, as every service holds them. */
  public KafkaClientSettings kafka() {
    return new KafkaClientSettings(bootstrapServers, kafkaOverrides);
  }

  private static String require(String value, String variable) {
    if (value == null || value.isBlank()) {
      throw invalid(variable, "must not be empty", value);
    }
    return value;
  }

  private static IllegalArgumentException invalid(String variable, String rule, String value) {
    return new IllegalArgumentException(
        variable + " " + rule + (value == null ? "" : " but was \"" + value + "\""));
  }
}
