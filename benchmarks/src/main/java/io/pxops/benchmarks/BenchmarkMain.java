package io.pxops.benchmarks;

import io.pxops.events.JsonCodec;
import io.pxops.sandbox.world.LocalWorld;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The benchmark suite: step latency against raw Kafka, the overhead of a real Galera update, the fleet, and the cost
 * of each service. Prints a table and writes every figure as JSON. Never run by the test suite.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "pxops benchmarks on the local world: prints a table, writes JSON.")
public final class BenchmarkMain implements Callable<Integer> {

  /** The suites ({@code campaign-fleet} on the command line for {@code campaign_fleet}). */
  enum Suite {
    latency, overhead, fleet, cost, verifier, dashboard, campaign_fleet;

    /** Reads a suite's name as the command line writes it: any case, {@code -} for {@code _}. */
    static final class Converter implements CommandLine.ITypeConverter<Suite> {
      @Override
      public Suite convert(String value) {
        try {
          return Suite.valueOf(value.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
          throw new CommandLine.TypeConversionException("no suite '" + value + "': latency, overhead, fleet, cost, "
              + "verifier, dashboard or campaign-fleet");
        }
      }
    }
  }

  @Option(names = "--suites", split = ",", defaultValue = "latency,overhead,fleet,cost",
      converter = Suite.Converter.class,
      description = "Which to run (default: ${DEFAULT-VALUE}; verifier, dashboard and campaign-fleet only when "
          + "named).")
  List<Suite> suites;

  @Option(names = "--campaign-fleet-databases", defaultValue = "1000", description = "Simulated databases of the "
      + "campaign-fleet suite (default: ${DEFAULT-VALUE}).")
  int campaignFleetDatabases;

  @Option(names = "--campaign-fleet-limit", defaultValue = "50", description = "Its concurrency limit (default: "
      + "${DEFAULT-VALUE}).")
  int campaignFleetLimit;

  @Option(names = "--campaign-fleet-runs", defaultValue = "5", description = "Its runs, each of its own seed, after "
      + "one to warm up (default: ${DEFAULT-VALUE}).")
  int campaignFleetRuns;

  @Option(names = "--latency-requests", defaultValue = "75",
      description = "Requests for the latency run, 15 steps each (default: ${DEFAULT-VALUE}).")
  int latencyRequests;

  @Option(names = "--latency-concurrency", defaultValue = "4", description = "Requests in flight (default: "
      + "${DEFAULT-VALUE}).")
  int latencyConcurrency;

  @Option(names = "--coordinator-env", split = ",", description = "Extra settings of the coordinator for the latency "
      + "run, and of every service for the overhead run, e.g. PXOPS_PROCESSING_GUARANTEE=at_least_once (default: "
      + "their own defaults).")
  Map<String, String> coordinatorEnv = Map.of();

  @Option(names = "--verifier-rows", split = ",", defaultValue = "0,1000000,10000000",
      description = "Table sizes for the verifier's cost, grown in this order (default: ${DEFAULT-VALUE}).")
  List<Long> verifierRows;

  @Option(names = "--overhead-rows", split = ",", defaultValue = "0", description = "Rows of a table seeded before "
      + "the real update, one update (in a world of its own) per size; with more than one, each VerifyPod is compared "
      + "with the first size's (default: ${DEFAULT-VALUE}).")
  List<Long> overheadRows;

  @Option(names = "--overhead-updates", defaultValue = "7", description = "Updates measured on an empty database, "
      + "one after the other, each of its own 3-node cluster; the median is reported (default: ${DEFAULT-VALUE}).")
  int overheadUpdates;

  @Option(names = "--overhead-warm-ups", defaultValue = "6", description = "3-node updates run first on the freshly "
      + "started services and reported apart, not in the median: a service's first updates pay for its JVM's "
      + "warm-up (default: ${DEFAULT-VALUE}; 0: measure from the first update).")
  int overheadWarmUps;

  @Option(names = "--fleet", split = ",", defaultValue = "100,1000,10000",
      description = "Fleet sizes, databases of 3 pods (default: ${DEFAULT-VALUE}).")
  List<Integer> fleet;

  @Option(names = "--fleet-timeout", defaultValue = "PT30M", description = "Longest fleet run (default: "
      + "${DEFAULT-VALUE}).")
  java.time.Duration fleetTimeout;

  @Option(names = "--dashboard-requests", defaultValue = "10000", description = "Requests in the projector's store "
      + "for the dashboard suite (default: ${DEFAULT-VALUE}).")
  int dashboardRequests;

