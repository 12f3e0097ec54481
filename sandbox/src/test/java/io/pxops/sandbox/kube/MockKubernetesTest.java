package io.pxops.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pxops.kubedb.DatabasePauses;
import io.pxops.kubedb.KubeDbConditions;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBSpec;
import io.pxops.kubedb.PerconaXtraDBVersion;
import io.pxops.sandbox.controllers.LocalCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KubernetesApiExtension.class)
class MockKubernetesTest {

  @Test
  void discoveryListsKubeDbKindsWithShortNamesAndStatusSubresources(KubernetesClient client) {
    assertThat(client.getApiGroups().getGroups()).extracting(g -> g.getName())
        .contains("kubedb.com", "ops.kubedb.com", "catalog.kubedb.com", "apps.k8s.appscode.com");
    List<APIResource> kubedb = client.getApiResources("kubedb.com/v1").getResources();
    assertThat(kubedb).extracting(APIResource::getName).containsExactly("perconaxtradbs", "perconaxtradbs/status");
    assertThat(kubedb.get(0).getShortNames()).containsExactly("px");
    assertThat(kubedb.get(0).getVerbs()).contains("get", "list", "watch", "patch", "update");
    assertThat(client.getApiResources("ops.kubedb.com/v1alpha1").getResources().get(0).getShortNames())
        .containsExactly("pxcops");
    APIResource versions = client.getApiResources("catalog.kubedb.com/v1alpha1").getResources().get(0);
    assertThat(versions.getShortNames()).containsExactly("pxversion");
    assertThat(versions.getNamespaced()).isFalse();
    assertThat(client.getApiResources("v1").getResources()).extracting(APIResource::getName)
        .contains("pods", "pods/status", "pods/eviction", "secrets", "services", "namespaces", "configmaps",
            "events");
  }

  @Test
  void genericClientsResolveKindsThroughDiscovery(KubernetesClient client) {
    LocalCatalog.seed(client, List.of("10.11.13"));
    List<GenericKubernetesResource> items = client.genericKubernetesResources(PerconaXtraDBVersion.API_VERSION,
        "PerconaXtraDBVersion").list().getItems();
    assertThat(items).extracting(r -> r.getMetadata().getName()).containsExactly("10.11.13");
    assertThat(client.genericKubernetesResources(PerconaXtraDB.API_VERSION, "PerconaXtraDB").list().getItems())
        .isEmpty();
  }

  @Test
  void givenADatabaseChangedSinceItWasRead_whenResumedThroughThatRead_thenTheConflictIsRetriedAndNothingIsLost(
      KubernetesClient client) {
    PerconaXtraDB db = new PerconaXtraDB();
    db.setMetadata(new ObjectMetaBuilder().withName("stale").withNamespace("default")
        .build());
    PerconaXtraDBSpec spec = new PerconaXtraDBSpec();
    spec.setVersion("10.11.18");
    db.setSpec(spec);
    client.resources(PerconaXtraDB.class).inNamespace("default").resource(db).create();
    DatabasePauses.pause(client, "default", "stale", "paused by a test");
    PerconaXtraDB read = client.resources(PerconaXtraDB.class).inNamespace("default")
        .withName("stale").get();
    // someone writes between the read and the resume: the resume through the old read must not undo their write
    client.resources(PerconaXtraDB.class).inNamespace("default").withName("stale")
        .edit(d -> {
          d.getMetadata().setLabels(Map.of("touched", "yes"));
          return d;
        });

    PerconaXtraDB written = DatabasePauses.resume(client, read);

    assertThat(KubeDbConditions.isPaused(written)).isFalse();
    PerconaXtraDB now = client.resources(PerconaXtraDB.class).inNamespace("default")
        .withName("stale").get();
    assertThat(KubeDbConditions.isPaused(now)).isFalse();
    assertThat(now.getMetadata().getLabels()).containsEntry("touched", "yes");
  }

  @Test
  void evictionDeletesThePod(KubernetesClient client) {
    client.pods().resource(new PodBuilder().withNewMetadata().withName("evict-me").endMetadata().withNewSpec()
        .addNewContainer().withName("c").withImage("i").endContainer().endSpec().build()).create();

    assertThat(client.pods().withName("evict-me").evict()).isTrue();

    assertThat(client.pods().withName("evict-me").get()).isNull();
    assertThatThrownBy(() -> client.pods().withName("evict-me").evict())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  @Test
  void healthAndOpenApiAreAnsweredWithoutListingTheStore(MockKubernetes api) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(api.url() + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> openapi = http.send(HttpRequest.newBuilder(URI.create(api.url() + "/openapi/v2")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok");
    assertThat(openapi.statusCode()).isEqualTo(404);
  }
}
