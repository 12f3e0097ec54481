package io.pxops.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The local API answers TokenReview and SubjectAccessReview from its table, through fabric8's own typed calls. */
@ExtendWith(KubernetesApiExtension.class)
class LocalAccessReviewsTest {

  @Test
  void tokensAreReviewedFromTheTableAndTheKubeconfigTokenIsTheAdmin(KubernetesClient client, MockKubernetes api) {
    api.accessReviews().token("bob-token", "bob", "devs");

    TokenReview admin = review(client, LocalAccessReviews.ADMIN_TOKEN);
    assertThat(admin.getStatus().getAuthenticated()).isTrue();
    assertThat(admin.getStatus().getUser().getUsername()).isEqualTo(LocalAccessReviews.ADMIN_USER);
    assertThat(api.kubeconfig("demo")).contains("token: " + LocalAccessReviews.ADMIN_TOKEN);
    TokenReview bob = review(client, "bob-token");
    assertThat(bob.getStatus().getUser().getUsername()).isEqualTo("bob");
    assertThat(bob.getStatus().getUser().getGroups()).containsExactly("devs");
    TokenReview unknown = review(client, "nobody");
    assertThat(unknown.getStatus().getAuthenticated()).isFalse();
    assertThat(unknown.getStatus().getError()).isNotBlank();

    api.accessReviews().forget("bob-token");
    assertThat(review(client, "bob-token").getStatus().getAuthenticated()).isFalse();
  }

  @Test
  void accessIsGrantedPerUserVerbResourceAndNamespaceOrEverywhere(KubernetesClient client, MockKubernetes api) {
    api.accessReviews().allow("bob", "create", "perconaxtradbopsrequests", "shop")
        .allow("bob", "list", "perconaxtradbopsrequests", "");

    assertThat(allowed(client, "bob", "devs", "create", "shop")).isTrue();
    assertThat(allowed(client, "bob", "devs", "create", "bank")).isFalse();
    assertThat(allowed(client, "bob", "devs", "update", "shop")).isFalse();
    assertThat(allowed(client, "bob", "devs", "list", "bank")).as("granted in every namespace").isTrue();
    assertThat(allowed(client, "eve", "devs", "create", "shop")).isFalse();
    assertThat(allowed(client, "root", LocalAccessReviews.MASTERS, "delete", "any")).isTrue();

    api.accessReviews().deny("bob", "create", "perconaxtradbopsrequests", "shop");
    assertThat(allowed(client, "bob", "devs", "create", "shop")).isFalse();
  }

  private static TokenReview review(KubernetesClient client, String token) {
    return client.authentication().v1().tokenReviews()
        .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
  }

  private static boolean allowed(KubernetesClient client, String user, String group, String verb, String ns) {
    return client.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder().withNewSpec()
        .withUser(user).withGroups(group).withNewResourceAttributes().withGroup("ops.kubedb.com")
        .withResource("perconaxtradbopsrequests").withVerb(verb).withNamespace(ns).endResourceAttributes()
        .endSpec().build()).getStatus().getAllowed();
  }
}
