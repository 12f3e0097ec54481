package io.pxops.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.pxops.kubedb.PerconaXtraDB;
import io.pxops.kubedb.PetSet;
import io.pxops.sandbox.controllers.LocalCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The indexed store answers every request as the mock's own store would (same objects for gets, lists, label
 * selectors, all-namespace lists, watches, conflicts, deletes) while offering each request only the objects of its
 * kind, namespace and name.
 */
class IndexedCrudStoreTest {

  private static MockKubernetes api;
  private static KubernetesClient client;

  @BeforeAll
  static void fleetOfPodsInTwoNamespaces() {
    api = MockKubernetes.start();
    client = api.client("east");
    for (String ns : List.of("east", "west")) {
      for (int i = 0; i < 60; i++) {
        client.pods().inNamespace(ns).resource(pod("db" + (i / 3) + "-" + (i % 3), "db" + (i / 3))).create();
      }
    }
    LocalCatalog.seed(client, List.of("10.11.13", "10.11.14"));
    for (int db = 0; db < 5; db++) {
      client.genericKubernetesResources(PetSet.API_VERSION, "PetSet").inNamespace("east")
          .resource(kubeDb(PetSet.API_VERSION, "PetSet", "db" + db)).create();
      client.genericKubernetesResources(PerconaXtraDB.API_VERSION, "PerconaXtraDB").inNamespace("east")
          .resource(kubeDb(PerconaXtraDB.API_VERSION, "PerconaXtraDB", "db" + db)).create();
    }
  }

  @AfterAll
  static void stop() {
    client.close();
    api.close();
  }

  @Test
  void everyObjectOfOurKindsIsIndexedSoNoRequestScansTheWholeStore() {
    assertThat(api.store().unindexedCount()).isZero();
    assertThat(api.store().candidatesFor("/api/v1/namespaces/east/pods/db3-1")).isEqualTo(1);
    assertThat(api.store().candidatesFor("/api/v1/namespaces/west/pods?labelSelector=app%3Ddb3")).isEqualTo(3);
    assertThat(api.store().candidatesFor("/api/v1/namespaces/west/pods?labelSelector=app%3Dnone")).isZero();
    // a selector the index does not cover (!=) falls back to the kind's objects in the namespace
    assertThat(api.store().candidatesFor("/api/v1/namespaces/west/pods?labelSelector=app%21%3Ddb3")).isEqualTo(60);
    assertThat(api.store().candidatesFor("/apis/kubedb.com/v1/namespaces/east/perconaxtradbs/db2")).isEqualTo(1);
    assertThat(api.store().candidatesFor("/apis/apps.k8s.appscode.com/v1/namespaces/east/petsets")).isEqualTo(5);
    // cluster-scoped (no namespace) and all-namespace requests are narrowed to the kind, or to kind + name
    assertThat(api.store().candidatesFor("/apis/catalog.kubedb.com/v1alpha1/perconaxtradbversions/10.11.14"))
        .isEqualTo(1);
    assertThat(api.store().candidatesFor("/apis/catalog.kubedb.com/v1alpha1/perconaxtradbversions")).isEqualTo(2);
    assertThat(api.store().candidatesFor("/api/v1/pods")).isEqualTo(120);
  }

  @Test
  void getsAndListsReturnWhatTheRequestAsksForAndNothingElse() {
    Pod pod = client.pods().inNamespace("west").withName("db7-2").get();
    assertThat(pod.getMetadata().getNamespace()).isEqualTo("west");
    assertThat(pod.getMetadata().getLabels()).containsEntry("app", "db7");
    assertThat(client.pods().inNamespace("west").withName("db99-0").get()).isNull();

    assertThat(client.pods().inNamespace("east").withLabel("app", "db4").list().getItems())
        .extracting(p -> p.getMetadata().getName()).containsExactly("db4-0", "db4-1", "db4-2");
    assertThat(client.pods().inNamespace("east").withoutLabel("app", "db2").list().getItems()).hasSize(57);
    assertThat(client.pods().inNamespace("east").list().getItems()).hasSize(60)
        .allSatisfy(p -> assertThat(p.getMetadata().getNamespace()).isEqualTo("east"));
    assertThat(client.pods().inAnyNamespace().withLabel("app", "db4").list().getItems())
        .extracting(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
        .containsExactlyInAnyOrder("east/db4-0", "east/db4-1", "east/db4-2", "west/db4-0", "west/db4-1",
            "west/db4-2");
    assertThat(client.resources(PetSet.class).inNamespace("east").withName("db1").get().getMetadata().getName())
        .isEqualTo("db1");
    assertThat(client.resources(PetSet.class).inNamespace("west").list().getItems()).isEmpty();
  }

  @Test
  void writesKeepTheIndexInStepWithTheStore() {
    Pod pod = client.pods().inNamespace("west").withName("db9-0").get();
    client.pods().inNamespace("west").resource(new PodBuilder(pod).editMetadata().addToLabels("role", "primary")
        .endMetadata().build()).update();
    assertThat(client.pods().inNamespace("west").withLabel("role", "primary").list().getItems())
        .extracting(p -> p.getMetadata().getName()).containsExactly("db9-0");

    // a stale resourceVersion is still refused: the conflict check reads the stored object through the index
    assertThatThrownBy(() -> client.pods().inNamespace("west").resource(new PodBuilder(pod).editMetadata()
        .addToLabels("role", "replica").endMetadata().build()).update())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

    // a create is narrowed to the new object's name, and a second create of that name is still refused
    assertThatThrownBy(() -> client.pods().inNamespace("west").resource(pod("db9-1", "db9")).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

    int before = api.store().size();
    client.pods().inNamespace("west").resource(pod("db9-3", "db9")).create();
    assertThat(api.store().size()).isEqualTo(before + 1);
    assertThat(client.pods().inNamespace("west").withName("db9-3").delete()).hasSize(1);
    assertThat(client.pods().inNamespace("west").withName("db9-3").get()).isNull();
    assertThat(api.store().size()).isEqualTo(before);
    assertThat(api.store().candidatesFor("/api/v1/namespaces/west/pods/db9-3")).isZero();
  }

  @Test
  void aWatchOnOneObjectSeesItsChangesOnly() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Watch watch = client.pods().inNamespace("east").withName("db5-1").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod resource) {
        seen.add(action + " " + resource.getMetadata().getName() + " " + resource.getMetadata().getLabels()
            .get("touched"));
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    })) {
      client.pods().inNamespace("east").withName("db5-2").edit(p -> new PodBuilder(p).editMetadata()
          .addToLabels("touched", "other").endMetadata().build());
      client.pods().inNamespace("east").withName("db5-1").edit(p -> new PodBuilder(p).editMetadata()
          .addToLabels("touched", "this").endMetadata().build());
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("MODIFIED db5-1 this"));
    }
    assertThat(seen).noneMatch(s -> s.contains("db5-2"));
  }

  private static Pod pod(String name, String app) {
    return new PodBuilder().withNewMetadata().withName(name).withLabels(Map.of("app", app)).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec().build();
  }

  private static GenericKubernetesResource kubeDb(String apiVersion, String kind, String name) {
    return new GenericKubernetesResourceBuilder().withApiVersion(apiVersion).withKind(kind).withNewMetadata()
        .withName(name).endMetadata().build();
  }
}
