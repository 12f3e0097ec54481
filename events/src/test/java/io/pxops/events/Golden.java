package io.pxops.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/** Access to the golden fixtures under {@code src/test/resources/golden/<Type>.json}. */
public final class Golden {

  private Golden() {}

  /**
   * The fixture bytes of one message type, if it has one.
   *
   * @param type logical type name
   * @return the bytes, or empty when the fixture is missing
   */
  public static Optional<byte[]> bytes(String type) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + type + ".json")) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The fixture of one type; fails if missing.
   *
   * @param type logical type name
   * @return the bytes
   */
  public static byte[] require(String type) {
    return bytes(type).orElseThrow(() -> new AssertionError("no golden fixture for " + type));
  }

  /**
   * The fixture of one type as a mutable JSON tree.
   *
   * @param type logical type name
   * @return the tree
   */
  public static ObjectNode tree(String type) {
    return (ObjectNode) tree(require(type));
  }

  /**
   * Parses JSON bytes with the shared mapper.
   *
   * @param json bytes
   * @return the tree
   */
  public static JsonNode tree(byte[] json) {
    try {
      return JsonCodec.shared().mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Serializes a tree.
   *
   * @param tree JSON tree
   * @return the bytes
   */
  public static byte[] bytes(JsonNode tree) {
    try {
      return JsonCodec.shared().mapper().writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Decodes the fixture of one type.
   *
   * @param type logical type name
   * @return the envelope
   */
  public static Envelope envelope(String type) {
    return JsonCodec.shared().decode(require(type));
  }
}
