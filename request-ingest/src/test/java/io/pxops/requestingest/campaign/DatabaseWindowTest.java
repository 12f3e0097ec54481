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
}
