package io.pxops.requestingest.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.ApplyPolicy;
import io.pxops.requestingest.admission.AdmissionResult.Admitted;
import io.pxops.requestingest.admission.AdmissionResult.Rejected;
import io.pxops.requestingest.admission.ClusterView.CatalogEntry;
import io.pxops.requestingest.admission.ClusterView.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every admission rule, each as a row: the request, and the rule and field it breaks (or none). */
class AdmissionTest {

  /** KubeDB's real PerconaXtraDB catalog (kubedb/installer), plus one entry with a bad constraint. */
  private static final Map<String, CatalogEntry> CATALOG = Map.of(
      "5.7.44", new CatalogEntry("5.7.44", "5.7.44", false, List.of(">= 5.7.44, <= 5.7.44"), List.of()),
      "8.0.31", new CatalogEntry("8.0.31", "8.0.31", true, List.of(">= 8.0.31, <= 8.0.31"), List.of()),
      "8.0.40", new CatalogEntry("8.0.40", "8.0.40", false, List.of(">= 8.0.40, <= 8.4.3"), List.of("< 8.0.40")),
      "8.4.3", new CatalogEntry("8.4.3", "8.4.3", false, List.of(">= 8.4.3"), List.of()),
      "9.9.9-broken", new CatalogEntry("9.9.9-broken", "9.9.9", false, List.of("~> 9"), List.of()));

  private static final ClusterView VIEW = new ClusterView() {
    private final Map<String, Database> databases = Map.of(
        "shop/orders", new Database("shop", "orders", "8.0.40"),
        "shop/legacy", new Database("shop", "legacy", "5.7.44"),
        "shop/broken", new Database("shop", "broken", "9.9.9-broken"),
        "shop/orphan", new Database("shop", "orphan", "7.0.0"),
        "shop/windowed", new Database("shop", "windowed", "8.0.40",
            "{\"timeZone\":\"UTC\",\"days\":[{\"day\":\"Sunday\",\"start\":\"02:00\",\"end\":\"05:00\"}]}"),
        "shop/misannotated", new Database("shop", "misannotated", "8.0.40", "{\"timeZone\":\"Mars/Olympus\"}"));

    @Override
    public Optional<Database> database(String namespace, String name) {
      return Optional.ofNullable(databases.get(namespace + "/" + name));
    }

    @Override
    public Optional<CatalogEntry> catalogEntry(String name) {
      return Optional.ofNullable(CATALOG.get(name));
    }

    @Override
    public List<CatalogEntry> catalog() {
      return List.copyOf(CATALOG.values());
    }
  };

  static Stream<Arguments> rows() {
    return Stream.of(
        row("valid request", req(), null, null),
        row("valid, to the newest allowed", req().target("8.4.3"), null, null),
        row("name not DNS-1123", req().name("Upd_1"), "InvalidName", "metadata.name"),
        row("name too long", req().name("a".repeat(254)), "InvalidName", "metadata.name"),
        row("namespace not a label", req().namespace("Shop"), "InvalidName", "metadata.namespace"),
        row("another KubeDB type", req().type("Restart"), "UnsupportedOpsRequestType", "spec.type"),
        row("unknown type", req().type("Upgrade"), "UnsupportedOpsRequestType", "spec.type"),
        row("missing type", req().type(null), "UnsupportedOpsRequestType", "spec.type"),
        row("missing database", req().database(null), "Required", "spec.databaseRef.name"),
        row("database not a label", req().database("Orders!"), "InvalidName", "spec.databaseRef.name"),
        row("missing target", req().target(" "), "Required", "spec.updateVersion.targetVersion"),
        row("timeout not a duration", req().timeout("5 minutes"), "InvalidTimeout", "spec.timeout"),
        row("timeout zero", req().timeout("0s"), "InvalidTimeout", "spec.timeout"),
        row("timeout over a day", req().timeout("25h"), "InvalidTimeout", "spec.timeout"),
        row("apply unknown", req().apply("Sometimes"), "InvalidApply", "spec.apply"),
        row("negative maxRetries", req().maxRetries(-1), "InvalidMaxRetries", "spec.maxRetries"),
        row("too many retries", req().maxRetries(11), "InvalidMaxRetries", "spec.maxRetries"),
        row("unknown database", req().database("nosuch"), "DatabaseNotFound", "spec.databaseRef.name"),
        row("unknown target", req().target("8.0.99"), "TargetVersionNotFound", "spec.updateVersion.targetVersion"),
        row("deprecated target", req().target("8.0.31"), "TargetVersionDeprecated",
            "spec.updateVersion.targetVersion"),
        row("current version", req().target("8.0.40").database("orders"), "AlreadyAtTargetVersion",
            "spec.updateVersion.targetVersion"),
        row("downgrade (denylist)", req().target("5.7.44"), "VersionNotUpgradable",
            "spec.updateVersion.targetVersion"),
        row("no path from 5.7 (allowlist)", req().database("legacy").target("8.0.40"), "VersionNotUpgradable",
            "spec.updateVersion.targetVersion"),
        row("current version not in catalog", req().database("orphan"), "CurrentVersionNotFound",
            "spec.updateVersion.targetVersion"),
        row("constraint syntax not supported", req().database("broken").target("8.4.3"),
            "InvalidUpdateConstraints", "spec.updateVersion.targetVersion"),
        row("valid window", req().window(SATURDAY_NIGHTS), null, null),
        row("valid windows, all must be open", req().window("[" + SATURDAY_NIGHTS + "," + SATURDAY_NIGHTS + "]"),
            null, null),
        row("window zone unknown", req().window("{\"timeZone\":\"Mars/Olympus\"}"), "InvalidWindow",
            "window.timeZone"),
        row("window weekday unknown", req().window(
            "{\"timeZone\":\"UTC\",\"days\":[{\"day\":\"Caturday\",\"start\":\"22:00\",\"end\":\"06:00\"}]}"),
            "InvalidWindow", "window.days[0].day"),
        row("window date ends before it starts", req().window("{\"timeZone\":\"UTC\",\"dates\":[{\"start\":"
            + "\"2026-12-25T06:00\",\"end\":\"2026-12-24T20:00\"}]}"), "InvalidWindow", "window.dates[0].end"),
        row("window of the wrong type", req().window("\"weekends\""), "InvalidWindow", "window"),
        row("window not JSON", req().window("{timeZone"), "InvalidWindow", "window"),
        row("database's own window", req().database("windowed"), null, null),
        row("database's own window invalid", req().database("misannotated"), "InvalidWindow",
            "perconaxtradb.metadata.annotations[pxops.io/maintenance-window].timeZone"));
  }

