package io.pxops.benchmarks;

import io.pxops.events.campaign.CampaignFleetSimulation;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated fleet campaign: {@link CampaignFleetSimulation} (the real campaign decider on simulated time, the
 * same code as {@code CampaignFleetSimulationTest}) over a fleet of simulated databases with a concurrency limit.
 * Measured: the most updates running at any moment (counted after every event: never above the limit), the
 * simulated time the campaign takes, and how fast the decider decides (wall time of the whole run, decisions per
 * second). One run to warm up, then {@code runs} runs of different seeds; the median wall time is reported. No
 * Kafka, no services: this is the decisions' own cost and the limit's proof, not the pipeline's throughput (the
 * fleet suite measures that).
 */
final class CampaignFleetBenchmark {

  private CampaignFleetBenchmark() {}

  static Map<String, Object> run(int databases, int limit, int runs, PrintStream out) {
    CampaignFleetSimulation.run(databases, limit, 2, 1L); // warm-up: JIT, class loading
    List<Double> wallMs = new ArrayList<>();
    List<Map<String, Object>> each = new ArrayList<>();
    int maxRunning = 0;
    int overLimit = 0;
    CampaignFleetSimulation.Result first = null;
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      CampaignFleetSimulation.Result r = CampaignFleetSimulation.run(databases, limit, 2, 20261201L + i);
      double ms = (System.nanoTime() - t0) / 1e6;
      wallMs.add(ms);
      first = first == null ? r : first;
      maxRunning = Math.max(maxRunning, r.maxRunning());
      overLimit += r.eventsOverLimit();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("seed", 20261201L + i);
      m.put("maxRunning", r.maxRunning());
      m.put("eventsOverLimit", r.eventsOverLimit());
      m.put("outcome", r.finished().outcome().toString());
      m.put("succeeded", r.finished().succeeded());
      m.put("failed", r.finished().failed());
      m.put("simulatedMinutes", round(r.simulated().toSeconds() / 60.0));
      m.put("decisions", r.decisions());
      m.put("events", r.events());
      m.put("wallMs", round(ms));
      m.put("decisionsPerSecond", Math.round(r.decisions() / (ms / 1000)));
      each.add(m);
      out.printf("  seed %d: max running %d (limit %d), %s, %d succeeded, %d failed, simulated %s, %d decisions in "
              + "%.1f ms%n", 20261201L + i, r.maxRunning(), limit, r.finished().outcome(), r.finished().succeeded(),
          r.finished().failed(), r.simulated(), r.decisions(), ms);
    }
    double median = Stats.median(wallMs);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("simulated", "the campaign decider on simulated time; member updates 30 s to 15 min, 2 % failing; "
        + "canary 1, then 10 % after a 30-minute wait, then the rest after an approval; budget 5 %");
    result.put("databases", databases);
    result.put("limit", limit);
    result.put("runs", runs);
    result.put("maxRunning", maxRunning);
    result.put("eventsOverLimit", overLimit);
    result.put("medianWallMs", round(median));
    result.put("decisionsPerSecond", first == null ? 0 : Math.round(first.decisions() / (median / 1000)));
    result.put("each", each);
    return result;
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
