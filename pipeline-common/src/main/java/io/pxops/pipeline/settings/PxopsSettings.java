package io.pxops.pipeline.settings;

import static io.pxops.pipeline.settings.Setting.Program.CLI;
import static io.pxops.pipeline.settings.Setting.Program.COORDINATOR;
import static io.pxops.pipeline.settings.Setting.Program.DEV_TOOLS;
import static io.pxops.pipeline.settings.Setting.Program.INGEST;
import static io.pxops.pipeline.settings.Setting.Program.PROJECTOR;
import static io.pxops.pipeline.settings.Setting.Program.RUNNERS;
import static io.pxops.pipeline.settings.Setting.Program.VERIFIER;

import io.pxops.events.GroupIds;
import io.pxops.pipeline.settings.Setting.Program;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Every setting of every pxops program, declared once (name, default, rule, meaning, readers). The services read
 * their {@code *Config} through these declarations; the README's settings table is generated from them
 * ({@link SettingsTable}) and a test fails when the two differ.
 *
 * <p>Unknown settings: a {@code PXOPS_*} environment variable that NO pxops program declares is refused at start
 * with the nearest declared name ({@link #refuseUnknown}). Not "that this service does not read": in Kubernetes one
 * ConfigMap commonly feeds all five services, so the coordinator must accept {@code PXOPS_VERIFY_HOLD_POLLS}, but a
 * typo ({@code PXOPS_VERIFY_HOLD_POLL}) is no one's setting and was taken silently, changing nothing. Flags are per
 * process, so {@code ConfigOrExit} refuses a flag the service itself does not read. A declared family
 * ({@code PXOPS_KAFKA_<NAME>}) is checked by its reader ({@code KafkaClientSettings}, against Kafka's own names),
 * and the variables Kubernetes adds for every Service of a namespace ({@code PXOPS_INGEST_SERVICE_HOST} for a
 * Service named {@code pxops-ingest}) are no settings and pass.
 *
 * <p>Why no configuration library: SmallRye Config (MicroProfile Config) maps dotted property names to typed
 * interfaces and brings its own runtime (smallrye-common, jboss-logging, the MicroProfile API) into all five services
 * and the CLI, yet gives neither the README table nor the refusal of an unknown variable with the nearest name;
 * picocli's defaults cover flags of one command, not the environment of
 * five services. What pxops needs is a list of declarations and one reader: these two classes.
 */
public final class PxopsSettings {

  private PxopsSettings() {
  }

  private static final Set<Program> SERVICES = Program.SERVICES;
  private static final Set<Program> SERVICES_AND_CLI = EnumSet.of(INGEST, COORDINATOR, RUNNERS, VERIFIER,
      PROJECTOR, CLI);
  private static final String POSITIVE = "1ms";
  private static final String HOST_PORT_RULE = "host:port[,host:port...]";
  private static final String NAME_RULE = "letters, digits, '.', '_' and '-'";

  /** A family of settings sharing a prefix, each read and checked by the family's own reader. */
  public record Family(String prefix, String shownName, String description, Set<Program> readBy) {
  }

  // ---- every service ----

  public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS = Setting.text("KAFKA_BOOTSTRAP_SERVERS",
      "localhost:9092", null, HOST_PORT_RULE, "The Kafka brokers. The CLI's default is the local world's, else "
          + "localhost:9092.", SERVICES_AND_CLI);
  public static final Setting<String> KAFKA_CONFIG_FILE = Setting.text("PXOPS_KAFKA_CONFIG_FILE", null, "none",
      "a readable Java properties file", "Kafka client settings under Kafka's own names "
          + "(`security.protocol=SASL_SSL`), e.g. mounted from a Secret; a `PXOPS_KAFKA_<NAME>` variable wins.",
      SERVICES_AND_CLI);
  public static final Family KAFKA_CLIENT = new Family("PXOPS_KAFKA_", "PXOPS_KAFKA_<NAME>",
      "One Kafka client setting: `<NAME>` lower-cased, `_` read as `.` (`PXOPS_KAFKA_SECURITY_PROTOCOL` is "
          + "`security.protocol`); a name Kafka does not know is refused.", SERVICES_AND_CLI);
  public static final Setting<String> INSTANCE_ID = Setting.text("PXOPS_INSTANCE_ID", null, "the host name",
      "1-200 letters, digits, '.', '_' or '-'", "This instance's stable name (in Kubernetes the pod name): its "
          + "Kafka `group.instance.id`. Two instances of a service must not share it.", SERVICES);
  public static final Setting<String> LOG_FORMAT = Setting.choice("PXOPS_LOG_FORMAT", "text",
      List.of("text", "json"), List.of(), "The log lines' format: plain text, or one JSON object a line.", SERVICES);
  public static final Setting<String> LOG_LEVEL = Setting.choice("PXOPS_LOG_LEVEL", "info",
      List.of("error", "warn", "info", "debug", "trace"), List.of(), "The least level logged.", SERVICES);
  public static final Setting<Long> HEALTH_PORT = Setting.port("PXOPS_HEALTH_PORT", "8080",
      "`/livez`, `/readyz` and `/metrics` of the services without an HTTP API.",
      EnumSet.of(COORDINATOR, RUNNERS, VERIFIER));
  public static final Setting<Duration> RECHECK_INTERVAL = Setting.duration("PXOPS_RECHECK_INTERVAL", "1s",
      POSITIVE, null, "How often a waiting step or check looks again.", EnumSet.of(RUNNERS, VERIFIER));
  public static final Setting<Duration> STUCK_GRACE = Setting.duration("PXOPS_STUCK_GRACE", "2m", POSITIVE, null,
      "How long a pod may be unschedulable before it counts as stuck.", EnumSet.of(RUNNERS, VERIFIER));
  public static final Setting<Long> REPLICATION_FACTOR = new Setting<>("PXOPS_REPLICATION_FACTOR", "-1", null,
      "-1 (the broker's default) or at least 1", "Replication factor of the Streams internal topics.",
      EnumSet.of(COORDINATOR, PROJECTOR), null, text -> {
        long n = Long.parseLong(text.trim());
        if (n == 0 || n < -1 || n > Short.MAX_VALUE) {
          throw new IllegalArgumentException("out of range");
        }
        return n;
      });

  // ---- the ingest and the status projector: their doors ----

  public static final Setting<Long> INGEST_HTTP_PORT = Setting.port("PXOPS_HTTP_PORT", "8081",
      "The ingest's HTTP API (and `/metrics`).", EnumSet.of(INGEST));
  public static final Setting<Long> PROJECTOR_HTTP_PORT = Setting.port("PXOPS_HTTP_PORT", "8082",
      "The status API (and `/metrics`).", EnumSet.of(PROJECTOR));
  public static final Setting<String> STATUS_URL = Setting.text("PXOPS_STATUS_URL", "http://localhost:8082", null,
      "a URL", "The status projector's base URL: the ingest's links; the CLI's status API (its default: the local "
          + "world's, else this).", EnumSet.of(INGEST, CLI));
  public static final Setting<Duration> DEFAULT_TIMEOUT = Setting.duration("PXOPS_DEFAULT_TIMEOUT", "10m", "1s",
      "24h", "The step timeout of a request that gives none.", EnumSet.of(INGEST));
  public static final Setting<String> CLAIM = Setting.choice("PXOPS_CLAIM", "labelled", List.of("all", "labelled"),
      List.of("labeled"), "Which `PerconaXtraDBOpsRequest` objects pxops runs and writes the status of: only those "
          + "labelled `ops.pxops.io/managed-by: pxops`, or every UpdateVersion request not marked for another "
          + "manager. The ingest and the projector must be given the same.", EnumSet.of(INGEST, PROJECTOR));
  public static final Setting<String> DOOR_AUTH = Setting.choice("PXOPS_DOOR_AUTH", "kubernetes",
      List.of("kubernetes", "none"), List.of(), "`kubernetes`: every API call needs a bearer token, checked by "
          + "TokenReview and SubjectAccessReview; `none`: no check (development only).", EnumSet.of(INGEST,
          PROJECTOR));
  public static final Setting<Duration> DOOR_AUTH_CACHE_TTL = Setting.duration("PXOPS_DOOR_AUTH_CACHE_TTL", "10s",
      POSITIVE, "5m", "How long a positive answer (a valid token, an allowed verb) is reused.",
      EnumSet.of(INGEST, PROJECTOR));
  public static final Setting<Long> DOOR_AUTH_CACHE_SIZE = Setting.wholeNumber("PXOPS_DOOR_AUTH_CACHE_SIZE",
      "10000", 1, 1_000_000, "How many answers of each kind are kept.", EnumSet.of(INGEST, PROJECTOR));

  public static final Setting<List<io.pxops.events.campaign.NamespaceWindow>> NAMESPACE_WINDOWS = new Setting<>(
      NamespaceWindowsSetting.NAME, "[]", "none", "a JSON list of `{\"namespaceSelector\": {\"matchLabels\": "
          + "{...}}, \"window\": {...}}`, each window in a campaign window's shape",
      "Maintenance windows for every namespace whose labels match (`{}` matches all), set once by the platform "
          + "team: every update in such a namespace, single or in a campaign, starts only when they are all open.",
      EnumSet.of(INGEST), null, NamespaceWindowsSetting::parse);

  // ---- the coordinator ----

  public static final Setting<String> COORDINATOR_STATE_DIR = Setting.text("PXOPS_STATE_DIR", "state/coordinator",
      null, "a directory path", "Where the Streams state stores live.", EnumSet.of(COORDINATOR));
  public static final Setting<String> COORDINATOR_APPLICATION_ID = Setting.text("PXOPS_APPLICATION_ID",
      GroupIds.COORDINATOR, null, NAME_RULE, "The Streams application id.", EnumSet.of(COORDINATOR));
  public static final Setting<Duration> TICK_INTERVAL = Setting.duration("PXOPS_TICK_INTERVAL", "1s", POSITIVE,
      "1m", "How often deadlines are checked.", EnumSet.of(COORDINATOR));
  public static final Setting<Duration> COMMIT_INTERVAL = Setting.duration("PXOPS_COMMIT_INTERVAL", "20ms", "0s",
      "1m", "PXOPS_COMMIT_INTERVAL_MS", "The longest time between two commits of the Streams transaction; a "
          + "decision that writes a command asks for its commit at once (a command is visible to the runners only "
          + "then). Old name: `PXOPS_COMMIT_INTERVAL_MS` (milliseconds), still accepted.",
      EnumSet.of(COORDINATOR));
  public static final Setting<Duration> POLL_TIMEOUT = Setting.duration("PXOPS_POLL_TIMEOUT", "5ms", POSITIVE,
      "10s", "PXOPS_POLL_MS", "How long the stream thread waits for input; it commits only between polls. Old "
          + "name: `PXOPS_POLL_MS` (milliseconds), still accepted.", EnumSet.of(COORDINATOR));
  public static final Setting<String> PROCESSING_GUARANTEE = Setting.choice("PXOPS_PROCESSING_GUARANTEE",
      "exactly_once_v2", List.of("exactly_once_v2", "at_least_once"), List.of(), "Kafka Streams' guarantee; "
          + "at-least-once drops the commit from the hand-over (~20 ms a step) but is not shown safe under kills: a "
          + "crash between a decision's state and its command can leave a step waiting for its timeout.",
      EnumSet.of(COORDINATOR));
  public static final Setting<Duration> EVENTS_RETENTION = Setting.duration("PXOPS_EVENTS_RETENTION", "720h",
      "1h", null, "How long the lifecycle log keeps a request's history; set on the topic at each start.",
      EnumSet.of(COORDINATOR));

  // ---- the verifier ----

  public static final Setting<Long> VERIFY_HOLD_POLLS = Setting.wholeNumber("PXOPS_VERIFY_HOLD_POLLS", "3", 1, 100,
      "Consecutive healthy looks in one unchanged cluster view before a check passes.", EnumSet.of(VERIFIER));
  public static final Setting<Duration> VERIFY_HOLD_FOR = Setting.duration("PXOPS_VERIFY_HOLD_FOR", "0s", "0s",
      "1h", "How long the view must also have stayed unchanged.", EnumSet.of(VERIFIER));
  public static final Setting<Long> VERIFY_CHUNK_ROWS = Setting.wholeNumber("PXOPS_VERIFY_CHUNK_ROWS", "2000", 1,
      10_000_000, "The most rows of one chunk of the data check.", EnumSet.of(VERIFIER));
  public static final Setting<Long> VERIFY_ROWS_PER_VERDICT = Setting.wholeNumber("PXOPS_VERIFY_ROWS_PER_VERDICT",
      "50000", 1, Long.MAX_VALUE, "The most rows a verdict's data check reads on each node.", EnumSet.of(VERIFIER));
  public static final Setting<Duration> VERIFY_TIME_PER_VERDICT = Setting.duration("PXOPS_VERIFY_TIME_PER_VERDICT",
      "50ms", POSITIVE, null, "The time a verdict's data check may take; no chunk starts after it.",
      EnumSet.of(VERIFIER));
  public static final Setting<Duration> VERIFY_CHUNK_PAUSE = Setting.duration("PXOPS_VERIFY_CHUNK_PAUSE", "10ms",
      "0s", "10s", "The longest pause between two chunks: as long as the chunk before took, up to this, so the check leaves the node to the application at least half of the time.", EnumSet.of(VERIFIER));
  public static final Setting<Long> VERIFY_MAX_CONNECTIONS = Setting.wholeNumber("PXOPS_VERIFY_MAX_CONNECTIONS",
      "48", 1, 10_000, "Node connections kept across looks.", EnumSet.of(VERIFIER));
  public static final Setting<Duration> VERIFY_CONNECTION_IDLE = Setting.duration("PXOPS_VERIFY_CONNECTION_IDLE",
      "5m", POSITIVE, null, "A kept connection unused this long is closed.", EnumSet.of(VERIFIER));
  public static final Setting<Long> VERIFY_MAX_TABLES = Setting.wholeNumber("PXOPS_VERIFY_MAX_TABLES", "16", 0,
      1000, "User tables the data check compares.", EnumSet.of(VERIFIER));
  public static final Setting<Duration> VERIFY_CONNECT_TIMEOUT = Setting.duration("PXOPS_VERIFY_CONNECT_TIMEOUT",
      "2s", POSITIVE, null, "Connecting to a node.", EnumSet.of(VERIFIER));
  public static final Setting<Duration> VERIFY_QUERY_TIMEOUT = Setting.duration("PXOPS_VERIFY_QUERY_TIMEOUT",
      "30s", POSITIVE, null, "One query of the data check.", EnumSet.of(VERIFIER));

  // ---- the status projector ----

  public static final Setting<String> PROJECTOR_STATE_DIR = Setting.text("PXOPS_STATE_DIR",
      "state/status-projector", null, "a directory path", "Where the Streams state stores live.",
      EnumSet.of(PROJECTOR));
  public static final Setting<String> PROJECTOR_APPLICATION_ID = Setting.text("PXOPS_APPLICATION_ID",
      GroupIds.STATUS_PROJECTOR, null, NAME_RULE, "The Streams application id; every instance of one deployment "
          + "uses the same.", EnumSet.of(PROJECTOR));
  public static final Setting<String> HTTP_HOST = Setting.text("PXOPS_HTTP_HOST", "0.0.0.0", null,
      "a host name or address", "The address the HTTP server binds to.", EnumSet.of(PROJECTOR));
  public static final Setting<String> ADVERTISED_HOST = Setting.text("PXOPS_ADVERTISED_HOST", "localhost", null,
      "a host name or IPv4 address, without port or scheme", "The host name the other instances reach this one at.",
      EnumSet.of(PROJECTOR));
  public static final Setting<Boolean> WRITE_BACK = Setting.bool("PXOPS_WRITE_BACK", "true",
      "Whether the status is written back to the ops request objects.", EnumSet.of(PROJECTOR));
  public static final Setting<String> WRITE_BACK_GROUP_ID = Setting.text("PXOPS_WRITE_BACK_GROUP_ID",
      "pxops-status-writeback", null, NAME_RULE, "The write-back's consumer group.", EnumSet.of(PROJECTOR));
  public static final Setting<String> DASHBOARD_INGEST_URL = Setting.text("PXOPS_DASHBOARD_INGEST_URL",
      "http://localhost:8081", null, "an http(s) URL", "The ingest's HTTP door, where the dashboard's Replay and "
          + "Cancel are sent with the browser user's own token.", EnumSet.of(PROJECTOR));

  // ---- the CLI and the dev tools ----

  public static final Setting<String> INGEST_URL = Setting.text("PXOPS_INGEST_URL", null,
      "the local world's, else http://localhost:8081", "a URL", "The ingest's HTTP API.", EnumSet.of(CLI));
  public static final Setting<String> TOKEN = Setting.text("PXOPS_TOKEN", null, "the kubeconfig's token",
      "a bearer token", "The Kubernetes bearer token the HTTP APIs check.", EnumSet.of(CLI));
  public static final Setting<String> CLI_LOG_LEVEL = Setting.choice("PXOPS_LOG_LEVEL", "warn",
      List.of("error", "warn", "info", "debug", "trace"), List.of(), "The least level logged.", EnumSet.of(CLI));
  public static final Setting<String> MARIADB_BUILDS = Setting.text("PXOPS_MARIADB_BUILDS", "/opt/pxops/mariadb",
      null, "a directory path", "Where the local world's MariaDB builds are unpacked, one directory per version.",
      EnumSet.of(DEV_TOOLS));
  public static final Setting<String> SERVICE_JAVA_OPTIONS = Setting.text("PXOPS_SERVICE_JAVA_OPTIONS", null,
      "none", "JVM options", "Extra JVM options for every service the local world starts (e.g. a flight "
          + "recording).", EnumSet.of(DEV_TOOLS));

  /** Every declaration, in the README's order. */
  public static final List<Setting<?>> ALL = List.of(KAFKA_BOOTSTRAP_SERVERS, KAFKA_CONFIG_FILE, INSTANCE_ID,
      LOG_FORMAT, LOG_LEVEL, HEALTH_PORT, RECHECK_INTERVAL, STUCK_GRACE, REPLICATION_FACTOR, INGEST_HTTP_PORT,
      PROJECTOR_HTTP_PORT, STATUS_URL, DEFAULT_TIMEOUT, NAMESPACE_WINDOWS, CLAIM, DOOR_AUTH, DOOR_AUTH_CACHE_TTL,
      DOOR_AUTH_CACHE_SIZE,
      COORDINATOR_STATE_DIR, COORDINATOR_APPLICATION_ID, TICK_INTERVAL, COMMIT_INTERVAL, POLL_TIMEOUT,
      PROCESSING_GUARANTEE, EVENTS_RETENTION, VERIFY_HOLD_POLLS, VERIFY_HOLD_FOR, VERIFY_CHUNK_ROWS,
      VERIFY_ROWS_PER_VERDICT, VERIFY_TIME_PER_VERDICT, VERIFY_CHUNK_PAUSE, VERIFY_MAX_CONNECTIONS,
      VERIFY_CONNECTION_IDLE, VERIFY_MAX_TABLES, VERIFY_CONNECT_TIMEOUT, VERIFY_QUERY_TIMEOUT, PROJECTOR_STATE_DIR,
      PROJECTOR_APPLICATION_ID, HTTP_HOST, ADVERTISED_HOST, WRITE_BACK, WRITE_BACK_GROUP_ID, DASHBOARD_INGEST_URL,
      INGEST_URL, TOKEN,
      CLI_LOG_LEVEL, MARIADB_BUILDS, SERVICE_JAVA_OPTIONS);

  /** Every family. */
  public static final List<Family> FAMILIES = List.of(KAFKA_CLIENT);

  static {
    // a name declared twice is fine only for different programs (each its own default): one program must never
    // have two rules for one variable
    Map<String, Set<Program>> seen = new TreeMap<>();
    for (Setting<?> s : ALL) {
      for (String n : s.names()) {
        Set<Program> programs = seen.computeIfAbsent(n, k -> EnumSet.noneOf(Program.class));
        for (Program p : s.readBy()) {
          if (!programs.add(p)) {
            throw new ExceptionInInitializerError(n + " is declared twice for " + p.label());
          }
        }
      }
    }
  }

  /** Every declared name, old names included. */
  public static Set<String> names() {
    Set<String> names = new HashSet<>();
    ALL.forEach(s -> names.addAll(s.names()));
    return names;
  }

  /**
   * The variables Kubernetes puts in every pod for each Service of its namespace (service links): a Service named
   * {@code pxops-ingest} gives {@code PXOPS_INGEST_SERVICE_HOST}, {@code PXOPS_INGEST_SERVICE_PORT_HTTP},
   * {@code PXOPS_INGEST_PORT_8081_TCP_ADDR}, … and {@code PXOPS_INGEST_PORT=tcp://10.0.0.1:8081}. Refusing them
   * would stop every service in any namespace with a Service whose name starts with {@code pxops}. The bare
   * {@code _PORT} form also needs its {@code tcp://} value, so that a mistyped {@code PXOPS_HELTH_PORT=8080} is still
   * refused.
   */
  private static final Pattern SERVICE_LINK = Pattern.compile(
      "PXOPS(_[A-Z0-9_]+)?_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT_\\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)");
  private static final Pattern SERVICE_LINK_PORT = Pattern.compile("PXOPS(_[A-Z0-9_]+)?_PORT");
  private static final Pattern SERVICE_LINK_PORT_VALUE = Pattern.compile("(tcp|udp|sctp)://\\S+");

  /**
   * Refuses a {@code PXOPS_*} variable no pxops program declares (see the class comment for why not "this
   * service").
   *
   * @throws IllegalArgumentException naming the first unknown variable and the nearest declared name
   */
  public static void refuseUnknown(Map<String, String> env) {
    Set<String> known = names();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith("PXOPS_") || known.contains(name) || inFamily(name)
          || SERVICE_LINK.matcher(name).matches() || (SERVICE_LINK_PORT.matcher(name).matches()
          && e.getValue() != null && SERVICE_LINK_PORT_VALUE.matcher(e.getValue().trim()).matches())) {
        continue;
      }
      throw new IllegalArgumentException("unknown setting " + name + ": no pxops program reads it; did you mean "
          + nearest(name) + "?");
    }
  }

  private static boolean inFamily(String name) {
    return FAMILIES.stream().anyMatch(f -> name.startsWith(f.prefix()) && name.length() > f.prefix().length());
  }

  /** The declared name nearest to {@code name} (fewest edits; the first alphabetically among equals). */
  public static String nearest(String name) {
    List<String> candidates = new ArrayList<>();
    ALL.forEach(s -> candidates.add(s.name()));
    return candidates.stream().distinct()
        .min(Comparator.comparingInt((String k) -> distance(k, name.toUpperCase(Locale.ROOT))).thenComparing(k -> k))
        .orElseThrow();
  }

  /** Levenshtein distance: what a typo costs. */
  public static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(substitution, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
