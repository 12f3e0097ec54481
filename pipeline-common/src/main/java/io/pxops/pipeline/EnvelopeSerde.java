package io.pxops.pipeline;

import io.pxops.events.Envelope;
import io.pxops.events.InvalidMessageException;
import io.pxops.events.JsonCodec;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The envelope serde of the internal repartition topic. Only envelopes that were already decoded
 * once travel there, so a failure to read one back is a bug, not a poison record: it throws.
 */
public final class EnvelopeSerde implements Serde<Envelope> {

  private final JsonCodec codec = JsonCodec.shared();

  @Override
  public Serializer<Envelope> serializer() {
    return (topic, envelope) -> envelope == null ? null : codec.encode(envelope);
  }

  @Override
  public Deserializer<Envelope> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return codec.decode(bytes);
      } catch (InvalidMessageException e) {
        throw new SerializationException("cannot read an envelope from " + topic, e);
      }
    };
  }
}
