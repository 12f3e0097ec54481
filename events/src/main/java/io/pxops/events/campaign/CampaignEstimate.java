package io.pxops.events.campaign;

import io.pxops.events.campaign.CampaignEvent.CampaignFinished;
import io.pxops.events.campaign.CampaignEvent.DatabaseUpdateFinished;
import io.pxops.events.campaign.CampaignEvent.DatabaseUpdateRequested;
import io.pxops.events.campaign.CampaignEvent.DatabaseWaitingForWindow;
import io.pxops.events.campaign.CampaignEvent.StageAwaitingApproval;
import io.pxops.events.campaign.CampaignEvent.StageCompleted;
import io.pxops.events.campaign.CampaignEvent.StageStarted;
import io.pxops.events.campaign.CampaignEvent.StageWaiting;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * How long a campaign would take: the campaign's own state machine run on simulated time, every
 * member update taking the duration given for it and succeeding, wait gates and windows honoured,
 * approvals given at once (their waiting is not counted). Because it is the same {@link
 * CampaignDecider}, the estimate follows the same concurrency, stage order and windows as the real
 * campaign.
 *
 * @param total from start to the last member's end
 * @param stages when each stage starts and ends, from the campaign's start
 * @param approvals stages gated by an approval (whose waiting is not in the estimate)
 */
public record CampaignEstimate(Duration total, List<StageEstimate> stages, List<String> approvals) {

  /** Copies the lists. */
  public CampaignEstimate {
    stages = List.copyOf(stages);
    approvals = List.copyOf(approvals);
  }

  /**
   * One stage's span.
   *
   * @param stage its name
   * @param startsAfter when it starts, from the campaign's start
   * @param endsAfter when its last member ends, from the campaign's start
   */
  public record StageEstimate(String stage, Duration startsAfter, Duration endsAfter) {}

  /** A simulated completion or wake-up. */
  private record Wake(Instant at, String database) {}

  /**
   * Simulates a campaign.
   *
   * @param plan the plan
   * @param durationOf each member's update duration, by {@code namespace/name}
   * @param start when it would start (windows are evaluated from here)
   * @return the estimate
   */
  public static CampaignEstimate simulate(
      CampaignPlan plan, Function<String, Duration> durationOf, Instant start) {
    CampaignState state = CampaignDecider.initial(plan);
    PriorityQueue<Wake> wakes = new PriorityQueue<>((a, b) -> a.at().compareTo(b.at()));
    Map<String, Instant> stageStart = new LinkedHashMap<>();
    Map<String, Instant> stageEnd = new LinkedHashMap<>();
    List<String> approvals = new ArrayList<>();
    Instant now = start;
    CampaignInput input = new CampaignInput.Start();
    // each member is requested and finished once, each stage passes a gate once, windows wake
    // each member at most once: this bounds the decisions of any plan
    int limit = plan.members().size() * 4 + plan.stages().size() * 4 + 16;
    for (int i = 0; i < limit && input != null; i++) {
      CampaignDecider.Step step = CampaignDecider.step(state, input, now);
      state = step.state();
      input = null;
      for (CampaignEvent e : step.events()) {
        if (e instanceof StageStarted s) {
          stageStart.put(s.stage(), now);
        } else if (e instanceof StageCompleted s) {
          stageEnd.put(s.stage(), now);
        } else if (e instanceof DatabaseUpdateRequested r) {
          Duration d = durationOf.apply(r.database());
          wakes.add(new Wake(now.plus(d.isNegative() ? Duration.ZERO : d), r.database()));
        } else if (e instanceof StageWaiting w) {
          wakes.add(new Wake(w.until(), null));
        } else if (e instanceof DatabaseWaitingForWindow w) {
          wakes.add(new Wake(w.opensAt(), null));
        } else if (e instanceof StageAwaitingApproval a) {
          approvals.add(a.stage());
          input = new CampaignInput.Approve(a.stage(), "estimate");
        } else if (e instanceof CampaignFinished) {
          return estimate(start, now, plan, stageStart, stageEnd, approvals);
        }
      }
      if (input == null && !wakes.isEmpty()) {
        Wake w = wakes.poll();
        now = w.at().isAfter(now) ? w.at() : now;
        input =
            w.database() == null
                ? new CampaignInput.Tick()
                : new CampaignInput.UpdateFinished(w.database(), true, "Successful");
      }
    }
    return estimate(start, now, plan, stageStart, stageEnd, approvals);
  }

  private static CampaignEstimate estimate(
      Instant start,
      Instant end,
      CampaignPlan plan,
      Map<String, Instant> stageStart,
      Map<String, Instant> stageEnd,
      List<String> approvals) {
    List<StageEstimate> stages = new ArrayList<>();
    for (CampaignPlan.PlannedStage s : plan.stages()) {
      Instant from = stageStart.getOrDefault(s.name(), end);
      Instant to = stageEnd.getOrDefault(s.name(), end);
      stages.add(
          new StageEstimate(s.name(), Duration.between(start, from), Duration.between(start, to)));
    }
    return new CampaignEstimate(Duration.between(start, end), stages, approvals);
  }
}
