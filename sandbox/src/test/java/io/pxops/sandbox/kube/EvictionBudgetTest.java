package io.pxops.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The local API's eviction under PodDisruptionBudgets, through a fabric8 client as a runner uses it: the budget's
 * arithmetic (minAvailable and maxUnavailable, integer and percent, over the Ready pods its selector picks), the
 * real API's 429 with its message and a {@code DisruptionBudget} cause, and the pods that budgets do not guard.
 */
@ExtendWith(KubernetesApiExtension.class)
class EvictionBudgetTest {

  private static final String NS = KubernetesApiExtension.NAMESPACE;

  private final MockKubernetes api;
  private final KubernetesClient client;

  EvictionBudgetTest(MockKubernetes api) {
    this.api = api;
    // no client-side retry of 429: a refusal is the answer under test (the runners' eviction client is built so too)
    Config config = new ConfigBuilder(api.config(NS)).withRequestRetryBackoffLimit(0).build();
    this.client = new KubernetesClientBuilder().withConfig(config).build();
  }

  @BeforeEach
  void threeReadyPods() {
    for (int i = 0; i < 3; i++) {
      pod("shop-" + i, "shop", true, "Running");
    }
    pod("other-0", "other", true, "Running");
  }

  @AfterEach
  void clean() {
    client.pods().inNamespace(NS).delete();
    client.resources(PodDisruptionBudget.class).inNamespace(NS).delete();
    client.close();
  }

