package io.pxops.requestingest.campaign;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pxops.events.ApplyPolicy;
import io.pxops.events.JsonCodec;
import io.pxops.events.RequestSpec;
import io.pxops.events.campaign.CampaignEstimate;
import io.pxops.events.campaign.CampaignPlan;
import io.pxops.events.campaign.Gate;
import io.pxops.events.campaign.MaintenanceWindow;
import io.pxops.events.campaign.MeasuredDurations;
import io.pxops.events.status.RequestStatus;
import io.pxops.requestingest.dryrun.LivePreviews;
import io.pxops.requestingest.dryrun.MeasuredUpdatesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer of a campaign's dry run ({@code POST /api/v1/campaigns?dryRun=All}): the plan the create would make
 * (stages with their databases in start order and each one's window, what admission would refuse and why, those
 * left out, the failure budget), an estimate, and on request each database's steps and pod order. The estimate is
 * {@link CampaignEstimate} (the campaign's own state machine on simulated time) over {@link MeasuredDurations} of
 * the updates the status projector recorded, read with the caller's token; it always says where it comes from.
 */
public final class CampaignDryRun {

  /** The most databases whose steps and pod order one answer lists (two API reads each). */
  public static final int MAX_DETAILED = 100;

  private final MeasuredUpdatesClient measured;
  private final LivePreviews previews;
  private final Duration defaultTimeout;
  private final Clock clock;

  /**
   * A dry run.
   *
   * @param measured where measured updates are read
   * @param previews the live pods and catalog, for the detail
   * @param defaultTimeout a member request's step timeout (the ingest's default, as the member's request gets)
   * @param clock when the campaign would start
   */
  public CampaignDryRun(MeasuredUpdatesClient measured, LivePreviews previews, Duration defaultTimeout,
      Clock clock) {
    this.measured = measured;
    this.previews = previews;
    this.defaultTimeout = defaultTimeout;
    this.clock = clock;
  }

  /**
   * The answer's body for a plan.
   *
   * @param plan the plan the create would make
   * @param detail whether to list each database's steps and pod order
   * @param authorization the caller's {@code Authorization}, for the status projector
   * @return the body
   */
  public ObjectNode answer(CampaignPlan plan, boolean detail, String authorization) {
    Instant now = clock.instant();
    MeasuredUpdatesClient.Measurements m = measured.fleet(authorization);
    List<MeasuredDurations.Measured> durations = new ArrayList<>();
    for (RequestStatus s : m.successful()) {
      durations.add(new MeasuredDurations.Measured(s.database(), s.startedAt(), s.finishedAt()));
    }
    MeasuredDurations md = new MeasuredDurations(durations);
    CampaignEstimate estimate = md.median().isEmpty() ? null
        : CampaignEstimate.simulate(plan, db -> md.durationOf(db).orElseThrow(), now);

    ObjectNode body = JsonCodec.shared().mapper().createObjectNode();
    body.put("dryRun", true).put("campaign", plan.campaign()).put("startsAt", now.toString());
    ArrayNode stages = body.putArray("stages");
    int detailed = 0;
    for (int i = 0; i < plan.stages().size(); i++) {
      CampaignPlan.PlannedStage s = plan.stages().get(i);
      ObjectNode o = stages.addObject().put("name", s.name()).put("maxConcurrent", s.maxConcurrent())
          .put("gate", gate(s.gate()));
      if (estimate != null) {
        o.put("startsAfter", estimate.stages().get(i).startsAfter().toString())
            .put("endsAfter", estimate.stages().get(i).endsAfter().toString());
      }
      ArrayNode dbs = o.putArray("databases");
      for (CampaignPlan.PlannedMember member : s.members()) {
        ObjectNode d = dbs.addObject().put("database", member.database()).put("from", member.fromVersion())
            .put("to", member.targetVersion()).put("window", window(member.window(), now));
        if (detail && detailed < MAX_DETAILED) {
          detailed++;
          String ns = member.database().substring(0, member.database().indexOf('/'));
          String db = member.database().substring(member.database().indexOf('/') + 1);
          RequestSpec spec = new RequestSpec("dry-run", ns, db, member.targetVersion(), defaultTimeout,
              ApplyPolicy.IF_READY, RequestSpec.DEFAULT_MAX_RETRIES, now, RequestSpec.DOOR_KAFKA, null);
          LivePreviews.write(previews.preview(spec), d);
        }
      }
    }
    ArrayNode refused = body.putArray("refused");
    plan.refused().forEach(r -> refused.addObject().put("database", r.database()).put("rule", r.rule())
        .put("message", r.message()));
    body.putPOJO("leftOut", plan.leftOut());
    body.put("allowedFailures", plan.allowedFailures());
    if (detail && plan.members().size() > MAX_DETAILED) {
      body.put("detailNote", "steps and pod order are listed for the first " + MAX_DETAILED + " of "
          + plan.members().size() + " databases");
    }
    ObjectNode e = body.putObject("estimate");
    if (estimate == null) {
      e.putNull("total");
      e.put("source", m.source());
    } else {
      long own = plan.members().stream().filter(x -> md.hasOwn(x.database())).count();
      e.put("total", estimate.total().toString()).put("totalSeconds", estimate.total().toSeconds());
      e.putPOJO("approvalsNotCounted", estimate.approvals());
      e.put("source", "every update succeeding, wait gates and windows counted, from " + m.source() + ": " + own
          + " database(s) use their own last update, the others the median, " + human(md.median().orElseThrow()));
    }
    return body;
  }

  private static String gate(Gate gate) {
    if (gate instanceof Gate.Wait w) {
      return "wait " + human(w.duration());
    }
    return gate instanceof Gate.Approval ? "approval" : "none";
  }

  /** A duration as Kubernetes writes one ({@code 1h30m}, {@code 45s}), for the sentences of the answer. */
  static String human(Duration d) {
    long s = Math.max(0, d.getSeconds());
    StringBuilder b = new StringBuilder();
    if (s >= 3600) {
      b.append(s / 3600).append('h');
    }
    if (s % 3600 >= 60) {
      b.append(s % 3600 / 60).append('m');
    }
    if (s % 60 > 0 || b.length() == 0) {
      b.append(s % 60).append('s');
    }
    return b.toString();
  }

  private static String window(MaintenanceWindow w, Instant at) {
    if (w == MaintenanceWindow.ALWAYS) {
      return "always";
    }
    if (w.isOpenAt(at)) {
      return "open at start";
    }
    return w.nextOpening(at).map(t -> "opens " + t).orElse("never opens (skipped)");
  }
}
