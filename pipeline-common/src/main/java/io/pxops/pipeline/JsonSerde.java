package io.pxops.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pxops.events.JsonCodec;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde of one JSON record type, written and read with the one shared mapper of pxops ({@link
 * JsonCodec#mapper()}): state store values, {@code pxops.status} and {@code pxops.dlq} values.
 *
 * @param <T> the record type
 */
public final class JsonSerde<T> implements Serde<T> {

  private final Class<T> type;
  private final ObjectMapper mapper = JsonCodec.shared().mapper();

  /**
   * A serde of {@code type}.
   *
   * @param type the record class
   */
  public JsonSerde(Class<T> type) {
    this.type = type;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> {
      if (value == null) {
        return null;
      }
      try {
        return mapper.writeValueAsBytes(value);
      } catch (IOException e) {
        throw new SerializationException("cannot write a " + type.getSimpleName() + " as JSON", e);
      }
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return mapper.readValue(bytes, type);
      } catch (IOException | IllegalArgumentException e) {
        throw new SerializationException(
            "cannot read a " + type.getSimpleName() + " from " + topic + ": " + e.getMessage(), e);
      }
    };
  }
}
