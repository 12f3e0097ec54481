package io.pxops.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pxops.kubedb.PerconaXtraDB;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local API records each request made with a token of its request log under that token's user — the verb as
 * RBAC sees it, watches and the eviction subresource included — and nothing made with any other token.
 */
class ApiRequestLogTest {

  private static final String RUNNERS = "system:serviceaccount:pxops:pxops-step-runners";

  @Test
  void recordsEachRequestOfATokenUnderItsUserAndNothingElse(@TempDir Path dir) throws Exception {
    try (MockKubernetes api = MockKubernetes.start()) {
      String token = api.requestLog().issueToken(RUNNERS);
      Path kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"), "demo", token);
      try (KubernetesClient anonymous = api.client("demo")) {
        anonymous.pods().resource(pod("p-0")).create();
        anonymous.pods().resource(pod("p-1")).create();
      }
      System.setProperty("kubeconfig", kubeconfig.toString());
      try (KubernetesClient runners = new KubernetesClientBuilder().build()) {
        System.clearProperty("kubeconfig");
        assertThat(runners.getConfiguration().getAutoOAuthToken()).isEqualTo(token);
        runners.pods().inNamespace("demo").withName("p-0").get();
        runners.pods().inNamespace("demo").withLabel("app", "x").list();
        runners.pods().inNamespace("demo").withName("p-0").patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
        runners.pods().inNamespace("demo").withName("p-1").evict();
        runners.resources(PerconaXtraDB.class).inNamespace("demo").withName("db").get();
        try (Watch w = runners.pods().inNamespace("demo").watch(new Watcher<Pod>() {
          @Override
          public void eventReceived(Action action, Pod resource) {
          }

          @Override
          public void onClose(WatcherException cause) {
          }
        })) {
          await().atMost(Duration.ofSeconds(20)).until(() -> api.requestLog().requests().stream()
              .anyMatch(r -> r.verb().equals("watch")));
        }
      } finally {
        System.clearProperty("kubeconfig");
      }
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(api.requestLog().requests())
          .contains(
              ApiRequest.resource(RUNNERS, "get", "", "pods", "", "demo", "p-0"),
              ApiRequest.resource(RUNNERS, "list", "", "pods", "", "demo", ""),
              ApiRequest.resource(RUNNERS, "patch", "", "pods", "", "demo", "p-0"),
              ApiRequest.resource(RUNNERS, "create", "", "pods", "eviction", "demo", "p-1"),
              ApiRequest.resource(RUNNERS, "get", "kubedb.com", "perconaxtradbs", "", "demo", "db"),
              ApiRequest.resource(RUNNERS, "watch", "", "pods", "", "demo", "")));
      // the anonymous creates (the world's own token) are not a service's requests
      assertThat(api.requestLog().requests()).allMatch(r -> r.user().equals(RUNNERS))
          .noneMatch(r -> r.verb().equals("create") && r.subresource().isEmpty());

      Path file = dir.resolve("log/requests.tsv");
      api.requestLog().appendTo(file);
      api.requestLog().appendTo(file);
      assertThat(ApiRequestLog.read(file)).containsExactlyElementsOf(api.requestLog().requests());
      assertThat(Files.readAllLines(file)).hasSize(2 * api.requestLog().requests().size());
    }
  }

  @Test
  void aFullLogDropsWhatComesAfterAndRefusesToPassForComplete(@TempDir Path dir) {
    ApiRequestLog log = new ApiRequestLog();
    String auth = "Bearer " + log.issueToken(RUNNERS);
    for (int i = 0; i <= ApiRequestLog.MAX_DISTINCT; i++) {
      log.record("GET", "/api/v1/namespaces/demo/pods/p-" + i, auth);
    }
    log.record("GET", "/api/v1/namespaces/demo/pods/p-0", auth); // kept already: not dropped
    assertThat(log.requests()).hasSize(ApiRequestLog.MAX_DISTINCT);
    assertThat(log.dropped()).isEqualTo(1);
    assertThatThrownBy(() -> log.appendTo(dir.resolve("requests.tsv"))).hasMessageContaining("incomplete");
  }

  private static Pod pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("demo").endMetadata()
        .withNewStatus().withPhase("Pending").endStatus().build();
  }
}
