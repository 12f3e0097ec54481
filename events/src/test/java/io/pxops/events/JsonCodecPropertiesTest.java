package io.pxops.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever bytes a consumer reads from a topic, decoding them gives an envelope or an {@link InvalidMessageException}
 * (which consumers turn into a dead letter) — never any other exception, which would stop a consumer's loop. The
 * command consumers and both Streams topologies decode with this codec.
 */
class JsonCodecPropertiesTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Property
  void givenArbitraryBytes_whenDecoded_thenAnEnvelopeOrAnInvalidMessage(@ForAll byte[] bytes) {
    assertDecodesOrExplains(bytes);
  }

  @Property
  void givenArbitraryJson_whenDecoded_thenAnEnvelopeOrAnInvalidMessage(@ForAll("hostileJson") JsonNode json) {
    assertDecodesOrExplains(json.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Property
  void givenAGoldenEnvelopeWithOneFieldReplacedByAHostileValue_whenDecoded_thenAnEnvelopeOrAnInvalidMessage(
      @ForAll("goldenTypes") String type, @ForAll("hostileJson") JsonNode value, @ForAll int pick) {
    ObjectNode tree = Golden.tree(type);
    List<ObjectNode> owners = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    collectFields(tree, owners, fields);
    int i = Math.floorMod(pick, fields.size());
    owners.get(i).set(fields.get(i), value);

    assertDecodesOrExplains(tree.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 100)
  void givenDeepNesting_whenDecoded_thenAnInvalidMessage(@ForAll("depths") int depth) {
    String json = "{\"payload\":" + "[".repeat(depth) + "]".repeat(depth) + "}";

    Throwable thrown = catchThrowable(() -> JsonCodec.shared().decode(json.getBytes(StandardCharsets.UTF_8)));

    assertThat(thrown).isInstanceOf(InvalidMessageException.class);
  }

  private static void assertDecodesOrExplains(byte[] bytes) {
    Throwable thrown = catchThrowable(() -> JsonCodec.shared().decode(bytes));
    if (thrown != null) {
      assertThat(thrown).isInstanceOf(InvalidMessageException.class);
      assertThat(((InvalidMessageException) thrown).problem()).isNotNull();
      assertThat(thrown.getMessage()).isNotBlank();
    }
  }

  private static void collectFields(ObjectNode node, List<ObjectNode> owners, List<String> fields) {
    node.fieldNames().forEachRemaining(name -> {
      owners.add(node);
      fields.add(name);
      if (node.get(name) instanceof ObjectNode child) {
        collectFields(child, owners, fields);
      }
    });
  }

  @Provide
  Arbitrary<String> goldenTypes() {
    return Arbitraries.of(MessageTypes.all().keySet());
  }

  @Provide
  Arbitrary<Integer> depths() {
    return Arbitraries.integers().between(1, 5000);
  }

  @Provide
  Arbitrary<JsonNode> hostileJson() {
    return HostileJson.values();
  }

  /** JSON values that break assumptions: wrong types, huge and tiny numbers, odd strings, nesting. */
  static final class HostileJson {

    static Arbitrary<JsonNode> values() {
      return Arbitraries.lazyOf(HostileJson::scalar, HostileJson::scalar, HostileJson::scalar,
          () -> values().list().ofMaxSize(4).map(HostileJson::array),
          () -> Combinators.combine(Arbitraries.strings().ofMaxLength(8), values()).as((k, v) -> {
            ObjectNode o = NODES.objectNode();
            o.set(k, v);
            return (JsonNode) o;
          }));
    }

    static Arbitrary<JsonNode> scalar() {
      return Arbitraries.oneOf(
          Arbitraries.just(NODES.nullNode()),
          Arbitraries.of(true, false).map(NODES::booleanNode),
          Arbitraries.integers().map(NODES::numberNode),
          Arbitraries.longs().map(NODES::numberNode),
          Arbitraries.doubles().map(NODES::numberNode),
          Arbitraries.of(new BigInteger("9999999999999999999999999999"), BigInteger.valueOf(Long.MIN_VALUE))
              .map(NODES::numberNode),
          Arbitraries.of(new BigDecimal("1e400"), new BigDecimal("-1e-400"), new BigDecimal("0.5"))
              .map(NODES::numberNode),
          Arbitraries.strings().ofMaxLength(40).map(NODES::textNode),
          Arbitraries.strings().all().ofMaxLength(20).map(NODES::textNode),
          Arbitraries.of("", " ", "\u0000", "2026-13-45T99:99:99Z", "-5m", "1e9h", "٣m", "PT10M",
              "3f1e4c1a-0000-4000-8000-000000000001", "demo/px", "/", "a/b/c", "PodEvicted", "EvictPod",
              "IfReady", "NaN", "Infinity").map(NODES::textNode));
    }

    private static JsonNode array(List<JsonNode> items) {
      ArrayNode a = NODES.arrayNode();
      items.forEach(a::add);
      return a;
    }
  }
}
