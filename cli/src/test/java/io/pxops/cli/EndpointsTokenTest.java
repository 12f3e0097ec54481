package io.pxops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI finds the HTTP APIs' bearer token as kubectl would find its own. */
class EndpointsTokenTest {

  @Test
  void theKubeconfigsTokenIsUsedAndAFlagWins(@TempDir Path dir) throws Exception {
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster: {server: "http://127.0.0.1:1"}
        contexts:
        - name: c
          context: {cluster: c, user: u, namespace: shop}
        current-context: c
        users:
        - name: u
          user: {token: the-kubeconfig-token}
        """);
    assertThat(Endpoints.kubeconfigToken(kubeconfig.toString())).isEqualTo("the-kubeconfig-token");

    Endpoints endpoints = new Endpoints();
    endpoints.kubeconfig = kubeconfig;
    if (System.getenv("PXOPS_TOKEN") == null) {
      assertThat(endpoints.token()).isEqualTo("the-kubeconfig-token");
    }
    endpoints.token = "from-the-flag";
    assertThat(endpoints.token()).isEqualTo("from-the-flag");
  }

  @Test
  void aKubeconfigWithoutATokenOrNoneAtAllGivesNone(@TempDir Path dir) throws Exception {
    Path noToken = Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster: {server: "http://127.0.0.1:1"}
        contexts:
        - name: c
          context: {cluster: c, user: u}
        current-context: c
        users:
        - name: u
          user: {}
        """);
    assertThat(Endpoints.kubeconfigToken(noToken.toString())).isNull();
    assertThat(Endpoints.kubeconfigToken(dir.resolve("missing").toString())).isNull();
  }
}