  private static final String SATURDAY_NIGHTS =
      "{\"timeZone\":\"Europe/Berlin\",\"days\":[{\"day\":\"Saturday\",\"start\":\"22:00\",\"end\":\"06:00\"}]}";

  @Test
  void givenAWindow_whenAdmitted_thenTheSpecCarriesItAndABadOneNamesEveryRule() {
    Admitted a = (Admitted) Admission.decide(req().window(SATURDAY_NIGHTS).build(), VIEW, Admission.DEFAULT_TIMEOUT);
    assertThat(a.spec().window()).isInstanceOfSatisfying(io.pxops.events.campaign.WindowSchedule.class,
        w -> assertThat(w.zone().getId()).isEqualTo("Europe/Berlin"));
    assertThat(((Admitted) Admission.decide(req().build(), VIEW, Admission.DEFAULT_TIMEOUT)).spec().window()).isNull();

    Admitted both = (Admitted) Admission.decide(req().database("windowed").window(SATURDAY_NIGHTS).build(), VIEW,
        Admission.DEFAULT_TIMEOUT);
    assertThat(both.spec().window()).as("the request's window and the database's: both must be open")
        .isInstanceOfSatisfying(io.pxops.events.campaign.MaintenanceWindow.Intersection.class,
            w -> assertThat(w.parts()).hasSize(2));
    Admitted own = (Admitted) Admission.decide(req().database("windowed").build(), VIEW, Admission.DEFAULT_TIMEOUT);
    assertThat(own.spec().window()).isInstanceOfSatisfying(io.pxops.events.campaign.WindowSchedule.class,
        w -> assertThat(w.zone().getId()).isEqualTo("UTC"));

    Rejected r = (Rejected) Admission.decide(req().window("{\"timeZone\":\"Mars/Olympus\",\"days\":"
        + "[{\"day\":\"Caturday\",\"start\":\"25:00\",\"end\":\"06:00\"}]}").build(), VIEW,
        Admission.DEFAULT_TIMEOUT);
    assertThat(r.message()).contains("3 rule(s)", "(TimeZone)", "window.days[0].day", "(Weekday)",
        "window.days[0].start", "(TimeOfDay)");
  }

  /** The VIEW, with namespace windows: "night" has one, "mars" a bad one, "shop" none. */
  private static final ClusterView WITH_NAMESPACE_WINDOWS = new ClusterView() {
    @Override
    public Optional<Database> database(String namespace, String name) {
      return VIEW.database("shop", name).map(d -> new Database(namespace, name, d.version(), d.window()));
    }

    @Override
    public Optional<String> namespaceWindow(String namespace) {
      return Optional.ofNullable(Map.of("night", SATURDAY_NIGHTS, "mars",
          "{\"timeZone\":\"Mars/Olympus\",\"days\":[{\"day\":\"Caturday\",\"start\":\"01:00\",\"end\":\"02:00\"}]}")
          .get(namespace));
    }

    @Override
    public Optional<CatalogEntry> catalogEntry(String name) {
      return VIEW.catalogEntry(name);
    }

    @Override
    public List<CatalogEntry> catalog() {
      return VIEW.catalog();
    }
  };

