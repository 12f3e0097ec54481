package io.pxops.pipeline.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * How every pxops service and the CLI reach Kafka: the brokers and any Kafka client setting — TLS, SASL, timeouts —
 * read once at start, the same way everywhere, and laid under every producer, consumer, admin client and Kafka
 * Streams configuration the process builds. Without this only the brokers could be set, so no service could reach a
 * Kafka cluster that requires TLS or SASL.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #BOOTSTRAP_SERVERS}</td><td>{@value #DEFAULT_BOOTSTRAP_SERVERS}</td>
 *       <td>the brokers, {@code host:port[,host:port...]}</td></tr>
 *   <tr><td>{@value #CONFIG_FILE}</td><td>none</td>
 *       <td>a Java properties file of Kafka client settings under their own names ({@code security.protocol=SASL_SSL}),
 *       e.g. mounted from a Kubernetes Secret</td></tr>
 *   <tr><td>{@code PXOPS_KAFKA_<NAME>}</td><td></td>
 *       <td>one Kafka client setting: {@code <NAME>} lower-cased with every {@code _} read as {@code .}, so
 *       {@code PXOPS_KAFKA_SECURITY_PROTOCOL} is {@code security.protocol} and {@code PXOPS_KAFKA_SASL_JAAS_CONFIG}
 *       is {@code sasl.jaas.config}. Kafka's client settings are lower-case words joined by dots, so every one can
 *       be written this way; a variable wins over the file.</td></tr>
 * </table>
 *
 * <p>Every name must be a setting of Kafka's producer, consumer or admin client (or of Kafka Streams where it is on
 * the class path), or carry one of Streams' client prefixes ({@code producer.}, {@code consumer.},
 * {@code main.consumer.}, {@code restore.consumer.}, {@code global.consumer.}, {@code admin.}, {@code topic.}):
 * a misspelt one ({@code PXOPS_KAFKA_SECURTY_PROTOCOL}) would otherwise be ignored by Kafka and the service would
 * connect in plain text. {@code bootstrap.servers} is only {@value #BOOTSTRAP_SERVERS}. The variables Kubernetes
 * adds for a Service whose name starts with {@code pxops-kafka} ({@code PXOPS_KAFKA_SERVICE_HOST},
 * {@code PXOPS_KAFKA_PORT_9092_TCP}, …) are not settings and are skipped.
 *
 * <p>These settings go under the ones a service sets itself: what pxops' guarantees rest on (group and
 * transactional ids, {@code isolation.level}, {@code acks}, idempotence, serializers, its timeouts) is not
 * overridden. Secrets ({@code sasl.jaas.config}, passwords, keys: every setting Kafka declares a password, and any
 * name with password, secret, jaas, token or credential in it, or a key) are masked in {@link #toString()} and
 * {@link #masked()}, which is all pxops logs; Kafka's own configuration log prints them as {@code [hidden]}.
 *
 * @param bootstrapServers the brokers
 * @param properties the other client settings, by Kafka's names
 */
public record KafkaClientSettings(String bootstrapServers, Map<String, String> properties) {

  public static final String BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
  public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
  public static final String CONFIG_FILE = "PXOPS_KAFKA_CONFIG_FILE";
  public static final String PREFIX = "PXOPS_KAFKA_";

  private static final Set<String> CLIENT_PREFIXES = Set.of("producer.", "consumer.", "main.consumer.",
      "restore.consumer.", "global.consumer.", "admin.", "topic.");
  private static final String MASK = "****";
  /**
   * The variables Kubernetes puts in every pod for each Service of its namespace (service links): a Service named
   * {@code pxops-kafka} gives {@code PXOPS_KAFKA_SERVICE_HOST}, {@code PXOPS_KAFKA_PORT_9092_TCP_ADDR}, … They are
   * not Kafka settings and would otherwise stop every service at start; no Kafka setting has these shapes.
   */
  private static final java.util.regex.Pattern SERVICE_LINK = java.util.regex.Pattern.compile(
      "PXOPS_KAFKA_([A-Z0-9_]*_)?(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_\\d+_(TCP|UDP|SCTP)(_[A-Z]+)?)?)");
  private static final java.util.regex.Pattern HOST_PORT =
      java.util.regex.Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}");

  public KafkaClientSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException(BOOTSTRAP_SERVERS + " must name at least one host:port");
    }
    for (String server : bootstrapServers.split(",")) {
      if (!HOST_PORT.matcher(server.trim()).matches()) {
        throw new IllegalArgumentException(BOOTSTRAP_SERVERS + " must be host:port[,host:port...] but was \""
            + bootstrapServers + "\"");
      }
    }
    properties = properties == null ? Map.of() : Map.copyOf(new TreeMap<>(properties));
    for (String name : properties.keySet()) {
      check(name, "Kafka client setting " + name);
    }
  }

  /** The brokers alone, in plain text: tests and the local world. */
  public static KafkaClientSettings plaintext(String bootstrapServers) {
    return new KafkaClientSettings(bootstrapServers, Map.of());
  }

  /**
   * Reads the settings from the environment (or the merged flags, see {@code ConfigOrExit}).
   *
   * @throws IllegalArgumentException naming the variable (or the file and the setting) and the rule
   */
  public static KafkaClientSettings fromEnv(Map<String, String> env) {
    return fromEnv(env, io.pxops.pipeline.settings.PxopsSettings.KAFKA_BOOTSTRAP_SERVERS.read(env));
  }

  /** As {@link #fromEnv(Map)}, with the brokers found elsewhere (the CLI's flags and endpoints file). */
  public static KafkaClientSettings fromEnv(Map<String, String> env, String bootstrapServers) {
    Map<String, String> properties = new TreeMap<>();
    String file = io.pxops.pipeline.settings.PxopsSettings.KAFKA_CONFIG_FILE.read(env);
    if (file != null && !file.isBlank()) {
      Properties loaded = new Properties();
      try (Reader r = Files.newBufferedReader(Path.of(file.trim()), StandardCharsets.UTF_8)) {
        loaded.load(r);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(CONFIG_FILE + " must name a readable properties file but \"" + file
            + "\" could not be read: " + e.getMessage(), e);
      }
      for (String name : loaded.stringPropertyNames()) {
        check(name, CONFIG_FILE + " (" + file + ") setting " + name);
        properties.put(name, loaded.getProperty(name));
      }
    }
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String variable = e.getKey();
      if (!variable.startsWith(PREFIX) || variable.equals(CONFIG_FILE) || variable.length() == PREFIX.length()
          || SERVICE_LINK.matcher(variable).matches()) {
        continue;
      }
      String name = propertyName(variable);
      check(name, variable + " (Kafka setting " + name + ")");
      properties.put(name, e.getValue());
    }
    return new KafkaClientSettings(bootstrapServers, properties);
  }

  /** {@code PXOPS_KAFKA_SASL_JAAS_CONFIG} → {@code sasl.jaas.config}. */
  public static String propertyName(String variable) {
    return variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /**
   * A client configuration: these settings, then {@code own} over them (the caller's settings win), and the
   * brokers.
   */
  public Properties properties(Map<?, ?> own) {
    Properties p = new Properties();
    p.putAll(properties);
    p.putAll(own);
    p.put("bootstrap.servers", bootstrapServers);
    return p;
  }

  /** As {@link #properties(Map)}, as a map for the clients' map constructors. */
  public Map<String, Object> map(Map<String, ?> own) {
    Map<String, Object> m = new HashMap<>(properties);
    m.putAll(own);
    m.put("bootstrap.servers", bootstrapServers);
    return m;
  }

  /** The settings for a log line, every secret masked. */
  public Map<String, String> masked() {
    Map<String, String> out = new TreeMap<>();
    properties.forEach((k, v) -> out.put(k, secret(k) ? MASK : v));
    return out;
  }

  /** Whether a setting's value must never be logged. */
  public static boolean secret(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    String bare = n;
    for (String prefix : CLIENT_PREFIXES) {
      if (n.startsWith(prefix)) {
        bare = n.substring(prefix.length());
      }
    }
    return KafkaNames.PASSWORDS.contains(bare) || n.contains("password") || n.contains("secret")
        || n.contains("jaas") || n.contains("token") || n.contains("credential") || n.endsWith(".key")
        || n.endsWith("keystore.certificate.chain");
  }

  @Override
  public String toString() {
    return "bootstrapServers=" + bootstrapServers + " kafka=" + masked();
  }

  private static void check(String name, String what) {
    if ("bootstrap.servers".equals(name)) {
      throw new IllegalArgumentException(what + ": the brokers are set by " + BOOTSTRAP_SERVERS + " only");
    }
    if (KafkaNames.ALL.contains(name)) {
      return;
    }
    for (String prefix : CLIENT_PREFIXES) {
      if (name.startsWith(prefix) && name.length() > prefix.length()) {
        return;
      }
    }
    throw new IllegalArgumentException(what + " is not a Kafka producer, consumer, admin or Streams setting");
  }

  /** Kafka's own setting names and which of them Kafka declares passwords, read from its config definitions. */
  private static final class KafkaNames {
    static final Set<String> ALL = new TreeSet<>();
    static final Set<String> PASSWORDS = new TreeSet<>();

    static {
      add(ProducerConfig.configDef());
      add(ConsumerConfig.configDef());
      add(AdminClientConfig.configDef());
      try {
        // Kafka Streams is optional here (the CLI has none): its settings count only where it is present
        Class<?> streams = Class.forName("org.apache.kafka.streams.StreamsConfig");
        add((ConfigDef) streams.getMethod("configDef").invoke(null));
      } catch (ReflectiveOperationException | LinkageError e) {
        // no Streams on the class path: no Streams settings to accept
      }
    }

    private static void add(ConfigDef def) {
      def.configKeys().forEach((name, key) -> {
        ALL.add(name);
        if (key.type == ConfigDef.Type.PASSWORD) {
          PASSWORDS.add(name);
        }
      });
    }
  }
}
