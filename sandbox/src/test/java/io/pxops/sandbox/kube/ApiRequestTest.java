package io.pxops.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The request attributes RBAC sees, derived from method and path as the API server's RequestInfoFactory does. */
class ApiRequestTest {

  @ParameterizedTest(name = "{0} {1} -> {2} {3} {4}/{5} in [{6}] named [{7}]")
  @CsvSource(delimiter = '|', value = {
      "GET    | /api/v1/namespaces/demo/pods/p-0                               | get              |                 | pods                     |          | demo | p-0",
      "GET    | /api/v1/namespaces/demo/pods?labelSelector=a%3Db                | list             |                 | pods                     |          | demo | ",
      "GET    | /api/v1/pods                                                   | list             |                 | pods                     |          |      | ",
      "GET    | /apis/ops.kubedb.com/v1alpha1/perconaxtradbopsrequests?watch=true&resourceVersion=5 | watch | ops.kubedb.com | perconaxtradbopsrequests |  |    | ",
      "GET    | /apis/ops.kubedb.com/v1alpha1/namespaces/x/perconaxtradbopsrequests?fieldSelector=metadata.name%3Dr1&watch=1 | watch | ops.kubedb.com | perconaxtradbopsrequests | | x | r1",
      "GET    | /api/v1/watch/namespaces/demo/pods                             | watch            |                 | pods                     |          | demo | ",
      "POST   | /api/v1/namespaces/demo/pods/p-0/eviction                      | create           |                 | pods                     | eviction | demo | p-0",
      "PATCH  | /apis/kubedb.com/v1/namespaces/demo/perconaxtradbs/db/status   | patch            | kubedb.com      | perconaxtradbs           | status   | demo | db",
      "PUT    | /apis/kubedb.com/v1/namespaces/demo/perconaxtradbs/db          | update           | kubedb.com      | perconaxtradbs           |          | demo | db",
      "DELETE | /api/v1/namespaces/demo/pods/p-0                               | delete           |                 | pods                     |          | demo | p-0",
      "DELETE | /api/v1/namespaces/demo/pods?labelSelector=a%3Db                | deletecollection |                 | pods                     |          | demo | ",
      "GET    | /api/v1/namespaces/demo                                        | get              |                 | namespaces               |          | demo | demo",
      "GET    | /apis/catalog.kubedb.com/v1alpha1/perconaxtradbversions/10.11.19 | get            | catalog.kubedb.com | perconaxtradbversions |          |      | 10.11.19",
      "POST   | /apis/authorization.k8s.io/v1/subjectaccessreviews            | create           | authorization.k8s.io | subjectaccessreviews |        |      | ",
  })
  void resourceRequests(String method, String path, String verb, String group, String resource, String sub,
      String namespace, String name) {
    ApiRequest r = ApiRequest.of("u", t(method), t(path));
    assertThat(r).isEqualTo(ApiRequest.resource("u", t(verb), t(group), t(resource), t(sub), t(namespace),
        t(name)));
    assertThat(r.isNonResource()).isFalse();
  }

  /** A blank CSV cell arrives as null. */
  private static String t(String cell) {
    return cell == null ? "" : cell.trim();
  }

  @ParameterizedTest
  @CsvSource({"GET,/version", "GET,/apis", "GET,/api/v1", "GET,/apis/kubedb.com/v1", "GET,/openapi/v2",
      "GET,/healthz"})
  void discoveryAndVersionAreNonResourceRequests(String method, String path) {
    ApiRequest r = ApiRequest.of("u", method, path + "?timeout=32s");
    assertThat(r.isNonResource()).isTrue();
    assertThat(r.verb()).isEqualTo("get");
    assertThat(r.nonResourcePath()).isEqualTo(path);
  }

  @Test
  void aLineReadsBackAsTheSameRequest() {
    ApiRequest r = ApiRequest.resource("system:serviceaccount:pxops:pxops-step-runners", "create", "", "pods",
        "eviction", "demo", "p-0");
    assertThat(ApiRequest.fromLine(r.toLine())).isEqualTo(r);
    ApiRequest version = ApiRequest.of("u", "GET", "/version");
    assertThat(ApiRequest.fromLine(version.toLine())).isEqualTo(version);
    assertThatThrownBy(() -> ApiRequest.fromLine("a\tb")).hasMessageContaining("8 tab-separated fields");
  }
}
