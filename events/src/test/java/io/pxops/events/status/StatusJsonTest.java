package io.pxops.events.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pxops.events.AwaitPodRunning;
import io.pxops.events.JsonCodec;
import io.pxops.events.OpsPhase;
import io.pxops.events.Step;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The status records on the wire: golden fixtures under {@code golden/status/} round-trip through
 * the shared mapper, unknown fields are ignored, and folded statuses survive a round trip.
 */
class StatusJsonTest {

  private static final ObjectMapper MAPPER = JsonCodec.shared().mapper();

  static Stream<Arguments> fixtures() {
    return Stream.of(
        Arguments.of("RequestStatus", RequestStatus.class),
        Arguments.of("RequestStatus-rejected", RequestStatus.class),
        Arguments.of("DatabaseStatus", DatabaseStatus.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void givenAGoldenFixture_whenReadAndWrittenAgain_thenTheJsonTreeIsUnchanged(
      String fixture, Class<?> type) throws IOException {
    byte[] bytes = fixture(fixture);

    Object read = MAPPER.readValue(bytes, type);
    byte[] written = MAPPER.writeValueAsBytes(read);

    assertThat(MAPPER.readTree(written)).isEqualTo(MAPPER.readTree(bytes));
    assertThat(MAPPER.readValue(written, type)).isEqualTo(read);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void givenAFixtureWithFieldsAddedByALaterVersion_whenRead_thenTheyAreIgnored(
      String fixture, Class<?> type) throws IOException {
    ObjectNode tree = (ObjectNode) MAPPER.readTree(fixture(fixture));
    tree.put("addedLater", "x");
    tree.putObject("nested").put("y", 1);
    JsonNode conditions = tree.get("conditions");
    if (conditions != null && conditions.size() > 0) {
      ((ObjectNode) conditions.get(0)).put("severity", "Info");
    }

    Object read = MAPPER.treeToValue(tree, type);

    assertThat(read).isEqualTo(MAPPER.readValue(fixture(fixture), type));
  }

  @Test
  void givenTheRequestStatusFixture_whenRead_thenItsFieldsHaveTheirTypedValues() throws IOException {
    RequestStatus status = MAPPER.readValue(fixture("RequestStatus"), RequestStatus.class);

    assertThat(status.phase()).isEqualTo(OpsPhase.PROGRESSING);
    assertThat(status.currentStep()).isEqualTo(Step.CHECK_POD_RUNNING);
    assertThat(status.namespace()).isEqualTo("shop");
    assertThat(status.name()).isEqualTo("orders-to-8.4.3");
    assertThat(status.pods()).extracting(PodProgress::phase)
        .containsExactly(PodPhase.VERIFIED, PodPhase.EVICTED, PodPhase.WAITING);
    assertThat(status.conditions().get(0).type()).isEqualTo("UpdateVersion");
    assertThat(status.conditions().get(0).observedGeneration()).isNull();
  }

  @Test
  void givenAFoldedStatus_whenWrittenAndRead_thenItIsEqual() throws IOException {
    LifecycleScript script = new LifecycleScript("orders", 3).admit("upd-1")
        .runUntil(AwaitPodRunning.class, "orders-0").failStep("X", "y", false).runToIdle();
    RequestStatus status = Folds.request(script.log(), "shop/upd-1");
    DatabaseStatus database = Folds.database(null, script.log());

    assertThat(MAPPER.readValue(MAPPER.writeValueAsBytes(status), RequestStatus.class))
        .isEqualTo(status);
    assertThat(MAPPER.readValue(MAPPER.writeValueAsBytes(database), DatabaseStatus.class))
        .isEqualTo(database);
  }

  @Test
  void givenAStatusWithoutOpsRequest_whenRead_thenTheErrorNamesTheField() {
    String json = "{\"database\":\"shop/orders\",\"phase\":\"Pending\",\"attempt\":0}";

    assertThatThrownBy(() -> MAPPER.readValue(json, RequestStatus.class))
        .hasMessageContaining("opsRequest must be \"namespace/name\"");
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = StatusJsonTest.class.getResourceAsStream("/golden/status/" + name + ".json")) {
      assertThat(in).as("fixture " + name).isNotNull();
      return in.readAllBytes();
    }
  }
}
