package io.pxops.systemtests;

import io.pxops.events.JsonCodec;
import io.pxops.systemtests.ChaosHarness.KillResult;
import io.pxops.systemtests.ChaosHarness.TrialResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The chaos run's table and totals (text) and its JSON. */
final class ChaosReport {

  private ChaosReport() {
  }

  /** One line per trial. */
  static String table(List<TrialResult> trials) {
    StringBuilder t = new StringBuilder();
    t.append(String.format("%-5s %-4s %-14s %-28s %8s %8s %8s %-11s %-9s %6s %4s %s%n", "trial", "inst", "killed",
        "step running at the kill", "kill@ms", "up ms", "cost ms", "outcome", "restarts", "rows", "out",
        "violations / notes"));
    for (TrialResult r : trials) {
      for (int i = 0; i < Math.max(1, r.kills().size()); i++) {
        KillResult k = r.kills().isEmpty() ? null : r.kills().get(i);
        boolean first = i == 0;
        t.append(String.format("%-5s %-4s %-14s %-28s %8s %8s %8s %-11s %-9s %6s %4s %s%n",
            first ? r.number() : "", first ? r.instances() : "",
            k == null ? "-" : k.process(), k == null ? "-" : k.stepAtKill(),
            k == null ? "" : k.killAtMillis(), k == null ? "" : k.restartMillis(), k == null ? "" : k.costMillis(),
            first ? r.outcome() : "", first ? restarts(r) : "", first ? r.rowsAcknowledged() : "",
            first ? r.maxNodesOut() : "",
            first ? String.join("; ", concat(r.violations(), r.notes())) : ""));
      }
      t.append(String.format("      update %d ms, trial %d ms%n", r.updateMillis(), r.trialMillis()));
      if (r.failedStep() != null) {
        t.append("      failed at ").append(r.failedStep()).append(": ").append(r.failureReason()).append('\n');
      }
    }
    return t.toString();
  }

  /** Totals: trials, outcomes, violations, and the cost of a kill per process kind (median / max). */
  static String totals(List<TrialResult> trials) {
    Map<String, Long> outcomes = trials.stream()
        .collect(Collectors.groupingBy(TrialResult::outcome, TreeMap::new, Collectors.counting()));
    long bad = trials.stream().filter(r -> !r.good()).count();
    StringBuilder t = new StringBuilder();
    t.append("trials: ").append(trials.size()).append("; outcomes: ").append(outcomes)
        .append("; trials with a violated property: ").append(bad).append('\n');
    t.append("update wall time ms (median / max): ").append(median(trials.stream().map(TrialResult::updateMillis)
        .toList())).append(" / ").append(trials.stream().mapToLong(TrialResult::updateMillis).max().orElse(0))
        .append("; one trial, all included (median / max): ")
        .append(median(trials.stream().map(TrialResult::trialMillis).toList())).append(" / ")
        .append(trials.stream().mapToLong(TrialResult::trialMillis).max().orElse(0)).append('\n');
    t.append(String.format("%-12s %-5s %6s %12s %10s %14s%n", "kind", "inst", "kills", "cost median", "cost max",
        "restart median"));
    for (Map.Entry<String, List<KillResult>> e : byKind(trials).entrySet()) {
      List<Long> costs = e.getValue().stream().map(KillResult::costMillis).filter(c -> c >= 0).toList();
      String[] key = e.getKey().split("\\|");
      t.append(String.format("%-12s %-5s %6d %12s %10s %14s%n", key[0], key[1], e.getValue().size(),
          costs.isEmpty() ? "-" : median(costs), costs.isEmpty() ? "-" : costs.stream().mapToLong(Long::longValue)
              .max().orElse(0), median(e.getValue().stream().map(KillResult::restartMillis).toList())));
    }
    return t.toString();
  }

  /** The whole run as JSON: every trial, then the totals. */
  static void writeJson(Path file, long seed, List<TrialResult> trials) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("seed", seed);
    doc.put("trials", trials);
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("count", trials.size());
    totals.put("outcomes", trials.stream().collect(Collectors.groupingBy(TrialResult::outcome, TreeMap::new,
        Collectors.counting())));
    totals.put("withViolations", trials.stream().filter(r -> !r.good()).count());
    Map<String, Object> cost = new LinkedHashMap<>();
    byKind(trials).forEach((k, kills) -> {
      List<Long> costs = kills.stream().map(KillResult::costMillis).filter(c -> c >= 0).toList();
      cost.put(k.replace('|', '/'), Map.of("kills", kills.size(), "costMedianMillis", median(costs),
          "costMaxMillis", costs.stream().mapToLong(Long::longValue).max().orElse(0)));
    });
    totals.put("killCostByKindAndInstances", cost);
    doc.put("totals", totals);
    Files.createDirectories(file.toAbsolutePath().getParent());
    JsonCodec.shared().mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), doc);
  }

  private static Map<String, List<KillResult>> byKind(List<TrialResult> trials) {
    Map<String, List<KillResult>> m = new TreeMap<>();
    for (TrialResult r : trials) {
      for (KillResult k : r.kills()) {
        m.computeIfAbsent(k.kind() + "|" + r.instances(), x -> new ArrayList<>()).add(k);
      }
    }
    return m;
  }

  static long median(List<Long> values) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static String restarts(TrialResult r) {
    return r.restarts().values().stream().map(String::valueOf).collect(Collectors.joining(""));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    b.forEach(n -> all.add("note: " + n));
    return all;
  }
}
