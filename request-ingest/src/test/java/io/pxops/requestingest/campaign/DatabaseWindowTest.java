package io.pxops.requestingest.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBSpec;
import io.pxops.requestingest.admission.ClusterView;
import io.pxops.requestingest.kubernetes.KubernetesClusterView;
import io.pxops.sandbox.kube.KubernetesApiExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A database's own maintenance window, its PerconaXtraDB's annotation, read from the local API: admission's view
 * and a campaign's fleet listing both see it.
 */
@ExtendWith(KubernetesApiExtension.class)
class DatabaseWindowTest {

  private static final String WINDOW =
      "{\"timeZone\":\"UTC\",\"days\":[{\"day\":\"Sunday\",\"start\":\"02:00\",\"end\":\"05:00\"}]}";

  private static void create(KubernetesClient client, String name, Map<String, String> annotations) {
    create(client, "shop", name, annotations);
  }

  private static void create(KubernetesClient client, String namespace, String name,
      Map<String, String> annotations) {
    PerconaXtraDB db = new PerconaXtraDB();
    db.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withAnnotations(annotations)
        .build());
    PerconaXtraDBSpec spec = new PerconaXtraDBSpec();
    spec.setVersion("8.0.40");
    spec.setReplicas(3);
    spec.setStorageType("Durable");
    spec.setDeletionPolicy("Delete");
    db.setSpec(spec);
    client.resources(PerconaXtraDB.class).inNamespace(namespace).resource(db).create();
  }

  @Test
  void givenADatabaseAnnotatedWithAWindow_whenReadForAdmissionAndForACampaign_thenBothSeeIt(KubernetesClient client) {
    create(client, "windowed", Map.of(ClusterView.WINDOW_ANNOTATION, WINDOW));
    create(client, "plain", Map.of());

    assertThat(new KubernetesClusterView(client).database("shop", "windowed").orElseThrow().window()).isEqualTo(WINDOW);
    assertThat(new KubernetesClusterView(client).database("shop", "plain").orElseThrow().window()).isNull();

    JsonNode fleet = new CampaignFleetReader(client).read();
    JsonNode windowed = null;
    JsonNode plain = null;
    for (JsonNode d : fleet.get("databases")) {
      if (d.get("name").asText().equals("windowed")) {
        windowed = d;
      } else if (d.get("name").asText().equals("plain")) {
        plain = d;
      }
    }
    assertThat(windowed.at("/window/days/0/day").asText()).isEqualTo("Sunday");
    assertThat(plain.has("window")).isFalse();
  }

  @Test
  void givenANamespaceAnnotatedWithAWindow_whenReadForAdmissionAndForACampaign_thenBothApplyItToItsDatabases(
      KubernetesClient client) {
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName("nightly").withAnnotations(Map.of(ClusterView.WINDOW_ANNOTATION, WINDOW)).endMetadata().build())
        .create();
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName("daily").endMetadata().build()).create();
    create(client, "nightly", "ledger", Map.of());
    create(client, "daily", "carts", Map.of());

    KubernetesClusterView view = new KubernetesClusterView(client);
    assertThat(view.namespaceWindow("nightly")).contains(WINDOW);
    assertThat(view.namespaceWindow("daily")).isEmpty();
    assertThat(view.namespaceWindow("no-such-namespace")).isEmpty();

    // the campaign plans with it: the listing's namespace window selects that namespace, and only its databases
    java.util.List<io.pxops.events.campaign.Violation> violations = new java.util.ArrayList<>();
    io.pxops.events.campaign.FleetListing listing = io.pxops.events.campaign.FleetListing.read(
        new CampaignFleetReader(client).read(), violations);
    assertThat(violations).isEmpty();
    assertThat(listing.namespaceWindows()).hasSize(1);
    var selector = listing.namespaceWindows().get(0).namespaceSelector();
    assertThat(listing.namespaceLabels().get("nightly").entrySet()).containsAll(selector.entrySet());
    assertThat(listing.namespaceLabels().get("daily").entrySet()).doesNotContainAnyElementsOf(selector.entrySet());
  }

  @Test
  void givenConfiguredNamespaceWindows_whenARequestIsAdmittedAndACampaignPlanned_thenBothKeepThoseItsNamespaceMatches(
      KubernetesClient client) {
    // as the platform team sets PXOPS_NAMESPACE_WINDOWS: Saturday nights for team finance, Sundays for every namespace
    java.util.List<io.pxops.events.campaign.NamespaceWindow> configured =
        io.pxops.pipeline.settings.PxopsSettings.NAMESPACE_WINDOWS.read(Map.of("PXOPS_NAMESPACE_WINDOWS",
            "[{\"namespaceSelector\":{\"matchLabels\":{\"team\":\"finance\"}},\"window\":{\"timeZone\":"
                + "\"Europe/Berlin\",\"days\":[{\"day\":\"Saturday\",\"start\":\"22:00\",\"end\":\"06:00\"}]}},"
                + "{\"namespaceSelector\":{\"matchLabels\":{}},\"window\":" + WINDOW + "}]"));
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName("ledgers").withLabels(Map.of("team", "finance")).endMetadata().build()).create();
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName("storefront").withLabels(Map.of("team", "web")).endMetadata().build()).create();
    create(client, "ledgers", "ledger", Map.of());
    create(client, "storefront", "carts", Map.of());
    io.pxops.sandbox.controllers.LocalCatalog.seed(client, java.util.List.of("8.0.40", "8.0.41"));

    // a single request, through admission's view of the local API
    KubernetesClusterView view = new KubernetesClusterView(client);
    assertThat(view.namespace("ledgers").labels()).containsEntry("team", "finance")
        .containsEntry(ClusterView.NAMESPACE_NAME_LABEL, "ledgers");
    io.pxops.events.campaign.MaintenanceWindow ledger = admittedWindow(view, "ledgers", "ledger", configured);
    assertThat(zones(ledger)).as("finance's window and the one for every namespace")
        .containsExactlyInAnyOrder("Europe/Berlin", "UTC");
    assertThat(zones(admittedWindow(view, "storefront", "carts", configured))).as("only the one for every namespace")
        .containsExactly("UTC");

    // a campaign over both: the listing carries the configured windows with their selectors, and the planner keeps
    // for each member the same windows admission keeps for a single request
    java.util.List<io.pxops.events.campaign.Violation> violations = new java.util.ArrayList<>();
    io.pxops.events.campaign.FleetListing listing = io.pxops.events.campaign.FleetListing.read(
        new CampaignFleetReader(client, configured).read(), violations);
    assertThat(violations).isEmpty();
    io.pxops.events.campaign.CampaignSpecJson.Result spec = io.pxops.events.campaign.CampaignSpecJson.read(
        io.pxops.events.JsonCodec.shared().mapper().valueToTree(Map.of("name", "patch", "selection",
            Map.of("namespaces", java.util.List.of("ledgers", "storefront")), "target", Map.of("version", "8.0.41"),
            "stages", java.util.List.of(Map.of("name", "all", "rest", true, "maxConcurrent", 2)),
            "failureBudget", Map.of("count", 0))));
    assertThat(spec.violations()).isEmpty();
    io.pxops.events.campaign.CampaignPlan plan = io.pxops.events.campaign.CampaignPlanner.plan(spec.spec(),
        listing.databases(), listing.namespaceLabels(), listing.namespaceWindows(), listing.updateCatalog());
    Map<String, io.pxops.events.campaign.MaintenanceWindow> planned = new java.util.TreeMap<>();
    plan.members().forEach(m -> planned.put(m.database(), m.window()));
    assertThat(planned).containsOnlyKeys("ledgers/ledger", "storefront/carts");
    assertThat(zones(planned.get("ledgers/ledger"))).containsExactlyInAnyOrder("Europe/Berlin", "UTC");
    assertThat(zones(planned.get("storefront/carts"))).containsExactly("UTC");
  }

  private static io.pxops.events.campaign.MaintenanceWindow admittedWindow(KubernetesClusterView view,
      String namespace, String database, java.util.List<io.pxops.events.campaign.NamespaceWindow> configured) {
    var result = io.pxops.requestingest.admission.Admission.decide(new io.pxops.requestingest.admission.UpdateRequest(
        "upd-1", namespace, "UpdateVersion", database, "8.0.41", null, null, null, null, "http", null), view,
        io.pxops.requestingest.admission.Admission.DEFAULT_TIMEOUT, configured);
    assertThat(result).isInstanceOf(io.pxops.requestingest.admission.AdmissionResult.Admitted.class);
    return ((io.pxops.requestingest.admission.AdmissionResult.Admitted) result).spec().window();
  }

  /** The time zones of a window's schedules: which windows it keeps. */
  private static java.util.List<String> zones(io.pxops.events.campaign.MaintenanceWindow window) {
    if (window instanceof io.pxops.events.campaign.MaintenanceWindow.Intersection all) {
      return all.parts().stream().flatMap(p -> zones(p).stream()).toList();
    }
    return window instanceof io.pxops.events.campaign.WindowSchedule w ? java.util.List.of(w.zone().getId())
        : java.util.List.of();
  }

  @Test
  void givenConfiguredNamespaceWindows_whenAnUpdateIsDryRun_thenItsWindowIsTheOneItsNamespaceMatches(
      KubernetesClient client) {
    // the dry run is handed the same PXOPS_NAMESPACE_WINDOWS as the submit's admission: a window for team finance
    java.util.List<io.pxops.events.campaign.NamespaceWindow> configured =
        io.pxops.pipeline.settings.PxopsSettings.NAMESPACE_WINDOWS.read(Map.of("PXOPS_NAMESPACE_WINDOWS",
            "[{\"namespaceSelector\":{\"matchLabels\":{\"team\":\"finance\"}},\"window\":" + WINDOW + "}]"));
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName("payroll").withLabels(Map.of("team", "finance")).endMetadata().build()).create();
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName("webshop").withLabels(Map.of("team", "web")).endMetadata().build()).create();
    create(client, "payroll", "salaries", Map.of());
    create(client, "webshop", "baskets", Map.of());
    io.pxops.sandbox.controllers.LocalCatalog.seed(client, java.util.List.of("8.0.40", "8.0.41"));
    io.pxops.requestingest.UpdateDryRun dryRun = new io.pxops.requestingest.UpdateDryRun(client,
        java.time.Duration.ofMinutes(10), configured,
        new io.pxops.requestingest.dryrun.MeasuredUpdatesClient(java.util.Optional.empty()),
        new io.pxops.requestingest.dryrun.DatabaseQueueClient(java.util.Optional.empty()));
    // a Monday noon: outside the Sunday window
    java.time.Instant monday = java.time.Instant.parse("2026-11-30T12:00:00Z");

    io.pxops.requestingest.UpdateDryRun.Answer finance = dryRun.run(
        "{\"database\":\"salaries\",\"targetVersion\":\"8.0.41\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "payroll", monday, null);
    assertThat(finance.status()).as(finance.body().toString()).isEqualTo(200);
    assertThat(finance.body().at("/window/has").asBoolean()).as("finance's window binds it").isTrue();
    assertThat(finance.body().at("/window/openNow").asBoolean()).isFalse();
    assertThat(finance.body().at("/window/startsAt").asText()).as("the next Sunday 02:00 UTC")
        .isEqualTo("2026-12-06T02:00:00Z");

    io.pxops.requestingest.UpdateDryRun.Answer web = dryRun.run(
        "{\"database\":\"baskets\",\"targetVersion\":\"8.0.41\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "webshop", monday, null);
    assertThat(web.status()).as(web.body().toString()).isEqualTo(200);
    assertThat(web.body().at("/window/has").asBoolean()).as("no window selects team web").isFalse();
    assertThat(web.body().at("/queue/known").asBoolean()).as("no status projector given").isFalse();
  }
}
