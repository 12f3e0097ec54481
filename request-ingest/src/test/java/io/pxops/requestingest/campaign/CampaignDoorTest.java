package io.pxops.requestingest.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.JsonCodec;
import io.pxops.events.campaign.CampaignRecord;
import io.pxops.pipeline.doorauth.DoorRefusal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The campaign door's answers: a refusal names the field and the rule and writes nothing; a create writes one record. */
class CampaignDoorTest {

  private static final String FLEET = """
      {"databases": [
         {"namespace": "shop", "name": "a", "version": "8.0.40"},
         {"namespace": "shop", "name": "b", "version": "8.0.40"},
         {"namespace": "billing", "name": "c", "version": "8.0.40"},
         {"namespace": "billing", "name": "old", "version": "5.7.44"}],
       "namespaces": {}, "namespaceWindows": [],
       "catalog": {"8.0.40": ["8.4.3"], "5.7.44": []}}
      """;
  private static final String SPEC = """
      {"name": "px-8-4", "target": {"version": "8.4.3"},
       "stages": [{"name": "canary", "count": 1, "maxConcurrent": 1},
                  {"name": "rest", "rest": true, "maxConcurrent": 2, "approval": true}],
       "failureBudget": {"count": 0}}
      """;

  private final List<CampaignRecord> written = new ArrayList<>();
  private final CampaignDoor door = new CampaignDoor(() -> json(FLEET), written::add);

  @Test
  void givenAValidSpec_whenCreated_thenOneCreateWithTheFleetIsWrittenAndThePlanAnswered() {
    List<Set<String>> asked = new ArrayList<>();
    CampaignDoor.Answer answer = door.create(json(SPEC), null, "alice", ns -> {
      asked.add(ns);
      return Optional.empty();
    });

    assertThat(answer.status()).isEqualTo(202);
    assertThat(asked).containsExactly(Set.of("billing", "shop"));
    assertThat(answer.body().at("/stages/0/databases/0").asText()).isEqualTo("billing/c 8.0.40 -> 8.4.3");
    assertThat(answer.body().at("/stages/1/databases").size()).isEqualTo(2);
    assertThat(answer.body().at("/refused/0/database").asText()).isEqualTo("billing/old");
    assertThat(written).singleElement().isInstanceOfSatisfying(CampaignRecord.Create.class, c -> {
      assertThat(c.campaign()).isEqualTo("px-8-4");
      assertThat(c.uid()).isEqualTo(answer.body().get("uid").asText());
      assertThat(c.by()).isEqualTo("alice");
      assertThat(c.fleet()).isEqualTo(json(FLEET));
    });
  }

