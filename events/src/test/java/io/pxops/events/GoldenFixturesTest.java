package io.pxops.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GoldenFixturesTest {

  private final JsonCodec codec = JsonCodec.shared();

  static Stream<String> registeredTypes() {
    return MessageTypes.all().keySet().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("registeredTypes")
  void givenTheGoldenFixtureOfEveryRegisteredType_whenDecodedAndReEncoded_thenTheJsonTreeIsUnchanged(
      String type) {
    byte[] fixture = Golden.require(type);

    Envelope decoded = codec.decode(fixture);
    byte[] reEncoded = codec.encode(decoded);

    assertThat(decoded.type()).isEqualTo(type);
    assertThat(decoded.payload()).isInstanceOf(MessageTypes.all().get(type));
    assertThat(Golden.tree(reEncoded)).isEqualTo(Golden.tree(fixture));
    assertThat(codec.decode(reEncoded)).isEqualTo(decoded);
  }

  @Test
  void givenTheFixtureDirectory_whenListed_thenEveryFixtureNamesARegisteredType()
      throws IOException, URISyntaxException {
    Path dir = Path.of(Golden.class.getResource("/golden").toURI());
    Set<String> fixtures;
    try (Stream<Path> files = Files.list(dir)) {
      fixtures =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".json"))
              .map(n -> n.substring(0, n.length() - ".json".length()))
              .collect(Collectors.toSet());
    }

    assertThat(fixtures).isEqualTo(MessageTypes.all().keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("registeredTypes")
  void givenAFixtureWithFieldsAddedByALaterVersion_whenDecoded_thenTheUnknownFieldsAreIgnored(
      String type) {
    ObjectNode tree = Golden.tree(type);
    tree.put("producer", "request-ingest-7f9c");
    tree.putObject("trace").put("span", "00f067aa0ba902b7");
    ObjectNode payload = (ObjectNode) tree.get("payload");
    payload.put("addedInVersion2", true);
    payload.putArray("moreDetail").add("x");
    if (payload.get("spec") instanceof ObjectNode) {
      ((ObjectNode) payload.get("spec")).put("priority", 5);
    }
    JsonNode pods = payload.get("pods");
    if (pods != null && pods.size() > 0) {
      ((ObjectNode) pods.get(0)).put("phase", "Running");
    }

    Envelope decoded = codec.decode(Golden.bytes(tree));

    assertThat(decoded).isEqualTo(Golden.envelope(type));
  }

  @Test
  void givenTheRequestAdmittedFixture_whenDecoded_thenEveryFieldHasItsTypedValue() {
    Envelope envelope = Golden.envelope("RequestAdmitted");

    assertThat(envelope.eventId()).isEqualTo("78c2bd19-b97a-4900-8fa2-fa3726989358");
    assertThat(envelope.opsRequest()).isEqualTo("shop/orders-to-8.4.3");
    assertThat(envelope.database()).isEqualTo("shop/orders");
    assertThat(envelope.schemaVersion()).isEqualTo(1);
    assertThat(envelope.causationId()).isNull();
    assertThat(envelope.topic()).isEqualTo(Topics.EVENTS);
    RequestSpec spec = ((RequestAdmitted) envelope.payload()).spec();
    assertThat(spec.ref()).isEqualTo(envelope.opsRequest());
    assertThat(spec.databaseRef()).isEqualTo(envelope.database());
    assertThat(spec.apply()).isEqualTo(ApplyPolicy.IF_READY);
    assertThat(spec.timeout()).hasMinutes(10);
    assertThat(spec.clientRequestId()).isNull();
  }

  @Test
  void givenTheEvictPodFixture_whenDecoded_thenItIsACommandForTheCommandsTopic() {
    Envelope envelope = Golden.envelope("EvictPod");

    assertThat(envelope.topic()).isEqualTo(Topics.COMMANDS);
    assertThat(((Command) envelope.payload()).step()).isEqualTo(Step.EVICT_POD);
  }
}
