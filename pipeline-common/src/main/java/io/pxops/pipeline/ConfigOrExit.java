package io.pxops.pipeline;

import io.pxops.pipeline.settings.Durations;
import io.pxops.pipeline.settings.PxopsSettings;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * How every service's {@code main} reads its configuration: once, at start, from the environment and from flags —
 * each setting {@code PXOPS_RECHECK_INTERVAL} may also be given as {@code --pxops-recheck-interval=1s} (or
 * {@code --pxops-recheck-interval 1s}), and a flag wins over the environment. A bad value or an unknown flag ends
 * the process with exit code 2 and one line naming the setting and the rule, not a stack trace.
 */
public final class ConfigOrExit {

  private ConfigOrExit() {
  }

  /**
   * Reads the configuration, or exits.
   *
   * @param service the service's name, for the message
   * @param args the command-line flags
   * @param reader reads and validates the configuration from the merged settings, throwing
   *     {@link IllegalArgumentException} with the rule
   * @return the configuration
   */
  public static <T> T read(String service, String[] args, Function<Map<String, String>, T> reader) {
    try {
      return readChecked(System.getenv(), args, reader);
    } catch (IllegalArgumentException e) {
      System.err.println(service + ": configuration error: " + e.getMessage());
      System.exit(2);
      throw e; // not reached
    }
  }

  /**
   * The configuration from {@code env} and {@code args}, refusing a flag the reader never asked for: a mistyped
   * {@code --pxops-recheck-intervl=5s} was taken silently and changed nothing. The refusal names the nearest
   * setting the reader does read. Kafka client settings ({@code --pxops-kafka-…}) are checked by
   * {@code KafkaClientSettings} itself, against Kafka's own names. The environment is shared by processes (a
   * ConfigMap for every service), so there a {@code PXOPS_*} variable is refused only when no pxops program declares
   * it ({@link PxopsSettings#refuseUnknown}).
   *
   * @throws IllegalArgumentException for a bad value, a malformed flag, a flag no setting of this reader has, or a
   *     variable no program declares
   */
  public static <T> T readChecked(Map<String, String> env, String[] args, Function<Map<String, String>, T> reader) {
    PxopsSettings.refuseUnknown(env);
    // the logging settings were read by Logback before anything else, with a bad value replaced by its default
    // (LogSettings); here, from the environment only (logging never saw a flag), it ends the start as any bad value
    PxopsSettings.LOG_FORMAT.read(env);
    PxopsSettings.LOG_LEVEL.read(env);
    Map<String, String> settings = settings(env, args);
    Set<String> asked = ConcurrentHashMap.newKeySet();
    Map<String, String> recording = new AbstractMap<>() {
      @Override
      public String get(Object key) {
        asked.add(String.valueOf(key));
        return settings.get(key);
      }

      @Override
      public String getOrDefault(Object key, String fallback) {
        asked.add(String.valueOf(key));
        return settings.getOrDefault(key, fallback);
      }

      @Override
      public boolean containsKey(Object key) {
        asked.add(String.valueOf(key));
        return settings.containsKey(key);
      }

      @Override
      public Set<Map.Entry<String, String>> entrySet() {
        return settings.entrySet();
      }
    };
    T config = reader.apply(recording);
    for (String key : asked) {
      // a setting read here but declared nowhere would be refused as unknown when set, and missing from the README:
      // say so at the first start of the service that reads it, not at an operator's
      if (key.startsWith("PXOPS_") && !key.startsWith(KAFKA_PREFIX) && !PxopsSettings.names().contains(key)) {
        throw new IllegalArgumentException(key + " is read but not declared: declare it in PxopsSettings");
      }
    }
    for (String flag : flagKeys(args)) {
      if (!asked.contains(flag) && !flag.startsWith(KAFKA_PREFIX)) {
        String nearest = asked.stream().filter(k -> k.equals("KAFKA_BOOTSTRAP_SERVERS") || k.startsWith("PXOPS_"))
            .min(java.util.Comparator.comparingInt((String k) -> distance(k, flag)).thenComparing(k -> k))
            .orElse(null);
        throw new IllegalArgumentException("unknown flag " + flagName(flag) + (nearest == null ? ""
            : "; the nearest setting is " + flagName(nearest) + " (" + nearest + ")"));
      }
    }
    return config;
  }