  @Test
  void givenANamespaceWindow_whenARequestInItIsAdmitted_thenItKeepsItWithItsOwnAndTheDatabasesAndABadOneIsRefused() {
    Admitted alone = (Admitted) Admission.decide(req().namespace("night").build(), WITH_NAMESPACE_WINDOWS,
        Admission.DEFAULT_TIMEOUT);
    assertThat(alone.spec().window()).as("the namespace's window binds a request that names none")
        .isInstanceOfSatisfying(io.pxops.events.campaign.WindowSchedule.class,
            w -> assertThat(w.zone().getId()).isEqualTo("Europe/Berlin"));

    Admitted all = (Admitted) Admission.decide(req().namespace("night").database("windowed")
        .window("{\"timeZone\":\"UTC\",\"days\":[{\"day\":\"Monday\",\"start\":\"00:00\",\"end\":\"00:00\"}]}")
        .build(), WITH_NAMESPACE_WINDOWS, Admission.DEFAULT_TIMEOUT);
    assertThat(all.spec().window()).as("the request's, the database's and the namespace's: all must be open")
        .isInstanceOfSatisfying(io.pxops.events.campaign.MaintenanceWindow.Intersection.class,
            w -> assertThat(w.parts()).hasSize(3));
    assertThat(((Admitted) Admission.decide(req().namespace("shop").build(), WITH_NAMESPACE_WINDOWS,
        Admission.DEFAULT_TIMEOUT)).spec().window()).as("a namespace without one").isNull();

    Rejected bad = (Rejected) Admission.decide(req().namespace("mars").build(), WITH_NAMESPACE_WINDOWS,
        Admission.DEFAULT_TIMEOUT);
    assertThat(bad.rule()).isEqualTo("InvalidWindow");
    assertThat(bad.field()).startsWith("namespace.metadata.annotations[pxops.io/maintenance-window]");
    assertThat(bad.message()).contains("(TimeZone)", "(Weekday)");
  }

  /** The VIEW, with namespace labels: "billing" is team billing, "shop" team web; each read is counted. */
  private static final class LabelledNamespaces implements ClusterView {
    final java.util.concurrent.atomic.AtomicInteger namespaceReads = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public Optional<Database> database(String namespace, String name) {
      return VIEW.database("shop", name).map(d -> new Database(namespace, name, d.version(), d.window()));
    }

    @Override
    public Namespace namespace(String namespace) {
      namespaceReads.incrementAndGet();
      return new Namespace(Map.of(NAMESPACE_NAME_LABEL, namespace, "team",
          namespace.equals("billing") ? "billing" : "web"), null);
    }

    @Override
    public Optional<String> namespaceWindow(String namespace) {
      throw new AssertionError("admission reads a namespace once, through namespace()");
    }

    @Override
    public Optional<CatalogEntry> catalogEntry(String name) {
      return VIEW.catalogEntry(name);
    }

    @Override
    public List<CatalogEntry> catalog() {
      return VIEW.catalog();
    }
  }

