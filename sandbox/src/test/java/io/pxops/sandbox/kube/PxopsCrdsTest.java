package io.pxops.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * pxops's own CRD: the local API serves exactly what deploy/crds/ installs, and the real kubectl applies the example
 * campaign with validation on, refuses an unknown field, and prints the CRD's columns.
 */
@ExtendWith(KubernetesApiExtension.class)
class PxopsCrdsTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void theLocalApisCopyIsTheDeployedDefinition() throws Exception {
    JsonNode deployed = YAML.readTree(Files.readString(repo().resolve("deploy/crds/campaigns.pxops.io.yaml")));
    try (InputStream in = CustomResourceDefinitions.class.getResourceAsStream(
        CustomResourceDefinitions.PXOPS_RESOURCE)) {
      assertThat(YAML.readTree(in)).isEqualTo(deployed);
    }
  }

  @Test
  void theExampleCampaignAppliesWithValidationAndAnUnknownFieldIsRefused(MockKubernetes api, KubernetesClient client,
      @TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Kubectl.installed(), "kubectl is not installed at /usr/bin/kubectl");
    Kubectl kubectl = Kubectl.on(api, "default", dir);

    Kubectl.Result applied = kubectl.run("apply", "-f",
        repo().resolve("docs/examples/campaign-resource.yaml").toString());

    assertThat(applied.exitCode()).as(applied.output()).isZero();
    assertThat(applied.output()).contains("campaign.pxops.io/px-8-4 created");
    GenericKubernetesResource stored = client.genericKubernetesResources("pxops.io/v1alpha1", "Campaign")
        .withName("px-8-4").get();
    assertThat(stored.getAdditionalProperties()).containsKey("spec");
    assertThat(kubectl.run("get", "campaigns").output()).contains("STATUS").contains("px-8-4");
    // the progress the status projector writes (CampaignObjectStatusClient) is in the columns
    client.genericKubernetesResources("pxops.io/v1alpha1", "Campaign").withName("px-8-4").subresource("status")
        .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"status\":{\"phase\":\"Accepted\",\"progress\":{\"phase\":\"AwaitingApproval\","
                + "\"doneOfTotal\":\"1/4\",\"failed\":0}}}");
    String columns = kubectl.run("get", "campaigns").output();
    assertThat(columns.lines().findFirst().orElseThrow()).containsSubsequence("STATUS", "PHASE", "DONE", "FAILED");
    assertThat(columns).containsPattern("px-8-4\\s+Accepted\\s+AwaitingApproval\\s+1/4\\s+0");

    Path unknown = kubectl.file("bad.yaml", """
        apiVersion: pxops.io/v1alpha1
        kind: Campaign
        metadata: {name: bad}
        spec: {target: {version: "8.4.3"}, stagez: []}
        """);
    Kubectl.Result refused = kubectl.run("apply", "-f", unknown.toString());
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output()).contains("stagez");
  }

  private static Path repo() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("deploy")) ? here : here.getParent();
  }
}