  private static final String KAFKA_PREFIX = "PXOPS_KAFKA_";

  /** The settings' names the flags give, e.g. PXOPS_RECHECK_INTERVAL for --pxops-recheck-interval=1s. */
  private static List<String> flagKeys(String[] args) {
    List<String> keys = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        keys.add((eq < 0 ? arg.substring(2) : arg.substring(2, eq)).toUpperCase(Locale.ROOT).replace('-', '_'));
      }
    }
    return keys;
  }

  private static String flagName(String key) {
    return "--" + key.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Levenshtein distance: what a typo costs. */
  static int distance(String a, String b) {
    return PxopsSettings.distance(a, b);
  }

  /**
   * The environment with the flags laid over it.
   *
   * @throws IllegalArgumentException for a flag that is not {@code --kafka-bootstrap-servers} or {@code --pxops-…},
   *     or that has no value
   */
  public static Map<String, String> settings(Map<String, String> env, String[] args) {
    Map<String, String> merged = new HashMap<>(env);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("'" + arg + "' is not a flag; settings are --name=value");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("flag --" + name + " needs a value");
      }
      String key = name.toUpperCase(Locale.ROOT).replace('-', '_');
      if (!key.equals("KAFKA_BOOTSTRAP_SERVERS") && !key.startsWith("PXOPS_")) {
        throw new IllegalArgumentException("unknown flag --" + name + ": the flags are the settings' names, e.g. "
            + "--kafka-bootstrap-servers or --pxops-recheck-interval");
      }
      merged.put(key, value);
    }
    return merged;
  }

  /**
   * Setting {@code key} as a positive duration ({@link Durations}: {@code 1s}, {@code 500ms}), {@code fallback} when
   * unset. Settings declared in {@link PxopsSettings} are read through their declaration instead.
   */
  public static Duration positiveDuration(Map<String, String> settings, String key, String fallback) {
    Duration d = duration(settings, key, fallback);
    if (d.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, was " + settings.getOrDefault(key, fallback));
    }
    return d;
  }

  /** Setting {@code key} as a duration ({@link Durations}) of zero or more, {@code fallback} when unset. */
  public static Duration duration(Map<String, String> settings, String key, String fallback) {
    String value = settings.getOrDefault(key, fallback);
    Duration d;
    try {
      d = Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " must be " + Durations.SYNTAX + ", was " + value, e);
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException(key + " must not be negative, was " + value);
    }
    return d;
  }

  /** Setting {@code key} as a whole number, {@code fallback} when unset. */
  public static int wholeNumber(Map<String, String> settings, String key, String fallback) {
    String value = settings.getOrDefault(key, fallback);
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, was " + value, e);
    }
  }

  /** Setting {@code key} as a TCP port, 0..65535 (0: any free port), {@code fallback} when unset. */
  public static int port(Map<String, String> settings, String key, String fallback) {
    int port = wholeNumber(settings, key, fallback);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(key + " must be a port number in 0..65535 (0: any free port), was " + port);
    }
    return port;
  }

  /**
   * The instance's stable name, {@code PXOPS_INSTANCE_ID}, else the host name ({@code HOSTNAME}, else the local
   * host's name). In Kubernetes the host name is the pod name, which a StatefulSet keeps across restarts: it becomes
   * the Kafka {@code group.instance.id} (static membership, KIP-345), so that a restarted instance takes its
   * partitions back at once instead of waiting for its old membership to time out.
   */
  public static String instanceId(Map<String, String> settings) {
    String id = PxopsSettings.INSTANCE_ID.read(settings);
    if (id == null || id.isBlank()) {
      id = settings.get("HOSTNAME");
    }
    if (id == null || id.isBlank()) {
      try {
        id = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("PXOPS_INSTANCE_ID is unset and the host name is unknown: " + e, e);
      }
    }
    id = id.trim();
    if (!id.matches("[A-Za-z0-9._-]{1,200}")) {
      throw new IllegalArgumentException("PXOPS_INSTANCE_ID must be 1-200 letters, digits, '.', '_' or '-', was "
          + id);
    }
    return id;
  }
}