  @Option(names = "--dashboard-events", defaultValue = "200", description = "Events timed from the lifecycle topic to "
      + "the dashboard's stream (default: ${DEFAULT-VALUE}).")
  int dashboardEvents;

  @Option(names = "--dashboard-browser-events", defaultValue = "30", description = "Events timed until headless "
      + "Chromium shows them, in the dashboard suite; 0 skips the browser (default: ${DEFAULT-VALUE}).")
  int dashboardBrowserEvents;

  @Option(names = "--dashboard-samples", defaultValue = "30", description = "Calls timed for each page of the "
      + "dashboard suite (default: ${DEFAULT-VALUE}).")
  int dashboardSamples;

  @Option(names = "--cost-services", split = ",", defaultValue = "ingest,coordinator,runners,verifier,projector",
      description = "The services started alone for their start time and idle memory, in this order; the "
          + "coordinator first creates the topics (default: ${DEFAULT-VALUE}).")
  List<String> costServices;

  @Option(names = "--idle", defaultValue = "PT10S", description = "How long each service idles before its idle RSS "
      + "is read (default: ${DEFAULT-VALUE}).")
  java.time.Duration idle;

  @Option(names = "--json", defaultValue = "target/benchmarks.json", description = "Where to write the figures "
      + "(default: ${DEFAULT-VALUE}).")
  Path json;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("ranAt", Instant.now().toString());
    report.put("machine", machine());
    Path dir = Files.createTempDirectory("pxops-bench-");
    List<String[]> table = new ArrayList<>();
    if (suites.contains(Suite.latency)) {
      out.println("== step latency (coordinator as its own process; runners answer at once)");
      try (LocalWorld world = LocalWorld.builder().namespace("bench").pods(LocalWorld.Pods.SIMULATED).start()) {
        Map<String, Object> r = StepLatencyBenchmark.run(world, dir.resolve("latency"), latencyRequests,
            latencyConcurrency, coordinatorEnv, out);
        report.put("stepLatency", r);
        table.add(latencyRow("1 step latency, " + coordinatorEnv.getOrDefault("PXOPS_PROCESSING_GUARANTEE",
            "exactly_once_v2") + (coordinatorEnv.isEmpty() ? " (default)" : " " + coordinatorEnv), r));
      }
      if (!coordinatorEnv.containsKey("PXOPS_PROCESSING_GUARANTEE")) {
        // a fresh world: the second coordinator must not read the first one's log
        out.println("== step latency, coordinator at_least_once (the exactly-once commit out of the hand-over)");
        try (LocalWorld world = LocalWorld.builder().namespace("bench").pods(LocalWorld.Pods.SIMULATED).start()) {
          Map<String, String> alos = new LinkedHashMap<>(coordinatorEnv);
          alos.put("PXOPS_PROCESSING_GUARANTEE", "at_least_once");
          Map<String, Object> a = StepLatencyBenchmark.run(world, dir.resolve("latency-alos"), latencyRequests,
              latencyConcurrency, alos, out);
          report.put("stepLatencyAtLeastOnce", a);
          writeJson(report);
          table.add(latencyRow("1 step latency, at-least-once", a));
        }
      }
    }
    if (suites.contains(Suite.overhead)) {
      List<Map<String, Object>> runs = new ArrayList<>();
      for (long rows : overheadRows) {
        out.println("== real update overhead (3-node Galera, every service its own process)"
            + (rows == 0 ? "" : ", a table of " + rows + " rows"));
        Map<String, Object> r = UpdateOverheadBenchmark.run(dir.resolve("overhead-" + rows), rows, overheadUpdates,
            overheadWarmUps, coordinatorEnv, out);
        runs.add(r);
        report.put("updateOverhead", runs.size() == 1 ? r : runs);
        List<Double> verifyPods = UpdateOverheadBenchmark.verifyPodSeconds(r);
        if (runs.size() > 1) {
          List<Double> base = UpdateOverheadBenchmark.verifyPodSeconds(runs.get(0));
          double ratio = StepLatencyBenchmark.ratio(Stats.median(verifyPods), Stats.median(base));
          r.put("verifyPodRatioToFirstSize", ratio);
          out.printf("  VerifyPod each %s s vs %s s at %d rows: median ratio %.2f%n", verifyPods, base,
              overheadRows.get(0), ratio);
        }
        writeJson(report);
        table.add(row("2 real update" + (rows == 0 ? "" : ", " + rows + " rows")
            + (coordinatorEnv.isEmpty() ? "" : " " + coordinatorEnv) + ": wall / sum of node restarts (s)",
            r.get("wallSeconds") + " / "
            + r.get("nodeRestartSumSeconds"), "per node restart " + r.get("nodeRestartSeconds") + "; ratios "
            + ((List<?>) r.get("updates")).stream().map(u -> ((Map<?, ?>) u).get("ratio")).toList()
            + " after warm-ups " + ((List<?>) r.get("warmUp")).stream().map(u -> ((Map<?, ?>) u).get("ratio"))
            .toList(),
            "ratio " + r.get("ratio") + " (target <= 1.05)"));
        table.add(row("2 real update" + (rows == 0 ? "" : ", " + rows + " rows") + ": VerifyPod each (s)",
            String.valueOf(verifyPods), r.containsKey("verifyPodRatioToFirstSize") ? "median / " + overheadRows.get(0)
            + " rows: " + r.get("verifyPodRatioToFirstSize") + " (target <= 2)" : "",
            r.containsKey("divergence") ? "divergence " + r.get("divergence") : ""));
      }
    }
    if (suites.contains(Suite.fleet) || suites.contains(Suite.cost)) {
      out.println("== fleet and cost (SIMULATED pods and node status: no database processes)");
      Map<String, Object> r = FleetBenchmark.run(dir.resolve("fleet"), suites.contains(Suite.fleet) ? fleet
          : List.of(), fleetTimeout, idle, costServices, out);
      report.put("fleetAndCost", r);
      for (Object o : (List<?>) r.get("runs")) {
        Map<?, ?> run = (Map<?, ?>) o;
        table.add(row("3 fleet N=" + run.get("databases") + " (simulated pods)", run.get("allSuccessfulSeconds")
            + " s, " + run.get("updatesPerMinute") + " updates/min", "status lag p50 " + run.get("statusLagP50Ms")
            + " / p99 " + run.get("statusLagP99Ms") + " ms", run.get("note") == null
            ? "target: 10,000 within 10 min, lag p99 < 1000 ms" : String.valueOf(run.get("note"))));
      }
      for (Object o : (List<?>) r.get("services")) {
        Map<?, ?> s = (Map<?, ?>) o;
        table.add(row("4 cost " + s.get("service"), "start " + s.get("startSeconds") + " s", "RSS idle "
            + s.get("idleRssMiB") + " MiB, under load " + s.get("loadRssMiB") + " MiB", "target <= 256 MiB, <= 3 s"));
      }
    }
    if (suites.contains(Suite.verifier)) {
      out.println("== verifier cost against rows (3-node Galera, one table)");
      Map<String, Object> r = VerifierCostBenchmark.run(verifierRows, out);
      report.put("verifierCost", r);
      writeJson(report);
      for (Object o : (List<?>) r.get("sizes")) {
        Map<?, ?> v = (Map<?, ?>) o;
        table.add(row("5 verifier, " + v.get("rows") + " rows: VerifyPod (looks 0.2 s apart, median of 5) / one verdict back to"
            + " back / bounded data check, 3 looks (s)", v.get("verifyPodSeconds") + " / " + v.get("verdictSeconds")
            + " / " + v.get("boundedCheckSeconds"), "whole-table check before "
            + v.get("wholeTableCheckSeconds") + " s; " + v.get("boundedRowsPerNode") + " rows compared a node",
            "divergence: " + v.get("divergence")));
      }
    }
    if (suites.contains(Suite.dashboard)) {
      out.println("== dashboard with " + dashboardRequests + " requests (the projector alone, synthetic histories)");
      Map<String, Object> r = DashboardBenchmark.run(dir.resolve("dashboard"), dashboardRequests, dashboardEvents,
          dashboardSamples, dashboardBrowserEvents, out);
      report.put("dashboard", r);
      writeJson(report);
      for (Object o : (List<?>) r.get("pages")) {
        Map<?, ?> p = (Map<?, ?>) o;
        table.add(row("6 dashboard N=" + dashboardRequests + ", " + p.get("view") + " page " + p.get("page") + " of "
            + p.get("total") + ", filter " + p.get("filter") + ": median / p99 (ms)", p.get("medianMs") + " / "
            + p.get("p99Ms"), p.get("bytes") + " bytes", "responsive: well under 100 ms"));
      }
      Map<?, ?> e = (Map<?, ?>) r.get("eventToPage");
      Map<?, ?> toStream = (Map<?, ?>) e.get("toStream");
      Map<?, ?> after = (Map<?, ?>) e.get("pageAfterChange");
      table.add(row("6 dashboard N=" + dashboardRequests + ", event -> SSE status / -> fleet page, p50 / p99 (ms), n="
          + e.get("events"), toStream.get("p50Ms") + " / " + toStream.get("p99Ms") + "; " + e.get("eventToPageP50Ms")
          + " / " + e.get("eventToPageP99Ms"), "page after a change " + after.get("p50Ms") + " / " + after.get("p99Ms"),
          "within 1000 ms (+ the page's 300 ms debounce)"));
      if (r.get("eventToBrowser") instanceof Map<?, ?> b) {
        table.add(row("6 dashboard N=" + dashboardRequests + ", event -> row shown in headless Chromium, p50 / p99 "
            + "(ms), n=" + b.get("count"), b.get("p50Ms") + " / " + b.get("p99Ms"), b.get("note") == null
            ? "the page reloads 300 ms after the stream's event" : String.valueOf(b.get("note")), "within 1000 ms"));
      }
      Map<?, ?> list = (Map<?, ?>) r.get("statusApiList");
      table.add(row("6 dashboard N=" + dashboardRequests + ", GET /api/v1/updaterequests: first answer (ms, bytes)",
          list.get("firstPageMs") + " ms, " + list.get("firstPageBytes") + " bytes", "all " + list.get("items")
          + " in " + list.get("pages") + " pages, " + list.get("wholeListMs") + " ms, largest " + list.get(
          "largestPageBytes") + " bytes", "never one whole-fleet body"));
      table.add(row("6 dashboard N=" + dashboardRequests + ", projector heap in use / RSS (MiB)", r.get("heapUsedMiB")
          + " / " + r.get("rssMiB"), "fill " + r.get("fillSeconds") + " s", "-Xmx160m"));
    }
    if (suites.contains(Suite.campaign_fleet)) {
      out.println("== campaign over a simulated fleet of " + campaignFleetDatabases + " databases, limit "
          + campaignFleetLimit + " (the campaign decider on simulated time: no services)");
      Map<String, Object> r = CampaignFleetBenchmark.run(campaignFleetDatabases, campaignFleetLimit,
          campaignFleetRuns, out);
      report.put("campaignFleet", r);
      writeJson(report);
      table.add(row("7 campaign, " + r.get("databases") + " simulated databases, limit " + r.get("limit")
          + ": max running at any moment (after every event), " + r.get("runs") + " runs", r.get("maxRunning")
          + " (events over the limit: " + r.get("eventsOverLimit") + ")", "median wall " + r.get("medianWallMs")
          + " ms, " + r.get("decisionsPerSecond") + " decisions/s; simulated " + ((List<?>) r.get("each")).stream()
          .map(e -> String.valueOf(((Map<?, ?>) e).get("simulatedMinutes"))).toList() + " min",
          "never above the limit"));
    }
    out.println();
    out.println(format(table));
    writeJson(report);
    out.println("figures written to " + json.toAbsolutePath());
    return 0;
  }

