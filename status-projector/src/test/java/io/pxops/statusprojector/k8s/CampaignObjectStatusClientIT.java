package io.pxops.statusprojector.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pxops.events.JsonCodec;
import io.pxops.events.campaign.CampaignProgress;
import io.pxops.events.campaign.CampaignProgress.StageProgress;
import io.pxops.events.campaign.CampaignRecord;
import io.pxops.sandbox.kube.MockKubernetes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A campaign's progress on its Campaign object, against the local API serving deploy/crds/: written to
 * status.progress beside the door's Accepted, written only when it changes, never over a later one, and never to an
 * object that is not the campaign's (none, or another run's).
 */
class CampaignObjectStatusClientIT {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private static MockKubernetes api;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    api = MockKubernetes.start();
    client = api.client("default");
  }

  @AfterAll
  static void stop() {
    client.close();
    api.close();
  }

  /** A Campaign object as kubectl applies it, accepted by the ingest (status.phase and uid, a merge patch). */
  private static String accepted(String name) {
    GenericKubernetesResource object = new GenericKubernetesResource();
    object.setApiVersion("pxops.io/v1alpha1");
    object.setKind("Campaign");
    object.setMetadata(new ObjectMetaBuilder().withName(name).build());
    object.setAdditionalProperties(Map.of("spec", Map.of("target", Map.of("version", "8.4.3"))));
    GenericKubernetesResource made = client.genericKubernetesResources(CampaignObjectStatusClient.CAMPAIGN)
        .resource(object).create();
    String uid = made.getMetadata().getUid();
    client.genericKubernetesResources(CampaignObjectStatusClient.CAMPAIGN).withName(name).subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"status\":{\"phase\":\"Accepted\",\"uid\":\"" + uid + "\"}}");
    return uid;
  }

  private static JsonNode status(String name) {
    return JsonCodec.shared().mapper().valueToTree(client.genericKubernetesResources(
        CampaignObjectStatusClient.CAMPAIGN).withName(name).get().getAdditionalProperties()).path("status");
  }

  private static CampaignRecord.Progress progress(String name, String uid, Instant at, String phase, int done,
      int failed, List<CampaignRecord.FailedMember> failures) {
    return new CampaignRecord.Progress(name, uid, at, new CampaignProgress(name, phase, List.of(
        new StageProgress("canary", "Completed", 1, 0, 0, 0, 0, 0),
        new StageProgress("rest", phase.equals("AwaitingApproval") ? "AwaitingApproval" : "Stopped",
            done - 1, 0, failed, 3 - failed, 1, 0))), 0, failed, 1, failures);
  }

  @Test
  void givenAnAcceptedObject_whenItsProgressChanges_thenStatusProgressFollowsAndTheDoorsPhaseStays() {
    String uid = accepted("px-obj");
    CampaignObjectStatusClient writer = new CampaignObjectStatusClient(client);

    CampaignRecord.Progress waiting = progress("px-obj", uid, T0, "AwaitingApproval", 1, 0, List.of());
    assertThat(writer.write(waiting)).isEqualTo(CampaignObjectStatusClient.Result.WRITTEN);
    assertThat(writer.write(waiting)).as("the same progress again").isEqualTo(
        CampaignObjectStatusClient.Result.UNCHANGED);
    JsonNode first = status("px-obj");
    assertThat(first.path("phase").asText()).as("the door's verdict is left alone").isEqualTo("Accepted");
    assertThat(first.at("/progress/phase").asText()).isEqualTo("AwaitingApproval");
    assertThat(first.at("/progress/doneOfTotal").asText()).isEqualTo("1/4");
    assertThat(first.at("/progress/stages/1/waitingForWindow").asInt()).isEqualTo(1);

    CampaignRecord.Progress exhausted = progress("px-obj", uid, T0.plusSeconds(60), "BudgetExhausted", 1, 1,
        List.of(new CampaignRecord.FailedMember("shop/orders", "TargetNotAllowed: already at 8.4.3")));
    assertThat(writer.write(exhausted)).isEqualTo(CampaignObjectStatusClient.Result.WRITTEN);
    assertThat(writer.write(waiting)).as("an older progress replayed after a restart").isEqualTo(
        CampaignObjectStatusClient.Result.UNCHANGED);
    JsonNode last = status("px-obj");
    assertThat(last.at("/progress/phase").asText()).isEqualTo("BudgetExhausted");
    assertThat(last.at("/progress/failed").asInt()).isEqualTo(1);
    assertThat(last.at("/progress/failedMembers/0/database").asText()).isEqualTo("shop/orders");
    assertThat(last.at("/progress/failedMembers/0/reason").asText()).startsWith("TargetNotAllowed");
    assertThat(last.at("/progress/updated").asText()).isEqualTo("2026-12-01T10:01:00Z");
    assertThat(last.path("uid").asText()).isEqualTo(uid);
  }

  @Test
  void givenNoObjectOrAnotherRunsObject_thenNothingIsWrittenOrCreated() {
    CampaignObjectStatusClient writer = new CampaignObjectStatusClient(client);
    assertThat(writer.write(progress("px-http", "run-over-http", T0, "Running", 1, 0, List.of())))
        .isEqualTo(CampaignObjectStatusClient.Result.NO_OBJECT);
    assertThat(client.genericKubernetesResources(CampaignObjectStatusClient.CAMPAIGN).withName("px-http").get())
        .as("a campaign created over HTTP gets no object").isNull();

    accepted("px-other");
    assertThat(writer.write(progress("px-other", "an-earlier-http-run", T0, "Running", 1, 0, List.of())))
        .isEqualTo(CampaignObjectStatusClient.Result.OTHER_RUN);
    assertThat(status("px-other").has("progress")).isFalse();
  }
}