  @Test
  void minAvailableEqualToTheReadyPods_refusesWith429AndTheRealApisMessageNamingTheBudget() throws Exception {
    budget("shop-pdb", new IntOrString(3), null);

    assertThat(client.pods().inNamespace(NS).withName("shop-2").evict()).isFalse();
    assertThat(client.pods().inNamespace(NS).withName("shop-2").get()).as("refused: not deleted").isNotNull();

    HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(api.url() + "/api/v1/namespaces/" + NS + "/pods/shop-2/eviction"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\","
            + "\"metadata\":{\"name\":\"shop-2\",\"namespace\":\"" + NS + "\"}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(raw.statusCode()).isEqualTo(429);
    assertThat(raw.headers().firstValue("Retry-After")).hasValue("10");
    Status status = Serialization.unmarshal(raw.body(), Status.class);
    assertThat(status.getReason()).isEqualTo("TooManyRequests");
    assertThat(status.getMessage()).isEqualTo("Cannot evict pod as it would violate the pod's disruption budget.");
    assertThat(status.getDetails().getCauses()).singleElement().satisfies(c -> {
      assertThat(c.getReason()).isEqualTo("DisruptionBudget");
      assertThat(c.getMessage()).isEqualTo("The disruption budget shop-pdb needs 3 healthy pods and has 3 currently");
    });
    PodDisruptionBudget seen = client.resources(PodDisruptionBudget.class).inNamespace(NS).withName("shop-pdb").get();
    assertThat(seen.getStatus().getDisruptionsAllowed()).isZero();
    assertThat(seen.getStatus().getCurrentHealthy()).isEqualTo(3);
    assertThat(seen.getStatus().getDesiredHealthy()).isEqualTo(3);
  }

  @Test
  void maxUnavailableOne_allowsOneEviction_thenRefusesWhileThatPodIsNotReadyAgain() {
    budget("shop-pdb", null, new IntOrString(1));

    assertThat(client.pods().inNamespace(NS).withName("shop-2").evict()).isTrue();
    pod("shop-2", "shop", false, "Running"); // re-created by its controller, not Ready yet

    assertThat(client.pods().inNamespace(NS).withName("shop-1").evict()).as("a second node down").isFalse();
    assertThat(client.resources(PodDisruptionBudget.class).inNamespace(NS).withName("shop-pdb").get().getStatus())
        .satisfies(s -> {
          assertThat(s.getExpectedPods()).isEqualTo(3);
          assertThat(s.getDesiredHealthy()).isEqualTo(2);
          assertThat(s.getCurrentHealthy()).isEqualTo(2);
          assertThat(s.getDisruptionsAllowed()).isZero();
        });
    // the not-Ready pod itself may go: the budget is met without it (IfHealthyBudget, the default policy)
    assertThat(client.pods().inNamespace(NS).withName("shop-2").evict()).isTrue();
  }

  @Test
  void percentages_roundUp_asKubernetesScalesThem() {
    budget("shop-pdb", new IntOrString("50%"), null); // ceil(1.5) = 2 of 3 needed: one may go
    assertThat(client.pods().inNamespace(NS).withName("shop-0").evict()).isTrue();
    pod("shop-0", "shop", false, "Running"); // back, not Ready yet
    assertThat(client.pods().inNamespace(NS).withName("shop-1").evict()).isFalse();

    client.resources(PodDisruptionBudget.class).inNamespace(NS).withName("shop-pdb").delete();
    budget("shop-pdb", null, new IntOrString("10%")); // ceil(0.3) = 1 of 3 may be unavailable: 2 needed
    assertThat(client.pods().inNamespace(NS).withName("shop-1").evict()).isFalse();
    pod("shop-0", "shop", true, "Running");
    assertThat(client.pods().inNamespace(NS).withName("shop-1").evict()).isTrue();
  }

  @Test
  void podsNoBudgetSelects_andPendingPods_areEvictedFreely() {
    budget("shop-pdb", new IntOrString(3), null);
    assertThat(client.pods().inNamespace(NS).withName("other-0").evict()).isTrue();
    pod("shop-pending", "shop", false, "Pending");
    assertThat(client.pods().inNamespace(NS).withName("shop-pending").evict()).isTrue();
  }

  @Test
  void twoBudgetsOverOnePod_areAnErrorAsInTheRealApi() {
    budget("shop-pdb", null, new IntOrString(1));
    budget("shop-pdb-2", null, new IntOrString(1));
    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
        io.fabric8.kubernetes.client.KubernetesClientException.class,
        () -> client.pods().inNamespace(NS).withName("shop-0").evict()).getCode()).isEqualTo(500);
  }

  /** The API keeps budgets' selectors between evictions (a fleet has thousands): a write must never go unseen. */
  @Test
  void aBudgetCreatedOrReselectedAfterAnEviction_isHonouredByTheNext() {
    assertThat(client.pods().inNamespace(NS).withName("other-0").evict()).as("no budget yet").isTrue();
    budget("shop-pdb", new IntOrString(3), null);
    assertThat(client.pods().inNamespace(NS).withName("shop-2").evict()).as("the new budget").isFalse();

    client.resources(PodDisruptionBudget.class).inNamespace(NS).withName("shop-pdb").edit(b -> {
      b.getSpec().getSelector().setMatchLabels(Map.of("app", "nothing-here"));
      return b;
    });
    assertThat(client.pods().inNamespace(NS).withName("shop-2").evict()).as("it no longer selects shop").isTrue();
  }

  private void budget(String name, IntOrString minAvailable, IntOrString maxUnavailable) {
    client.resources(PodDisruptionBudget.class).inNamespace(NS).resource(new PodDisruptionBudgetBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withMinAvailable(minAvailable).withMaxUnavailable(maxUnavailable)
        .withNewSelector().withMatchLabels(Map.of("app", "shop")).endSelector().endSpec().build()).create();
  }

  private void pod(String name, String app, boolean ready, String phase) {
    Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).withLabels(Map.of("app", app))
        .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec()
        .withNewStatus().withPhase(phase).withConditions(List.of(new io.fabric8.kubernetes.api.model.PodConditionBuilder()
            .withType("Ready").withStatus(ready ? "True" : "False").build())).endStatus().build();
    client.pods().inNamespace(NS).resource(pod).createOr(p -> p.update());
  }
}
