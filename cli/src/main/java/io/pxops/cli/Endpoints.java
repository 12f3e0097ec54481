package io.pxops.cli;

import io.fabric8.kubernetes.client.Config;
import io.pxops.pipeline.kafka.KafkaClientSettings;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where the services are: flags, else the environment, else the endpoints file {@code pxops demo --keep} writes
 * ({@code .local/endpoints.properties}), else the services' default local ports. So the commands work against the
 * local world by default and against any Kafka and Kubernetes when told.
 */
public final class Endpoints {

  /** Written by {@code pxops demo --keep}, read by every other command. */
  public static final Path LOCAL_FILE = Path.of(".local", "endpoints.properties");

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
      description = "Kafka (env KAFKA_BOOTSTRAP_SERVERS; default: the local world's, else localhost:9092).")
  String bootstrapServers;

  @Option(names = "--ingest-url", paramLabel = "URL",
      description = "The ingest's HTTP API (env PXOPS_INGEST_URL; default: the local world's, else http://localhost:8081).")
  String ingestUrl;

  @Option(names = "--status-url", paramLabel = "URL",
      description = "The status projector's HTTP API (env PXOPS_STATUS_URL; default: the local world's, else http://localhost:8082).")
  String statusUrl;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "For --via kubernetes (env KUBECONFIG; default: the local world's, else ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "The Kubernetes bearer token the HTTP APIs check (env PXOPS_TOKEN; default: the kubeconfig's token).")
  String token;

  public String bootstrapServers() {
    return pick(bootstrapServers, "KAFKA_BOOTSTRAP_SERVERS", "bootstrap.servers", "localhost:9092");
  }

  /**
   * The brokers and Kafka client settings (TLS, SASL) of every Kafka client the command makes: the services' own
   * {@code PXOPS_KAFKA_*} and {@code PXOPS_KAFKA_CONFIG_FILE} ({@link KafkaClientSettings}).
   */
  public KafkaClientSettings kafka() {
    try {
      return KafkaClientSettings.fromEnv(System.getenv(), bootstrapServers());
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.USAGE, e.getMessage());
    }
  }

  public String ingestUrl() {
    return trim(pick(ingestUrl, "PXOPS_INGEST_URL", "ingest.url", "http://localhost:8081"));
  }

  public String statusUrl() {
    return trim(pick(statusUrl, "PXOPS_STATUS_URL", "status.url", "http://localhost:8082"));
  }

  /** The kubeconfig to use, or null for fabric8's own lookup. */
  public String kubeconfig() {
    return kubeconfig != null ? kubeconfig.toString() : pick(null, "KUBECONFIG", "kubeconfig", null);
  }

  /**
   * The bearer token for the HTTP APIs, which check it with the cluster's TokenReview and RBAC: {@code --token},
   * else {@code PXOPS_TOKEN}, else the token of the kubeconfig in use (so whoever can use kubectl can use pxops as
   * the same user); null when there is none (the APIs then answer 401, saying so).
   */
  public String token() {
    if (token != null && !token.isBlank()) {
      return token.trim();
    }
    String fromEnv = System.getenv("PXOPS_TOKEN");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    return kubeconfigToken(kubeconfig());
  }

  /** The token of {@code kubeconfig} (null: fabric8's own lookup), or null when it has none or cannot be read. */
  static String kubeconfigToken(String kubeconfig) {
    try {
      Config config = kubeconfig != null ? Config.fromKubeconfig(new File(kubeconfig)) : Config.autoConfigure(null);
      // fabric8 keeps a kubeconfig's token as the "auto" token (it may be refreshed); one set explicitly wins
      String t = config.getOauthToken() != null && !config.getOauthToken().isBlank() ? config.getOauthToken()
          : config.getAutoOAuthToken();
      return t == null || t.isBlank() ? null : t;
    } catch (RuntimeException unreadable) {
      // no usable kubeconfig is as good as none: the call goes without a token and the API says what is missing
      return null;
    }
  }

  private static String pick(String flag, String env, String key, String fallback) {
    if (flag != null && !flag.isBlank()) {
      return flag;
    }
    String fromEnv = System.getenv(env);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    String fromFile = local().getProperty(key);
    return fromFile != null && !fromFile.isBlank() ? fromFile : fallback;
  }

  private static Properties local() {
    Properties p = new Properties();
    if (Files.isRegularFile(LOCAL_FILE)) {
      try (Reader r = Files.newBufferedReader(LOCAL_FILE)) {
        p.load(r);
      } catch (IOException ignored) {
        // an unreadable file is as good as none: the defaults apply
      }
    }
    return p;
  }

  private static String trim(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
