package io.pxops.steprunners.runners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pxops.kubedb.KubeDbNames;
import io.pxops.pipeline.steps.PodChangeWatch;
import io.pxops.sandbox.kube.KubernetesApiExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pod watch that wakes waiting steps, on the local Kubernetes API (fabric8's mock server in CRUD mode): every
 * change of a database's pod names its database, other pods name nothing, and an API that cannot be reached neither
 * blocks nor breaks the service that starts the watch (its steps poll meanwhile).
 */
@ExtendWith(KubernetesApiExtension.class)
class PodChangeWatchTest {

  private static final Map<String, String> DATABASE_PODS = Map.of(KubeDbNames.LABEL_NAME,
      KubeDbNames.NAME_PERCONAXTRADBS);

  private static Pod pod(String name, Map<String, String> labels) {
    return new PodBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().withNewSpec()
        .addNewContainer().withName(KubeDbNames.CONTAINER).withImage("img:1").endContainer().endSpec().build();
  }

  @Test
  void everyChangeOfADatabasesPodNamesItsDatabaseAndOtherPodsNameNothing(KubernetesClient client) {
    List<String> changed = new CopyOnWriteArrayList<>();
    try (PodChangeWatch watch = PodChangeWatch.start(client, DATABASE_PODS, KubeDbNames.LABEL_INSTANCE,
        changed::add)) {
      // the watch opens in the background: a pod created before it is open is reported by the watch's first list
      Pod orders = client.pods().resource(pod("orders-0", KubeDbNames.selectorLabels("orders"))).create();
      await().atMost(Duration.ofSeconds(10)).until(() -> changed.contains("test/orders"));
      client.pods().resource(pod("web-0", Map.of("app", "web"))).create();
      changed.clear();

      orders.getMetadata().setAnnotations(Map.of("kubedb.com/ready", "true"));
      client.pods().resource(orders).update();
      await().atMost(Duration.ofSeconds(10)).until(() -> changed.contains("test/orders"));
      changed.clear();
      client.pods().withName("orders-0").delete();
      await().atMost(Duration.ofSeconds(10)).until(() -> changed.contains("test/orders"));
      assertThat(changed).containsOnly("test/orders");
    }
  }

  @Test
  void anApiThatCannotBeReachedNeitherBlocksNorBreaksTheStart() {
    try (KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(
        new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("https://127.0.0.1:1")
            .withRequestRetryBackoffLimit(0).withConnectionTimeout(200).build()).build()) {
      List<String> changed = new CopyOnWriteArrayList<>();
      PodChangeWatch watch = PodChangeWatch.start(unreachable, DATABASE_PODS, KubeDbNames.LABEL_INSTANCE,
          changed::add);
      watch.close();
      assertThat(changed).isEmpty();
    }
  }
}
