package io.pxops.statusprojector.projection;

import io.pxops.events.DeadLetter;
import io.pxops.events.Envelope;
import io.pxops.events.GroupIds;
import io.pxops.events.JsonCodec;
import io.pxops.events.status.RequestStatus;
import io.pxops.events.status.StatusFold;
import io.pxops.pipeline.DeadLetters;
import io.pxops.pipeline.logging.LogContext;
import io.pxops.pipeline.logging.TraceIds;
import io.pxops.pipeline.metrics.PxopsMeters;
import java.time.Clock;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds each event into the status of its ops request (the record key, after the repartition by
 * ops request) in the {@value StatusTopology#REQUEST_STORE} store, and passes on every status that
 * changed, for {@code pxops.status}. An event the fold cannot apply (a bug, since the event itself
 * was valid) becomes a dead letter and leaves the status as it was.
 */
final class RequestStatusProcessor
    implements FixedKeyProcessor<String, Envelope, Outcome<RequestStatus>> {

  private static final Logger LOG = LoggerFactory.getLogger(RequestStatusProcessor.class);

  private final Clock clock;
  private FixedKeyProcessorContext<String, Outcome<RequestStatus>> context;
  private KeyValueStore<String, RequestStatus> store;
  private KeyValueStore<String, RequestStatus> summaries;

  RequestStatusProcessor(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Outcome<RequestStatus>> context) {
    this.context = context;
    this.store = context.getStateStore(StatusTopology.REQUEST_STORE);
    this.summaries = context.getStateStore(StatusTopology.SUMMARY_STORE);
    backfillSummaries();
  }

  /**
   * A projector upgraded from a version without the summary store finds it empty beside a filled status store:
   * the summaries of the statuses already there are written once, so lists show every request at once rather than
   * each only after its next event. (Restored from its changelog otherwise, the store is not empty.)
   */
  private void backfillSummaries() {
    try (KeyValueIterator<String, RequestStatus> existing = summaries.all()) {
      if (existing.hasNext()) {
        return;
      }
    }
    int written = 0;
    try (KeyValueIterator<String, RequestStatus> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, RequestStatus> next = all.next();
        summaries.put(next.key, next.value.summary());
        written++;
      }
    }
    if (written > 0) {
      LOG.info("wrote the summaries of {} request statuses kept before the summary store existed", written);
    }
  }

  @Override
  public void process(FixedKeyRecord<String, Envelope> record) {
    try (LogContext.Scope scope = LogContext.of(record.value(), TraceIds.of(record.headers()))) {
      fold(record);
    }
  }

  private void fold(FixedKeyRecord<String, Envelope> record) {
    RequestStatus current = store.get(record.key());
    RequestStatus next;
    try {
      next = StatusFold.apply(current, record.value());
    } catch (RuntimeException e) {
      LOG.error("cannot fold event {} into the status of {}", record.value().eventId(),
          record.key(), e);
      DeadLetter letter = DeadLetters.of(GroupIds.STATUS_PROJECTOR, context.recordMetadata().orElse(null), record.key(),
          JsonCodec.shared().encode(record.value()), DeadLetters.FOLD_FAILED,
          "the status fold failed on " + record.value().type() + ": " + e, clock.instant());
      context.forward(DeadLetters.withHeaders(record, letter).withValue(Outcome.dead(letter)));
      return;
    }
    // the fold returns the very same object when the event changes nothing: then nothing is
    // written and nothing is published (a redelivered event leaves pxops.status alone)
    if (next == null || next == current) {
      return;
    }
    store.put(record.key(), next);
    summaries.put(record.key(), next.summary());
    if (next.phase() != null && (current == null || current.phase() != next.phase())) {
      PxopsMeters.update(next.phase().kubeName());
    }
    context.forward(record.withValue(Outcome.of(next)));
  }
}
