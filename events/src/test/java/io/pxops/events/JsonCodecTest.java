package io.pxops.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonCodecTest {

  private final JsonCodec codec = JsonCodec.shared();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void assertInvalid(byte[] bytes, InvalidMessageException.Problem problem, String text) {
    assertThatThrownBy(() -> codec.decode(bytes))
        .isInstanceOfSatisfying(
            InvalidMessageException.class, e -> assertThat(e.problem()).isEqualTo(problem))
        .hasMessageContaining(text);
  }

  @Test
  void givenBytesThatAreNotJson_whenDecoded_thenNotJsonIsReported() {
    assertInvalid(utf8("PodEvicted orders-2"), InvalidMessageException.Problem.NOT_JSON, "not JSON");
    assertInvalid(new byte[0], InvalidMessageException.Problem.NOT_JSON, "empty");
    assertInvalid(null, InvalidMessageException.Problem.NOT_JSON, "empty");
    assertInvalid(utf8("[1,2]"), InvalidMessageException.Problem.NOT_JSON, "ARRAY");
    assertInvalid(utf8("\"text\""), InvalidMessageException.Problem.NOT_JSON, "STRING");
  }

  @Test
  void givenAValidEnvelopeFollowedByGarbage_whenDecoded_thenNotJsonIsReported() {
    byte[] fixture = Golden.require("PodEvicted");
    byte[] withGarbage = utf8(new String(fixture, StandardCharsets.UTF_8) + " {\"x\":1}");

    assertInvalid(withGarbage, InvalidMessageException.Problem.NOT_JSON, "not JSON");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "eventId",
        "type",
        "schemaVersion",
        "opsRequest",
        "database",
        "occurredAt",
        "payload"
      })
  void givenAnEnvelopeWithoutARequiredField_whenDecoded_thenTheMissingFieldIsNamed(String field) {
    ObjectNode tree = Golden.tree("PodEvicted");
    tree.remove(field);

    assertInvalid(
        Golden.bytes(tree), InvalidMessageException.Problem.MISSING_FIELD, "\"" + field + "\"");
  }

  @Test
  void givenAnEnvelopeWithANullRequiredField_whenDecoded_thenTheMissingFieldIsNamed() {
    ObjectNode tree = Golden.tree("PodEvicted");
    tree.putNull("database");

    assertInvalid(
        Golden.bytes(tree), InvalidMessageException.Problem.MISSING_FIELD, "\"database\"");
  }

  @Test
  void givenAnEnvelopeWithoutCausationId_whenDecoded_thenItIsAnExternalInput() {
    ObjectNode tree = Golden.tree("PodEvicted");
    tree.remove("causationId");

    assertThat(codec.decode(Golden.bytes(tree)).causationId()).isNull();
  }

  @Test
  void givenAnUnknownType_whenDecoded_thenTheTypeIsNamed() {
    ObjectNode tree = Golden.tree("PodEvicted");
    tree.put("type", "PodExploded");

    assertInvalid(
        Golden.bytes(tree), InvalidMessageException.Problem.UNKNOWN_TYPE, "\"PodExploded\"");
  }

  @Test
  void givenATypeThatIsAnInterfaceOfTheHierarchy_whenDecoded_thenItIsAnUnknownType() {
    ObjectNode tree = Golden.tree("PodEvicted");
    tree.put("type", "Event");

    assertInvalid(Golden.bytes(tree), InvalidMessageException.Problem.UNKNOWN_TYPE, "\"Event\"");
  }

  @Test
  void givenAPayloadFieldOfTheWrongJsonType_whenDecoded_thenWrongPayloadNamesTheType() {
    ObjectNode tree = Golden.tree("PodEvicted");
    ((ObjectNode) tree.get("payload")).putObject("pod").put("name", "orders-2");

    assertInvalid(Golden.bytes(tree), InvalidMessageException.Problem.WRONG_PAYLOAD, "PodEvicted");
  }

  @Test
  void givenAPayloadWithoutARequiredField_whenDecoded_thenWrongPayloadNamesTheField() {
    ObjectNode tree = Golden.tree("PodEvicted");
    ((ObjectNode) tree.get("payload")).remove("pod");

    assertInvalid(Golden.bytes(tree), InvalidMessageException.Problem.WRONG_PAYLOAD, "pod");
  }

  @Test
  void givenAPayloadWithAnOutOfRangeNumber_whenDecoded_thenWrongPayloadNamesTheField() {
    ObjectNode tree = Golden.tree("RequestStarted");
    ((ObjectNode) tree.get("payload")).put("attempt", 0);

    assertInvalid(Golden.bytes(tree), InvalidMessageException.Problem.WRONG_PAYLOAD, "attempt");
  }

  @Test
  void givenAPayloadWithAMissingPrimitive_whenDecoded_thenWrongPayloadIsReported() {
    ObjectNode tree = Golden.tree("RequestQueued");
    ((ObjectNode) tree.get("payload")).remove("position");

    assertInvalid(Golden.bytes(tree), InvalidMessageException.Problem.WRONG_PAYLOAD, "position");
  }

  @Test
  void givenAnUnknownEnumSpelling_whenDecoded_thenWrongPayloadIsReported() {
    ObjectNode tree = Golden.tree("RequestAdmitted");
    ((ObjectNode) tree.get("payload").get("spec")).put("apply", "WhenConvenient");

    assertInvalid(
        Golden.bytes(tree), InvalidMessageException.Problem.WRONG_PAYLOAD, "RequestAdmitted");
  }

  @Test
  void givenAStepSpelledAsANumber_whenDecoded_thenWrongPayloadIsReported() {
    ObjectNode tree = Golden.tree("StepProgressed");
    ((ObjectNode) tree.get("payload")).put("step", 6);

    assertInvalid(
        Golden.bytes(tree), InvalidMessageException.Problem.WRONG_PAYLOAD, "StepProgressed");
  }

  @Test
  void givenAPayloadThatIsNotAnObject_whenDecoded_thenWrongPayloadIsReported() {
    ObjectNode tree = Golden.tree("PodEvicted");
    tree.put("payload", "orders-2");

    assertInvalid(Golden.bytes(tree), InvalidMessageException.Problem.WRONG_PAYLOAD, "STRING");
  }

  @Test
  void givenInvalidEnvelopeValues_whenDecoded_thenTheFieldIsNamed() {
    ObjectNode notUuid = Golden.tree("PodEvicted");
    notUuid.put("eventId", "42");
    assertInvalid(Golden.bytes(notUuid), InvalidMessageException.Problem.INVALID_FIELD, "eventId");

    ObjectNode notRef = Golden.tree("PodEvicted");
    notRef.put("opsRequest", "upd-1");
    assertInvalid(
        Golden.bytes(notRef), InvalidMessageException.Problem.INVALID_FIELD, "opsRequest");

    ObjectNode notInstant = Golden.tree("PodEvicted");
    notInstant.put("occurredAt", "yesterday");
    assertInvalid(
        Golden.bytes(notInstant), InvalidMessageException.Problem.INVALID_FIELD, "occurredAt");

    ObjectNode numberAsText = Golden.tree("PodEvicted");
    numberAsText.put("schemaVersion", "1");
    assertInvalid(
        Golden.bytes(numberAsText), InvalidMessageException.Problem.INVALID_FIELD, "schemaVersion");

    ObjectNode causationNumber = Golden.tree("PodEvicted");
    causationNumber.put("causationId", 7);
    assertInvalid(
        Golden.bytes(causationNumber),
        InvalidMessageException.Problem.INVALID_FIELD,
        "causationId");
  }

  @Test
  void givenAnEnvelopeWithDuplicateKeys_whenDecoded_thenNotJsonIsReported() {
    String json = new String(Golden.require("PodEvicted"), StandardCharsets.UTF_8);
    String duplicated = json.replaceFirst("\\{", "{\"type\":\"PodRunning\",");

    assertInvalid(utf8(duplicated), InvalidMessageException.Problem.NOT_JSON, "type");
  }

  @Test
  void givenAnEnvelopeWithoutCausation_whenEncoded_thenTheFieldIsLeftOut() {
    Envelope envelope =
        Envelope.of(
            "0b5e6a52-8c2e-4d0b-9d59-1f1f3a4e5b6c",
            "shop/upd-1",
            "shop/orders",
            Instant.parse("2026-07-02T08:00:00Z"),
            null,
            new CancelRequested("alice"));

    String json = new String(codec.encode(envelope), StandardCharsets.UTF_8);

    assertThat(json)
        .isEqualTo(
            "{\"eventId\":\"0b5e6a52-8c2e-4d0b-9d59-1f1f3a4e5b6c\",\"type\":\"CancelRequested\","
                + "\"schemaVersion\":1,\"opsRequest\":\"shop/upd-1\",\"database\":\"shop/orders\","
                + "\"occurredAt\":\"2026-07-02T08:00:00Z\",\"payload\":{\"requestedBy\":\"alice\"}}");
  }

  @Test
  void givenATypeThatDoesNotMatchThePayload_whenTheEnvelopeIsBuilt_thenItIsRefused() {
    assertThatThrownBy(
            () ->
                new Envelope(
                    "0b5e6a52-8c2e-4d0b-9d59-1f1f3a4e5b6c",
                    "PodRunning",
                    1,
                    "shop/upd-1",
                    "shop/orders",
                    Instant.parse("2026-07-02T08:00:00Z"),
                    null,
                    new PodEvicted("orders-2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PodEvicted");
  }

  @Test
  void givenTheSharedCodec_whenAskedForItsMapper_thenItIsTheOneConfiguredInstance() throws Exception {
    assertThat(JsonCodec.shared()).isSameAs(codec);
    assertThat(codec.mapper()).isSameAs(JsonCodec.shared().mapper());
    assertThat(codec.mapper().writeValueAsString(Instant.parse("2026-07-02T08:00:00.5Z")))
        .isEqualTo("\"2026-07-02T08:00:00.500Z\"");
    assertThat(codec.mapper().writeValueAsString(OpsPhase.PROGRESSING))
        .isEqualTo("\"Progressing\"");
    assertThat(codec.mapper().readValue("\"Always\"", ApplyPolicy.class))
        .isEqualTo(ApplyPolicy.ALWAYS);
  }

  @Test
  void givenAnEnvelope_whenHeadersAreDerived_thenTheyCarryIdAndType() {
    Envelope envelope = Golden.envelope("PodEvicted");

    assertThat(Headers.of(envelope))
        .containsEntry(Headers.EVENT_ID, envelope.eventId())
        .containsEntry(Headers.TYPE, "PodEvicted")
        .hasSize(2);
    assertThat(Headers.EVENT_ID).isEqualTo("pxops-event-id");
    assertThat(Headers.TYPE).isEqualTo("pxops-type");
  }
}
