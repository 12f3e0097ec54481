package io.pxops.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The strategic merge patches kubectl computes for built-in kinds, applied as the API server applies them. */
class StrategicMergePatchTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void listsWithAMergeKeyMergeItemByItemAndOtherListsAreReplaced() throws Exception {
    JsonNode pod = JSON.readTree("""
        {"metadata":{"labels":{"a":"1","b":"2"},"finalizers":["x"]},
         "spec":{"containers":[{"name":"db","image":"m:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
                                "ports":[{"containerPort":3306},{"containerPort":4567}],"args":["--one"]},
                               {"name":"side","image":"busybox"}],
                 "tolerations":[{"key":"k1"}]}}""");
    JsonNode patch = JSON.readTree("""
        {"metadata":{"labels":{"a":null,"c":"3"},"finalizers":["y"]},
         "spec":{"$setElementOrder/containers":[{"name":"db"},{"name":"side"}],
                 "containers":[{"name":"db","image":"m:2","$setElementOrder/env":[{"name":"A"}],
                                "env":[{"name":"B","$patch":"delete"}],"args":["--two"],
                                "$deleteFromPrimitiveList/unused":["z"]}],
                 "tolerations":[{"key":"k2"}]}}""");

    JsonNode result = StrategicMergePatch.apply(pod, patch);

    assertThat(result.path("metadata").path("labels").toString()).isEqualTo("{\"b\":\"2\",\"c\":\"3\"}");
    assertThat(result.path("metadata").path("finalizers").toString()).isEqualTo("[\"x\",\"y\"]");
    JsonNode db = result.path("spec").path("containers").get(0);
    assertThat(db.path("image").asText()).isEqualTo("m:2");
    assertThat(db.path("env").toString()).isEqualTo("[{\"name\":\"A\",\"value\":\"1\"}]");
    assertThat(db.path("ports").size()).as("ports merge by containerPort: untouched").isEqualTo(2);
    assertThat(db.path("args").toString()).as("a list without a merge key is replaced").isEqualTo("[\"--two\"]");
    assertThat(result.path("spec").path("containers").get(1).path("name").asText()).isEqualTo("side");
    assertThat(result.path("spec").path("tolerations").toString()).isEqualTo("[{\"key\":\"k2\"}]");
    assertThat(result.toString()).doesNotContain("$");
    assertThat(pod.path("spec").path("containers").get(0).path("image").asText()).as("the original is untouched")
        .isEqualTo("m:1");
  }

  @Test
  void directivesDeleteAndReplace() throws Exception {
    JsonNode object = JSON.readTree("{\"spec\":{\"selector\":{\"a\":\"1\",\"b\":\"2\"},\"finalizers\":[\"x\",\"y\"],"
        + "\"gone\":{\"k\":1}}}");
    JsonNode patch = JSON.readTree("{\"spec\":{\"selector\":{\"$patch\":\"replace\",\"c\":\"3\"},"
        + "\"$deleteFromPrimitiveList/finalizers\":[\"x\"],\"gone\":{\"$patch\":\"delete\"}}}");

    JsonNode result = StrategicMergePatch.apply(object, patch);

    assertThat(result.toString()).isEqualTo("{\"spec\":{\"selector\":{\"c\":\"3\"},\"finalizers\":[\"y\"]}}");
  }
}
