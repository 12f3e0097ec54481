package io.pxops.statusprojector.projection;

import io.pxops.events.GroupIds;
import io.pxops.pipeline.DeadLetters;
import io.pxops.pipeline.logging.LogContext;
import io.pxops.pipeline.logging.TraceIds;
import io.pxops.events.DeadLetter;
import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.events.status.DatabaseStatus;
import io.pxops.events.status.DatabaseStatusFold;
import java.time.Clock;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds each event into the status of its database (the record key of {@code pxops.events}) in the
 * {@value StatusTopology#DATABASE_STORE} store. It passes on nothing but dead letters, for events
 * the fold cannot apply.
 */
final class DatabaseStatusProcessor implements FixedKeyProcessor<String, Envelope, DeadLetter> {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseStatusProcessor.class);

  private final Clock clock;
  private FixedKeyProcessorContext<String, DeadLetter> context;
  private KeyValueStore<String, DatabaseStatus> store;

  DatabaseStatusProcessor(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, DeadLetter> context) {
    this.context = context;
    this.store = context.getStateStore(StatusTopology.DATABASE_STORE);
  }

  @Override
  public void process(FixedKeyRecord<String, Envelope> record) {
    try (LogContext.Scope scope = LogContext.of(record.value(), TraceIds.of(record.headers()))) {
      fold(record);
    }
  }

  private void fold(FixedKeyRecord<String, Envelope> record) {
    DatabaseStatus current = store.get(record.key());
    DatabaseStatus next;
    try {
      next = DatabaseStatusFold.apply(current, record.value());
    } catch (RuntimeException e) {
      LOG.error("cannot fold event {} into the status of database {}", record.value().eventId(),
          record.key(), e);
      DeadLetter letter = DeadLetters.of(GroupIds.STATUS_PROJECTOR, context.recordMetadata().orElse(null), record.key(),
          JsonCodec.shared().encode(record.value()), DeadLetters.FOLD_FAILED,
          "the database status fold failed on " + record.value().type() + ": " + e,
          clock.instant());
      context.forward(DeadLetters.withHeaders(record, letter).withValue(letter));
      return;
    }
    if (next != null && next != current) {
      store.put(record.key(), next);
    }
  }
}