  @Test
  void givenConfiguredNamespaceWindows_whenARequestIsAdmitted_thenItKeepsEachWhoseSelectorItsNamespaceMatches() {
    // as the ingest reads PXOPS_NAMESPACE_WINDOWS at start: billing's Saturday nights, and Sundays for every namespace
    List<io.pxops.events.campaign.NamespaceWindow> configured = io.pxops.pipeline.settings.PxopsSettings
        .NAMESPACE_WINDOWS.read(Map.of("PXOPS_NAMESPACE_WINDOWS", "[{\"namespaceSelector\":{\"matchLabels\":"
            + "{\"team\":\"billing\"}},\"window\":" + SATURDAY_NIGHTS + "},{\"namespaceSelector\":{},"
            + "\"window\":{\"timeZone\":\"UTC\",\"days\":[{\"day\":\"Sunday\",\"start\":\"00:00\","
            + "\"end\":\"00:00\"}]}}]"));
    LabelledNamespaces view = new LabelledNamespaces();

    Admitted billing = (Admitted) Admission.decide(req().namespace("billing").build(), view,
        Admission.DEFAULT_TIMEOUT, configured);
    assertThat(billing.spec().window()).as("billing's window and the one for every namespace: both must be open")
        .isInstanceOfSatisfying(io.pxops.events.campaign.MaintenanceWindow.Intersection.class,
            w -> assertThat(w.parts()).extracting(p -> ((io.pxops.events.campaign.WindowSchedule) p).zone().getId())
                .containsExactlyInAnyOrder("Europe/Berlin", "UTC"));
    assertThat(view.namespaceReads).as("the namespace is read once per admission").hasValue(1);

    Admitted shop = (Admitted) Admission.decide(req().namespace("shop").build(), view, Admission.DEFAULT_TIMEOUT,
        configured);
    assertThat(shop.spec().window()).as("a namespace billing's selector does not match keeps only the empty one's")
        .isInstanceOfSatisfying(io.pxops.events.campaign.WindowSchedule.class,
            w -> assertThat(w.zone().getId()).isEqualTo("UTC"));

    Admitted windowed = (Admitted) Admission.decide(req().namespace("billing").database("windowed")
        .window("{\"timeZone\":\"UTC\",\"days\":[{\"day\":\"Monday\",\"start\":\"00:00\",\"end\":\"00:00\"}]}")
        .build(), view, Admission.DEFAULT_TIMEOUT, configured);
    assertThat(windowed.spec().window()).as("the request's, the database's and both configured ones")
        .isInstanceOfSatisfying(io.pxops.events.campaign.MaintenanceWindow.Intersection.class,
            w -> assertThat(w.parts()).hasSize(4));

    assertThat(((Admitted) Admission.decide(req().namespace("shop").build(), view, Admission.DEFAULT_TIMEOUT,
        configured.subList(0, 1))).spec().window()).as("no configured window selects shop").isNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void eachRuleNamesItsFieldAndNothingElseIsRejected(String title, Req request, String rule, String field) {
    AdmissionResult result = Admission.decide(request.build(), VIEW, Admission.DEFAULT_TIMEOUT);
    if (rule == null) {
      assertThat(result).isInstanceOf(Admitted.class);
    } else {
      assertThat(result).isInstanceOf(Rejected.class);
      Rejected r = (Rejected) result;
      assertThat(r.rule()).isEqualTo(rule);
      assertThat(r.field()).isEqualTo(field);
      assertThat(r.message()).isNotBlank();
    }
  }

  @Test
  void givenNoOptionalFields_thenKubeDbsDefaultsApply() {
    Admitted a = (Admitted) Admission.decide(req().timeout(null).build(), VIEW, Duration.ofMinutes(7));
    assertThat(a.spec().timeout()).isEqualTo(Duration.ofMinutes(7));
    assertThat(a.spec().apply()).isEqualTo(ApplyPolicy.IF_READY);
    assertThat(a.spec().maxRetries()).isEqualTo(1);

    Admitted b = (Admitted) Admission.decide(req().timeout("1h30m").apply("Always").maxRetries(0).build(), VIEW,
        Admission.DEFAULT_TIMEOUT);
    assertThat(b.spec().timeout()).isEqualTo(Duration.ofMinutes(90));
    assertThat(b.spec().apply()).isEqualTo(ApplyPolicy.ALWAYS);
    assertThat(b.spec().maxRetries()).isZero();
  }

  private static Arguments row(String title, Req request, String rule, String field) {
    return Arguments.of(title, request, rule, field);
  }

  private static Req req() {
    return new Req();
  }

  /** A request builder whose defaults make a valid request for shop/orders 8.0.40 -> 8.4.3. */
  static final class Req {
    private String name = "upd-1";
    private String namespace = "shop";
    private String type = "UpdateVersion";
    private String database = "orders";
    private String target = "8.4.3";
    private String timeout = "5m";
    private String apply = "IfReady";
    private Integer maxRetries = 1;
    private String window;

    Req window(String v) {
      window = v;
      return this;
    }

    Req name(String v) {
      name = v;
      return this;
    }

    Req namespace(String v) {
      namespace = v;
      return this;
    }

    Req type(String v) {
      type = v;
      return this;
    }

    Req database(String v) {
      database = v;
      return this;
    }

    Req target(String v) {
      target = v;
      return this;
    }

    Req timeout(String v) {
      timeout = v;
      return this;
    }

    Req apply(String v) {
      apply = v;
      return this;
    }

    Req maxRetries(Integer v) {
      maxRetries = v;
      return this;
    }

    UpdateRequest build() {
      return new UpdateRequest(name, namespace, type, database, target, timeout, apply, maxRetries,
          Instant.parse("2026-11-23T10:00:00Z"), "http", null, window);
    }

    @Override
    public String toString() {
      return name + " " + type + " " + database + " -> " + target;
    }
  }
}
