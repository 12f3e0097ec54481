package io.pxops.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PerconaXtraDBSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One PerconaXtraDB, stored in KubeDB's storage version v1, read, listed, watched, created and patched in v1alpha2
 * (as KubeDB's conversion webhook makes a real API server do): the fields that differ between the versions are
 * converted on the way in and out.
 */
@ExtendWith(KubernetesApiExtension.class)
class ServedVersionsTest {

  private static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> v1alpha2(KubernetesClient client) {
    return client.genericKubernetesResources("kubedb.com/v1alpha2", "PerconaXtraDB");
  }

  @Test
  void discoveryListsBothVersionsWithV1Preferred(KubernetesClient client) {
    var group = client.getApiGroup("kubedb.com");
    assertThat(group.getVersions()).extracting(v -> v.getVersion()).containsExactly("v1", "v1alpha2");
    assertThat(group.getPreferredVersion().getVersion()).isEqualTo("v1");
    assertThat(client.getApiResources("kubedb.com/v1alpha2").getResources().get(0).getCategories())
        .containsExactly("datastore", "kubedb", "appscode", "all");
  }

  @Test
  void aV1ObjectIsReadListedAndWatchedAsV1alpha2(KubernetesClient client) throws Exception {
    List<GenericKubernetesResource> seen = new CopyOnWriteArrayList<>();
    try (Watch watch = v1alpha2(client).inNamespace("watched").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, GenericKubernetesResource resource) {
        seen.add(resource);
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    })) {
      client.resources(PerconaXtraDB.class).resource(database("watched", "in-v1", "WipeOut")).create();

      GenericKubernetesResource read = v1alpha2(client).inNamespace("watched").withName("in-v1").get();
      List<GenericKubernetesResource> listed = v1alpha2(client).inNamespace("watched").list().getItems();
      await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());

      for (GenericKubernetesResource r : List.of(read, listed.get(0), seen.get(0))) {
        assertThat(r.getApiVersion()).isEqualTo("kubedb.com/v1alpha2");
        assertThat(spec(r)).containsEntry("terminationPolicy", "WipeOut").doesNotContainKey("deletionPolicy");
      }
    }
  }

  @Test
  void aV1alpha2ObjectIsStoredAsV1AndPatchedInV1alpha2Terms(KubernetesClient client) {
    GenericKubernetesResource created = v1alpha2(client).inNamespace("patched").resource(
        new GenericKubernetesResourceBuilder().withApiVersion("kubedb.com/v1alpha2").withKind("PerconaXtraDB")
            .withNewMetadata().withName("in-v1alpha2").endMetadata()
            .addToAdditionalProperties("spec", Map.of("version", "10.11.13", "terminationPolicy", "Halt",
                "coordinator", Map.of("resources", Map.of("limits", Map.of("memory", "256Mi")))))
            .build()).create();
    assertThat(created.getApiVersion()).isEqualTo("kubedb.com/v1alpha2");

    PerconaXtraDB stored = client.resources(PerconaXtraDB.class).inNamespace("patched").withName("in-v1alpha2").get();
    assertThat(stored.getSpec().getDeletionPolicy()).isEqualTo("Halt");
    assertThat(stored.getSpec().getPodTemplate().path("spec").path("containers").get(0).toString())
        .contains("\"name\":\"px-coordinator\"", "\"memory\":\"256Mi\"");

    v1alpha2(client).inNamespace("patched").withName("in-v1alpha2").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"terminationPolicy\":\"DoNotTerminate\"}}");
    assertThat(deletionPolicy(client, "patched", "in-v1alpha2")).isEqualTo("DoNotTerminate");
    v1alpha2(client).inNamespace("patched").withName("in-v1alpha2").patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/terminationPolicy\",\"value\":\"Delete\"}]");
    assertThat(deletionPolicy(client, "patched", "in-v1alpha2")).isEqualTo("Delete");
    v1alpha2(client).inNamespace("patched").withName("in-v1alpha2").subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Ready\"}}");
    PerconaXtraDB afterStatus = client.resources(PerconaXtraDB.class).inNamespace("patched").withName("in-v1alpha2")
        .get();
    assertThat(afterStatus.getStatus().getPhase()).isEqualTo("Ready");
    assertThat(afterStatus.getSpec().getDeletionPolicy()).isEqualTo("Delete");

    assertThatThrownBy(() -> v1alpha2(client).inNamespace("patched").withName("in-v1alpha2")
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"resourceVersion\":\"1\"},\"spec\":{\"terminationPolicy\":\"Halt\"}}"))
        .as("a patch pinned to a stale version is refused, as by a real server")
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(deletionPolicy(client, "patched", "in-v1alpha2")).isEqualTo("Delete");
  }

  private static String deletionPolicy(KubernetesClient client, String namespace, String name) {
    return client.resources(PerconaXtraDB.class).inNamespace(namespace).withName(name).get().getSpec()
        .getDeletionPolicy();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  private static PerconaXtraDB database(String namespace, String name, String deletionPolicy) {
    PerconaXtraDB db = new PerconaXtraDB();
    db.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    PerconaXtraDBSpec spec = new PerconaXtraDBSpec();
    spec.setVersion("10.11.13");
    spec.setDeletionPolicy(deletionPolicy);
    db.setSpec(spec);
    return db;
  }
}
