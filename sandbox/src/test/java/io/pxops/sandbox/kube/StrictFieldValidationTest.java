package io.pxops.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Strict field validation and the OpenAPI v3 documents that announce it, without kubectl: the fields a kind does not
 * declare, by the path a real server names them; and what kubectl reads before it leaves validation to the server.
 */
@ExtendWith(KubernetesApiExtension.class)
class StrictFieldValidationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final StrictFieldValidation validation = new StrictFieldValidation(CustomResourceDefinitions.kubeDb());

  @Test
  void customKindsAreCheckedAgainstTheirCrdSchemaInTheirOwnVersion() throws Exception {
    JsonNode v1alpha2 = JSON.readTree("""
        {"apiVersion":"kubedb.com/v1alpha2","kind":"PerconaXtraDB","metadata":{"name":"a","labelz":{}},
         "spec":{"version":"8.4.3","terminationPolicy":"Delete","deletionPolicy":"Delete",
                 "storage":{"resources":{"requests":{"storage":"1Gi"}},"storageClassNam":"x"},
                 "podTemplate":{"spec":{"anything":{"goes":"here"}}},
                 "serviceTemplates":[{"alias":"primary"}]}}""");
    JsonNode ops = JSON.readTree("""
        {"apiVersion":"ops.kubedb.com/v1alpha1","kind":"PerconaXtraDBOpsRequest","metadata":{"name":"u"},
         "spec":{"type":"UpdateVersion","databaseRef":{"name":"a"},"updateVersion":{"targetVersion":"1","target":2},
                 "timeout":"5m","apply":"Always","maxRetries":1}}""");

    assertThat(validation.unknownFields(v1alpha2)).as("deletionPolicy is v1's name, unknown in v1alpha2")
        .containsExactly("metadata.labelz", "spec.deletionPolicy", "spec.storage.storageClassNam");
    assertThat(validation.unknownFields(ops)).containsExactly("spec.updateVersion.target");
  }

  @Test
  void customKindsAreCheckedForTheirSchemasTypesAndEnums() throws Exception {
    JsonNode wrong = JSON.readTree("""
        {"apiVersion":"kubedb.com/v1alpha2","kind":"PerconaXtraDB","metadata":{"name":"a"},
         "spec":{"version":"8.4.3","replicas":"three","terminationPolicy":"Delet","halted":false,
                 "storage":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}}""");

    assertThat(validation.schemaErrors(wrong)).containsExactly(
        "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"",
        "spec.terminationPolicy: Unsupported value: \"Delet\": supported values: \"Halt\", \"Delete\", "
            + "\"WipeOut\", \"DoNotTerminate\"");
    assertThat(validation.schemaErrors(JSON.readTree("""
        {"apiVersion":"kubedb.com/v1alpha2","kind":"PerconaXtraDB","metadata":{"name":"sample-pxc"},
         "spec":{"version":"8.4.3","storageType":"Durable","storage":{"storageClassName":"standard",
                 "accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}},
                 "terminationPolicy":"Delete"}}"""))).isEmpty();
  }

  @Test
  void builtInKindsAreCheckedAgainstTheKubernetesModel() throws Exception {
    JsonNode pod = JSON.readTree("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"any":"label"}},
         "spec":{"containers":[{"name":"db","image":"i","resources":{"limits":{"memory":"1Gi"}},
                                "ports":[{"containerPort":3306,"protocoll":"TCP"}]}],"nodeSelectorr":{}}}""");
    JsonNode budget = JSON.readTree("""
        {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"b"},
         "spec":{"maxUnavailable":1,"selector":{"matchLabels":{"a":"b"}}}}""");

    assertThat(validation.unknownFields(pod))
        .containsExactly("spec.containers[0].ports[0].protocoll", "spec.nodeSelectorr");
    assertThat(validation.unknownFields(budget)).isEmpty();
  }

  @Test
  void theOpenApiDocumentsTellKubectlTheServerValidatesFields(MockKubernetes api) throws Exception {
    JsonNode root = get(api, "/openapi/v3");
    String v1alpha2 = root.path("paths").path("apis/kubedb.com/v1alpha2").path("serverRelativeURL").asText();
    assertThat(root.path("paths").fieldNames()).toIterable()
        .contains("api/v1", "apis/kubedb.com/v1", "apis/ops.kubedb.com/v1alpha1", "apis/policy/v1");

    JsonNode document = get(api, v1alpha2);
    JsonNode patch = document.path("paths").path("/apis/kubedb.com/v1alpha2/namespaces/{namespace}/perconaxtradbs/{name}")
        .path("patch");
    assertThat(patch.path("x-kubernetes-group-version-kind").toString())
        .isEqualTo("{\"group\":\"kubedb.com\",\"version\":\"v1alpha2\",\"kind\":\"PerconaXtraDB\"}");
    assertThat(patch.path("parameters").findValuesAsText("name")).contains("fieldValidation");
    assertThat(document.path("components").path("schemas").path("com.kubedb.v1alpha2.PerconaXtraDB")
        .path("properties").path("spec").path("properties").has("terminationPolicy")).isTrue();
  }

  @Test
  void aStrictWriteNamingAnUnknownFieldIsRefusedAndNothingIsStored(MockKubernetes api) throws Exception {
    String body = "{\"apiVersion\":\"ops.kubedb.com/v1alpha1\",\"kind\":\"PerconaXtraDBOpsRequest\","
        + "\"metadata\":{\"name\":\"typo\"},\"spec\":{\"type\":\"UpdateVersion\",\"databseRef\":{\"name\":\"a\"}}}";
    String collection = api.url() + "/apis/ops.kubedb.com/v1alpha1/namespaces/strict/perconaxtradbopsrequests";
    HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(collection + "?fieldValidation=Strict"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(collection + "/typo")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(refused.body()).path("message").asText()).isEqualTo("PerconaXtraDBOpsRequest in version "
        + "\"v1alpha1\" cannot be handled as a PerconaXtraDBOpsRequest: strict decoding error: "
        + "unknown field \"spec.databseRef\"");
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  private static JsonNode get(MockKubernetes api, String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(api.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
