package io.pxops.requestingest.admission;

import io.pxops.events.JsonCodec;
import io.pxops.events.campaign.MaintenanceWindow;
import io.pxops.events.campaign.NamespaceWindow;
import io.pxops.events.campaign.Violation;
import io.pxops.events.campaign.WindowJson;
import io.pxops.events.ApplyPolicy;
import io.pxops.events.RequestSpec;
import io.pxops.requestingest.admission.AdmissionResult.Admitted;
import io.pxops.requestingest.admission.AdmissionResult.Kind;
import io.pxops.requestingest.admission.AdmissionResult.Rejected;
import io.pxops.requestingest.admission.ClusterView.CatalogEntry;
import io.pxops.requestingest.admission.ClusterView.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Admission of an UpdateVersion request: the checks KubeDB's ops webhook makes on create, plus the ones pxops
 * adds, in one pure function whose every rejection names the field and the rule. The same decision serves every
 * door (HTTP, Kafka, Kubernetes), so a request is judged alike whichever way it came in.
 *
 * <p>The rules, in the order they are checked:
 * <ol>
 *   <li>Names: the request's name is a DNS-1123 subdomain, its namespace and database names are DNS-1123
 *       labels (Kubernetes would refuse the object otherwise).
 *   <li>{@code spec.type} is {@code UpdateVersion} (KubeDB's other types are not what pxops runs).
 *   <li>{@code spec.databaseRef.name} and {@code spec.updateVersion.targetVersion} are given.
 *   <li>{@code spec.timeout} is a duration between 1 s and 24 h (default {@link #DEFAULT_TIMEOUT}, since KubeDB
 *       has none and a step without a bound could hold a database forever); {@code spec.apply} is
 *       {@code IfReady} or {@code Always}; {@code spec.maxRetries} is between 0 and {@link #MAX_RETRIES}.
 *   <li>The database exists.
 *   <li>The target exists in the catalog and is not deprecated.
 *   <li>The target is not the current version (nothing to do).
 *   <li>The target is allowed by the CURRENT version's {@code updateConstraints} (KubeDB's
 *       {@code IsUpgradable}: the constraints belong to the source version; a downgrade hits the denylist).
 *   <li>A maintenance window, if given, follows the campaign spec's window rules (read by the same reader,
 *       {@code WindowJson}): refused as {@code InvalidWindow}, naming the field ({@code window.days[0].day}) and
 *       listing each broken rule. So does the database's own window, its PerconaXtraDB's annotation
 *       {@code pxops.io/maintenance-window}, and the namespace's, the same annotation on its Namespace; the request
 *       keeps them all (open when all are), and every configured namespace window ({@code PXOPS_NAMESPACE_WINDOWS},
 *       checked at start) whose {@code matchLabels} the namespace's labels carry.
 * </ol>
 */
public final class Admission {

  /** The step timeout when a request gives none. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration MAX_TIMEOUT = Duration.ofHours(24);
  public static final int MAX_RETRIES = 10;
  public static final String UPDATE_VERSION = "UpdateVersion";

  /** Every rule a rejection names. */
  public static final java.util.Set<String> RULES = java.util.Set.of("InvalidName", "UnsupportedOpsRequestType",
      "Required", "InvalidTimeout", "InvalidApply", "InvalidMaxRetries", "DatabaseNotFound",
      "TargetVersionNotFound", "TargetVersionDeprecated", "AlreadyAtTargetVersion", "CurrentVersionNotFound",
      "InvalidUpdateConstraints", "VersionNotUpgradable", "Invalid", "InvalidWindow");

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final List<String> KUBEDB_TYPES = List.of("UpdateVersion", "HorizontalScaling",
      "VerticalScaling", "VolumeExpansion", "Restart", "Reconfigure", "ReconfigureTLS", "RotateAuth",
      "StorageMigration");

  private Admission() {
  }

  /** Decides whether {@code request} may run on the cluster {@code view} shows, with no configured windows. */
  public static AdmissionResult decide(UpdateRequest request, ClusterView view, Duration defaultTimeout) {
    return decide(request, view, defaultTimeout, List.of());
  }

  /**
   * Decides whether {@code request} may run on the cluster {@code view} shows.
   *
   * @param namespaceWindows the configured namespace windows ({@code PXOPS_NAMESPACE_WINDOWS}, checked at start):
   *     each whose selector the request namespace's labels match binds the request
   */
  public static AdmissionResult decide(UpdateRequest request, ClusterView view, Duration defaultTimeout,
      List<NamespaceWindow> namespaceWindows) {
    if (request.name() == null || request.name().length() > 253 || !SUBDOMAIN.matcher(request.name()).matches()) {
      return invalid("metadata.name", "InvalidName", "metadata.name \"" + q(request.name())
          + "\" must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', at most 253 characters");
    }
    if (request.namespace() == null || !LABEL.matcher(request.namespace()).matches()) {
      return invalid("metadata.namespace", "InvalidName", "metadata.namespace \"" + q(request.namespace())
          + "\" must be a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters");
    }
    if (!UPDATE_VERSION.equals(request.type())) {
      String known = request.type() != null && KUBEDB_TYPES.contains(request.type()) ? " is a KubeDB ops request type pxops does not run"
          : " is not a KubeDB ops request type";
      return invalid("spec.type", "UnsupportedOpsRequestType", "spec.type \"" + q(request.type()) + "\"" + known
          + "; the supported type is UpdateVersion");
    }
    if (isBlank(request.database())) {
      return invalid("spec.databaseRef.name", "Required", "spec.databaseRef.name is required");
    }
    if (!LABEL.matcher(request.database()).matches()) {
      return invalid("spec.databaseRef.name", "InvalidName", "spec.databaseRef.name \"" + q(request.database())
          + "\" must be a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters");
    }
    if (isBlank(request.targetVersion())) {
      return invalid("spec.updateVersion.targetVersion", "Required",
          "spec.updateVersion.targetVersion is required for an UpdateVersion request");
    }
    Duration timeout = defaultTimeout;
    if (request.timeout() != null) {
      try {
        timeout = KubeDurations.parse(request.timeout());
      } catch (IllegalArgumentException e) {
        return invalid("spec.timeout", "InvalidTimeout", "spec.timeout " + e.getMessage());
      }
      if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
        return invalid("spec.timeout", "InvalidTimeout", "spec.timeout \"" + q(request.timeout())
            + "\" must be between 1s and 24h: it bounds each step");
      }
    }
    ApplyPolicy apply;
    if (request.apply() == null) {
      apply = ApplyPolicy.IF_READY;
    } else if ("IfReady".equals(request.apply())) {
      apply = ApplyPolicy.IF_READY;
    } else if ("Always".equals(request.apply())) {
      apply = ApplyPolicy.ALWAYS;
    } else {
      return invalid("spec.apply", "InvalidApply", "spec.apply \"" + q(request.apply())
          + "\" must be IfReady or Always");
    }
    int maxRetries = request.maxRetries() == null ? RequestSpec.DEFAULT_MAX_RETRIES : request.maxRetries();
    if (maxRetries < 0 || maxRetries > MAX_RETRIES) {
      return invalid("spec.maxRetries", "InvalidMaxRetries", "spec.maxRetries " + maxRetries
          + " must be between 0 and " + MAX_RETRIES);
    }

    Optional<Database> database = view.database(request.namespace(), request.database());
    if (database.isEmpty()) {
      return new Rejected("spec.databaseRef.name", "DatabaseNotFound", "spec.databaseRef " + q(request.namespace())
          + "/" + q(request.database()) + " is invalid or not found", Kind.NOT_FOUND);
    }
    Optional<CatalogEntry> target = view.catalogEntry(request.targetVersion());
    if (target.isEmpty()) {
      return forbidden("spec.updateVersion.targetVersion", "TargetVersionNotFound", "target version "
          + q(request.targetVersion()) + " does not exist in the PerconaXtraDBVersion catalog");
    }
    if (target.get().deprecated()) {
      return forbidden("spec.updateVersion.targetVersion", "TargetVersionDeprecated", "target version "
          + q(request.targetVersion()) + " is deprecated in the PerconaXtraDBVersion catalog");
    }
    String current = database.get().version();
    if (request.targetVersion().equals(current)) {
      return forbidden("spec.updateVersion.targetVersion", "AlreadyAtTargetVersion", "database "
          + q(request.namespace()) + "/" + q(request.database()) + " already runs version " + current);
    }
    Optional<CatalogEntry> source = view.catalogEntry(current);
    if (source.isEmpty()) {
      return forbidden("spec.updateVersion.targetVersion", "CurrentVersionNotFound", "the database's current "
          + "version " + current + " has no catalog entry, so its updateConstraints cannot be read");
    }
    boolean allowed;
    try {
      allowed = VersionConstraints.allowed(source.get().allowlist(), source.get().denylist(),
          target.get().version());
    } catch (RuntimeException e) {
      return forbidden("spec.updateVersion.targetVersion", "InvalidUpdateConstraints", "the updateConstraints of "
          + "catalog entry " + current + " cannot be evaluated: " + e.getMessage());
    }
    if (!allowed) {
      return forbidden("spec.updateVersion.targetVersion", "VersionNotUpgradable", "upgrade from version "
          + current + " to " + q(request.targetVersion()) + " is not supported by the updateConstraints of "
          + current + " (allowlist " + source.get().allowlist() + ", denylist " + source.get().denylist() + ")");
    }
    List<MaintenanceWindow> windows = new java.util.ArrayList<>();
    if (request.window() != null) {
      Object read = window(request.window(), "window");
      if (read instanceof Rejected r) {
        return r;
      }
      windows.add((MaintenanceWindow) read);
    }
    if (database.get().window() != null) {
      // the database's own window binds every update of it (its owner's promise), so the request keeps both
      Object read = window(database.get().window(),
          "perconaxtradb.metadata.annotations[" + ClusterView.WINDOW_ANNOTATION + "]");
      if (read instanceof Rejected r) {
        return r;
      }
      windows.add((MaintenanceWindow) read);
    }
    // one read of the namespace for its own window and the labels the configured windows select by
    ClusterView.Namespace namespace = view.namespace(request.namespace());
    if (namespace.window() != null) {
      // the namespace's window binds every update in it, as a campaign's namespace window binds its members: a
      // single request must not start where a campaign over the same database would wait
      Object read = window(namespace.window(),
          "namespace.metadata.annotations[" + ClusterView.WINDOW_ANNOTATION + "]");
      if (read instanceof Rejected r) {
        return r;
      }
      windows.add((MaintenanceWindow) read);
    }
    for (NamespaceWindow configured : namespaceWindows) {
      // the platform team's windows (PXOPS_NAMESPACE_WINDOWS) bind every update in a namespace they select, through
      // any door, as the campaign planner applies the same list to a campaign's members: matchLabels semantics, so
      // an empty selector binds every namespace
      if (namespace.labels().entrySet().containsAll(configured.namespaceSelector().entrySet())) {
        windows.add(configured.window());
      }
    }
    MaintenanceWindow window = MaintenanceWindow.allOf(windows);
    try {
      return new Admitted(new RequestSpec(request.name(), request.namespace(), request.database(),
          request.targetVersion(), timeout, apply, maxRetries,
          request.createdAt() == null ? Instant.now() : request.createdAt(), request.door(),
          request.clientRequestId(), window));
    } catch (IllegalArgumentException e) {
      // the contract's own checks: a value that passed every rule above but not the event's (kept total)
      return invalid("spec", "Invalid", "the request cannot be recorded: " + q(e.getMessage()));
    }
  }

  /** A submitted value quoted in a message, cut: a refusal must not carry a hostile megabyte back. */
  private static String q(String s) {
    if (s == null || s.length() <= 100) {
      return s;
    }
    return s.substring(0, Character.isHighSurrogate(s.charAt(99)) ? 99 : 100) + "…";
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** A window's JSON text read with the campaign's window reader: the window, or the refusal naming each rule. */
  private static Object window(String json, String field) {
    List<Violation> violations = new java.util.ArrayList<>();
    MaintenanceWindow window;
    try {
      window = WindowJson.read(JsonCodec.shared().mapper().readTree(json), field, violations);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return invalid(field, "InvalidWindow", field + " is not JSON: " + q(e.getOriginalMessage()));
    }
    if (!violations.isEmpty()) {
      // each violation quotes at most 80 characters of the input; five of them keep the refusal bounded
      return invalid(violations.get(0).field(), "InvalidWindow", "the maintenance window breaks "
          + violations.size() + " rule(s): " + violations.stream().limit(5).map(Violation::toString)
              .collect(java.util.stream.Collectors.joining("; ")) + (violations.size() > 5 ? "; ..." : ""));
    }
    return window;
  }

  private static Rejected invalid(String field, String rule, String message) {
    return new Rejected(field, rule, message, Kind.INVALID);
  }

  private static Rejected forbidden(String field, String rule, String message) {
    return new Rejected(field, rule, message, Kind.FORBIDDEN);
  }
}
