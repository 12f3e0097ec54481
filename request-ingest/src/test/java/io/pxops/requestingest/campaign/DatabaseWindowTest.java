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
    PerconaXtraDB db = new PerconaXtraDB();
    db.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").withAnnotations(annotations).build());
    PerconaXtraDBSpec spec = new PerconaXtraDBSpec();
    spec.setVersion("8.0.40");
    spec.setReplicas(3);
    spec.setStorageType("Durable");
    spec.setDeletionPolicy("Delete");
    db.setSpec(spec);
    client.resources(PerconaXtraDB.class).inNamespace("shop").resource(db).create();
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
}