  @Test
  void givenADryRun_thenThePlanIsAnswered200WithTheSameAuthorizationAskedAndNothingIsWritten() {
    List<Set<String>> asked = new ArrayList<>();
    List<io.pxops.events.campaign.CampaignPlan> planned = new ArrayList<>();
    CampaignDoor.Answer answer = door.dryRun(json(SPEC), ns -> {
      asked.add(ns);
      return Optional.empty();
    }, plan -> {
      planned.add(plan);
      return JsonCodec.shared().mapper().createObjectNode().put("dryRun", true);
    });

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().path("dryRun").asBoolean()).isTrue();
    assertThat(asked).as("what a create asks").containsExactly(Set.of("billing", "shop"));
    assertThat(planned).singleElement().satisfies(p -> {
      assertThat(p.stages().get(0).members()).extracting(m -> m.database()).containsExactly("billing/c");
      assertThat(p.refused()).extracting(r -> r.database()).containsExactly("billing/old");
    });
    assertThat(written).as("a dry run writes no record").isEmpty();
  }

  @Test
  void givenADryRunTheCreateWouldRefuse_thenItIsRefusedAlikeNamingTheRuleAndNothingIsWritten() {
    CampaignDoor.Answer badSpec = door.dryRun(json(SPEC.replace("\"maxConcurrent\": 1", "\"maxConcurrent\": 0")),
        ns -> Optional.empty(), plan -> { throw new AssertionError("a refused spec is never planned"); });
    CampaignDoor.Answer createBadSpec = door.create(json(SPEC.replace("\"maxConcurrent\": 1",
        "\"maxConcurrent\": 0")), null, "alice", ns -> Optional.empty());
    CampaignDoor.Answer forbidden = door.dryRun(json(SPEC), ns -> Optional.of(new DoorRefusal(403, "Forbidden",
        "alice may not create in billing", List.of("create"), "perconaxtradbopsrequests.ops.kubedb.com", "billing")),
        plan -> { throw new AssertionError("a forbidden dry run answers no plan"); });

    assertThat(badSpec.status()).isEqualTo(400).isEqualTo(createBadSpec.status());
    assertThat(badSpec.body().path("error").asText()).isEqualTo(createBadSpec.body().path("error").asText());
    assertThat(badSpec.body().path("field").asText()).isEqualTo("stages[0].maxConcurrent");
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.body().path("namespace").asText()).isEqualTo("billing");
    assertThat(written).isEmpty();
  }

  @Test
  void givenBadInput_thenEachRefusalNamesTheFieldAndTheRuleAndNothingIsWritten() {
    CampaignDoor.Answer notJson = door.create(null, null, "alice", ns -> Optional.empty());
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.body().get("field").asText()).isEqualTo("body");

    CampaignDoor.Answer badSpec = door.create(json(SPEC.replace("\"maxConcurrent\": 1", "\"maxConcurrent\": 0")),
        null, "alice", ns -> Optional.empty());
    assertThat(badSpec.status()).isEqualTo(400);
    assertThat(badSpec.body().get("field").asText()).isEqualTo("stages[0].maxConcurrent");
    assertThat(badSpec.body().get("error").asText()).isNotBlank();
    assertThat(badSpec.body().get("violations")).isNotEmpty();

    CampaignDoor.Answer none = door.create(json(SPEC.replace("8.4.3", "9.9.9")), null, "alice",
        ns -> Optional.empty());
    assertThat(none.status()).isEqualTo(422);
    assertThat(none.body().get("error").asText()).isEqualTo(CampaignDoor.NO_MEMBERS);

    CampaignDoor.Answer forbidden = door.create(json(SPEC), null, "bob", ns -> ns.contains("billing")
        ? Optional.of(new DoorRefusal(403, "Forbidden", "user bob may not create", List.of("create"),
            "perconaxtradbopsrequests.ops.kubedb.com", "billing")) : Optional.empty());
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.body().get("namespace").asText()).isEqualTo("billing");

    CampaignDoor.Answer noStage = door.control("px-8-4", "approve", json("{}"), "alice");
    assertThat(noStage.status()).isEqualTo(400);
    assertThat(noStage.body().get("field").asText()).isEqualTo("stage");
    assertThat(door.control("Not_A_Name", "pause", null, "alice").body().get("error").asText())
        .isEqualTo("InvalidName");
    assertThat(door.control("px-8-4", "explode", null, "alice").status()).isEqualTo(404);

    assertThat(written).isEmpty();
  }

  @Test
  void givenControls_thenEachIsWrittenForItsCampaign() {
    assertThat(door.control("px-8-4", "approve", json("{\"stage\": \"rest\"}"), "alice").status()).isEqualTo(202);
    door.control("px-8-4", "pause", null, "alice");
    door.control("px-8-4", "resume", null, "alice");
    door.control("px-8-4", "cancel", null, "alice");
    assertThat(written).containsExactly(new CampaignRecord.Approve("px-8-4", "rest", "alice"),
        new CampaignRecord.Pause("px-8-4", "alice"), new CampaignRecord.Resume("px-8-4", "alice"),
        new CampaignRecord.Cancel("px-8-4", "alice"));
  }

  private static JsonNode json(String text) {
    try {
      return JsonCodec.shared().mapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
