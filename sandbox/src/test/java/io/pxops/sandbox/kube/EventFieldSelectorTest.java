package io.pxops.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class EventFieldSelectorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void kubectlDescribesSelectorKeepsOnlyTheObjectsEvents() throws Exception {
    String path = "/api/v1/namespaces/demo/events?fieldSelector=involvedObject.name%3Dupd%2CinvolvedObject.kind"
        + "%3DPerconaXtraDBOpsRequest%2CinvolvedObject.uid%3Du-1&limit=500";
    EventFieldSelector selector = EventFieldSelector.of("GET", path).orElseThrow();
    JsonNode list = JSON.readTree("""
        {"kind":"List","items":[
          {"metadata":{"name":"a"},"involvedObject":{"kind":"PerconaXtraDBOpsRequest","name":"upd","uid":"u-1"}},
          {"metadata":{"name":"b"},"involvedObject":{"kind":"PerconaXtraDBOpsRequest","name":"upd","uid":"u-0"}},
          {"metadata":{"name":"c"},"involvedObject":{"kind":"Pod","name":"upd","uid":"u-1"}}]}
        """);
    JsonNode kept = selector.filter(list);
    assertThat(kept.path("items")).hasSize(1);
    assertThat(kept.path("items").get(0).path("metadata").path("name").asText()).isEqualTo("a");
    assertThat(kept.path("kind").asText()).isEqualTo("EventList");
    assertThat(EventFieldSelector.withoutSelector(path)).isEqualTo("/api/v1/namespaces/demo/events?limit=500");
  }

  @Test
  void inequalityAndMissingFieldsAreAsTheApiServerHasThem_andOtherRequestsAreLeftAlone() throws Exception {
    EventFieldSelector notPods = EventFieldSelector.of("GET", "/api/v1/events?fieldSelector=involvedObject.kind!%3DPod"
        + ",reason%3D").orElseThrow();
    assertThat(notPods.matches(JSON.readTree("{\"involvedObject\":{\"kind\":\"PerconaXtraDB\"}}"))).isTrue();
    assertThat(notPods.matches(JSON.readTree("{\"involvedObject\":{\"kind\":\"Pod\"}}"))).isFalse();
    assertThat(EventFieldSelector.of("GET", "/api/v1/namespaces/demo/pods?fieldSelector=a%3Db")).isEmpty();
    assertThat(EventFieldSelector.of("GET", "/api/v1/namespaces/demo/events?watch=true&fieldSelector=a%3Db"))
        .isEmpty();
    assertThat(EventFieldSelector.of("POST", "/api/v1/namespaces/demo/events?fieldSelector=a%3Db")).isEmpty();
  }
}
