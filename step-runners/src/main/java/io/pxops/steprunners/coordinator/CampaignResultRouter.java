package io.pxops.steprunners.coordinator;

import io.pxops.events.Envelope;
import io.pxops.events.Headers;
import io.pxops.events.JsonCodec;
import io.pxops.events.RequestAdmitted;
import io.pxops.events.RequestFailed;
import io.pxops.events.RequestRejected;
import io.pxops.events.RequestSkipped;
import io.pxops.events.RequestSucceeded;
import io.pxops.events.campaign.CampaignRecord;
import io.pxops.events.campaign.CampaignRecord.MemberFinished;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the end of a campaign member's update request into a {@link MemberFinished} on {@code
 * pxops.campaigns}: notes the campaign of each request admitted with a campaign's {@code
 * clientRequestId} (by ops request, which is keyed on the same database as its later events), and
 * on its {@code RequestSucceeded}, {@code RequestFailed} or {@code RequestSkipped} writes the result
 * keyed by the campaign. A refusal at the door ({@code RequestRejected}) carries the id itself.
 *
 * <p>It reads every record of the lifecycle log beside the update plan, so it decodes only the five
 * types it needs (by their type header) and ignores what it cannot read: the update processor
 * dead-letters that already, and a campaign must never stall the updates.
 */
final class CampaignResultRouter implements Processor<String, byte[], String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignResultRouter.class);
  private static final Set<String> WANTED =
      Set.of("RequestAdmitted", "RequestSucceeded", "RequestFailed", "RequestSkipped", "RequestRejected");
  private static final String SEP = "\n";

  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, String> members;

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.members = context.getStateStore(CampaignTopology.MEMBERS_STORE);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    Header type = record.headers().lastHeader(Headers.TYPE);
    if (record.value() == null
        || (type != null && !WANTED.contains(new String(type.value(), StandardCharsets.UTF_8)))) {
      return;
    }
    Envelope event;
    try {
      event = JsonCodec.shared().decode(record.value());
    } catch (RuntimeException e) {
      return;
    }
    try {
      route(record, event);
    } catch (RuntimeException e) {
      // a bug here must not kill the stream thread the update plan runs on
      LOG.error("could not route the result {} of {} to its campaign", event.type(), event.opsRequest(), e);
    }
  }

  private void route(Record<String, byte[]> record, Envelope event) {
    if (event.payload() instanceof RequestAdmitted admitted) {
      CampaignRecord.Link.parse(admitted.spec().clientRequestId())
          .ifPresent(link -> members.put(event.opsRequest(), String.join(SEP, link)));
      return;
    }
    if (event.payload() instanceof RequestRejected rejected) {
      CampaignRecord.Link.parse(rejected.clientRequestId())
          .ifPresent(
              link ->
                  forward(record, new MemberFinished(link[0], link[1], link[2], event.opsRequest(), false,
                      rejected.rule() + ": " + rejected.message())));
      return;
    }
    Optional<String[]> link = Optional.ofNullable(members.get(event.opsRequest())).map(v -> v.split(SEP, 3));
    if (link.isEmpty()) {
      return;
    }
    String[] l = link.get();
    MemberFinished finished;
    if (event.payload() instanceof RequestSucceeded) {
      finished = new MemberFinished(l[0], l[1], l[2], event.opsRequest(), true, "Successful");
    } else if (event.payload() instanceof RequestFailed failed) {
      finished = new MemberFinished(l[0], l[1], l[2], event.opsRequest(), false,
          failed.reason() + ": " + failed.message());
    } else if (event.payload() instanceof RequestSkipped skipped) {
      finished = new MemberFinished(l[0], l[1], l[2], event.opsRequest(), false,
          skipped.reason() + ": " + skipped.message());
    } else {
      return;
    }
    members.delete(event.opsRequest());
    forward(record, finished);
  }

  private void forward(Record<String, byte[]> record, MemberFinished finished) {
    byte[] value = CampaignProcessor.encode(finished);
    context.forward(
        new Record<String, Object>(finished.campaign(), value, record.timestamp(), new RecordHeaders()),
        CampaignTopology.RESULTS_SINK);
  }
}
