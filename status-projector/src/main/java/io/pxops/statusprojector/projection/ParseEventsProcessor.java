package io.pxops.statusprojector.projection;

import io.pxops.events.GroupIds;
import io.pxops.pipeline.DeadLetters;
import io.pxops.events.DeadLetter;
import io.pxops.events.Envelope;
import io.pxops.events.InvalidMessageException;
import io.pxops.events.JsonCodec;
import java.time.Clock;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Reads each raw record of {@code pxops.events} as an {@link Envelope}. A record that is not one -
 * not JSON, an unknown type, a payload of the wrong shape, or keyed by something other than its
 * database - becomes a dead letter with the reason, and the next record is processed: a poison
 * record never stalls the projection.
 *
 * <p>Decoding happens here rather than in a deserializer on purpose: a deserialization exception
 * handler sees no parsed reason and cannot write our {@link DeadLetter} shape.
 */
final class ParseEventsProcessor implements FixedKeyProcessor<String, byte[], Outcome<Envelope>> {

  /** The problem of a record whose key is not its envelope's database. */
  static final String WRONG_KEY = "WrongKey";

  private final Clock clock;
  private FixedKeyProcessorContext<String, Outcome<Envelope>> context;

  ParseEventsProcessor(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Outcome<Envelope>> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, byte[]> record) {
    Envelope envelope;
    try {
      envelope = JsonCodec.shared().decode(record.value());
    } catch (InvalidMessageException e) {
      DeadLetter letter = DeadLetters.invalid(GroupIds.STATUS_PROJECTOR,
          context.recordMetadata().orElse(null), record.key(), record.value(), e, clock.instant());
      context.forward(DeadLetters.withHeaders(record, letter).withValue(Outcome.dead(letter)));
      return;
    }
    if (!envelope.database().equals(record.key())) {
      // one database's history must stay on one partition, in order: a record keyed otherwise
      // breaks that, and its status would be kept under a key that interactive queries never find
      DeadLetter letter = DeadLetters.of(GroupIds.STATUS_PROJECTOR,
          context.recordMetadata().orElse(null), record.key(), record.value(), WRONG_KEY,
          "the record key must be the envelope's database \"" + envelope.database()
              + "\" but was " + (record.key() == null ? "null" : "\"" + record.key() + "\""),
          clock.instant());
      context.forward(DeadLetters.withHeaders(record, letter).withValue(Outcome.dead(letter)));
      return;
    }
    context.forward(record.withValue(Outcome.of(envelope)));
  }
}