  /** Written after each suite too, so that a run stopped in a later suite keeps the figures of the earlier ones. */
  private void writeJson(Map<String, Object> report) throws java.io.IOException {
    Files.createDirectories(json.toAbsolutePath().getParent());
    Files.writeString(json, JsonCodec.shared().mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
  }

  @SuppressWarnings("unchecked")
  private static String[] latencyRow(String what, Map<String, Object> r) {
    Map<String, Object> p = (Map<String, Object>) r.get("pipeline");
    Map<String, Object> k = (Map<String, Object>) r.get("rawKafka");
    return row(what + " p50 / p99 / max (ms), n=" + p.get("count"), p.get("p50Ms") + " / " + p.get("p99Ms") + " / "
        + p.get("maxMs"), "raw Kafka " + k.get("p50Ms") + " / " + k.get("p99Ms") + " / " + k.get("maxMs"),
        "p99 ratio " + r.get("p99Ratio") + " (target <= 3)");
  }

  private static String[] row(String... cells) {
    return cells;
  }

  private static String format(List<String[]> rows) {
    StringBuilder b = new StringBuilder("| what | figure | floor / detail | target |\n|---|---|---|---|\n");
    for (String[] r : rows) {
      b.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    return b.toString();
  }

  static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("memoryGiB", Math.round(((com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean()).getTotalMemorySize() / (1024.0 * 1024 * 1024)));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("java", System.getProperty("java.version"));
    return m;
  }

  public static void main(String[] args) {
    // a benchmark stopped midway (Ctrl-C, a timeout) must not leave its service processes running: orphaned,
    // they retry a broker that is gone and take CPU from the next run (seen: five of them, 7 % each)
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants()
        .forEach(ProcessHandle::destroyForcibly), "benchmark-children"));
    System.exit(new CommandLine(new BenchmarkMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }
}
