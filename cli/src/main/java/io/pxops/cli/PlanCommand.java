package io.pxops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pxops.events.campaign.CampaignEstimate;
import io.pxops.events.campaign.CampaignPlan;
import io.pxops.events.campaign.CampaignPlanner;
import io.pxops.events.campaign.CampaignSpec;
import io.pxops.events.campaign.CampaignSpecJson;
import io.pxops.events.campaign.FleetListing;
import io.pxops.events.campaign.FailureBudget;
import io.pxops.events.campaign.Gate;
import io.pxops.events.campaign.MaintenanceWindow;
import io.pxops.events.campaign.MeasuredDurations;
import io.pxops.events.campaign.Violation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pxops plan}: what would happen, changing nothing.
 *
 * <ul>
 *   <li>{@code pxops plan DATABASE --to VERSION}: one update, asked of the ingest's dry run ({@code POST
 *       .../updaterequests?dryRun=All}, the same reading and admission as a submit, on the live cluster): accepted
 *       or refused naming the rule and field, and if accepted its steps in order, its pod order, when it would start
 *       (its window) and an estimate from the step durations pxops measured, saying where it comes from. Exit 0
 *       when admission would accept it, 4 when it would refuse it.
 *   <li>{@code pxops plan -f campaign.yaml --fleet fleet.yaml}: a campaign from its spec and a fleet listing,
 *       reaching no service: the stages with their databases in start order, what admission would refuse and why,
 *       and an estimate from measured update durations (a {@code pxops list -o json} file), saying where it comes
 *       from. The plan and the estimate are the campaign's own pure planner and state machine, so they follow the
 *       same rules as a real run. ({@code pxops campaign plan -f} asks the ingest instead, over the live fleet.)
 * </ul>
 */
@Command(name = "plan", description = {"Show what would happen, changing nothing: one update (DATABASE --to VERSION, "
    + "asked of the ingest's dry run on the live cluster: admission's decision, steps, pod order, window, estimate) "
    + "or a campaign from files (-f SPEC --fleet FLEET: stages, order, refusals, estimate).",
    "Examples:",
    "  pxops plan shop/orders --to 8.4.3",
    "  pxops plan -f campaign.yaml --fleet fleet.yaml --history requests.json"})
final class PlanCommand implements Callable<Integer> {

  private static final YAMLMapper YAML = new YAMLMapper();

  @Spec
  CommandSpec spec;

  @Mixin
  Endpoints endpoints;

  @Parameters(index = "0", arity = "0..1", paramLabel = "DATABASE",
      description = "One update: the database, namespace/name or name with -n (default namespace: demo).")
  String database;

  @Option(names = {"-n", "--namespace"}, description = "With DATABASE: its namespace.")
  String namespace;

  @Option(names = {"-t", "--to"}, paramLabel = "VERSION",
      description = "With DATABASE: the catalog entry (PerconaXtraDBVersion) to go to.")
  String to;

  @Option(names = "--timeout", description = "With DATABASE: the per-step timeout, a Kubernetes duration such as 5m.")
  String timeout;

  @Option(names = "--apply", description = "With DATABASE: IfReady (default) or Always.")
  String apply;

  @Option(names = "--max-retries", description = "With DATABASE: retries of a retriable step failure.")
  Integer maxRetries;

  @Option(names = {"-f", "--file"}, description = "A campaign spec, YAML or JSON (with --fleet).")
  Path file;

  @Option(names = "--fleet",
      description = "The fleet listing, YAML or JSON: databases, namespaces' labels, namespace windows, catalog.")
  Path fleet;

  @Option(names = "--history",
      description = "Measured updates for the estimate: the output of 'pxops list -o json' (or -o yaml).")
  Path history;

  @Option(names = "--start", description = "When the campaign would start (ISO-8601, e.g. 2026-12-05T22:00:00Z); "
      + "windows are evaluated from it. Default: now.")
  String start;

  @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
  StatusView.Format output;

  @Override
  public Integer call() {
    if (database != null) {
      if (file != null || fleet != null || history != null || start != null) {
        throw new ParameterException(spec.commandLine(), "plan DATABASE --to VERSION plans one update; -f, --fleet, "
            + "--history and --start plan a campaign from files: give one or the other");
      }
      if (to == null) {
        throw new ParameterException(spec.commandLine(), "plan DATABASE needs --to VERSION");
      }
      return new UpdatePlanView(spec, endpoints, output).show(updateRef(), body());
    }
    if (file == null || fleet == null) {
      throw new ParameterException(spec.commandLine(), "give DATABASE --to VERSION (one update), or -f SPEC "
          + "--fleet FLEET (a campaign from files)");
    }
    if (to != null || timeout != null || apply != null || maxRetries != null || namespace != null) {
      throw new ParameterException(spec.commandLine(), "-n, --to, --timeout, --apply and --max-retries go with "
          + "DATABASE (one update), not with -f (a campaign)");
    }
    return campaignFromFiles();
  }

  /** DATABASE as namespace and name: {@code ns/name}, or name with -n, else in {@code demo} as submit takes it. */
  private String[] updateRef() {
    String ns = namespace;
    String name = database;
    int slash = database.indexOf('/');
    if (slash >= 0) {
      ns = database.substring(0, slash);
      name = database.substring(slash + 1);
    }
    if (ns == null) {
      ns = "demo";
    }
    if (ns.isBlank() || name.isBlank() || name.contains("/")) {
      throw new ParameterException(spec.commandLine(), "DATABASE must be namespace/name, or name with -n "
          + "NAMESPACE; was '" + database + "'");
    }
    return new String[] {ns, name};
  }

  /** The submit's body, as {@code pxops submit} sends it. */
  private com.fasterxml.jackson.databind.node.ObjectNode body() {
    com.fasterxml.jackson.databind.node.ObjectNode body = io.pxops.events.JsonCodec.shared().mapper()
        .createObjectNode();
    body.put("database", updateRef()[1]).put("targetVersion", to);
    if (timeout != null) {
      body.put("timeout", timeout);
    }
    if (apply != null) {
      body.put("apply", apply);
    }
    if (maxRetries != null) {
      body.put("maxRetries", maxRetries);
    }
    return body;
  }

  private Integer campaignFromFiles() {
    List<Violation> violations = new ArrayList<>();
    CampaignSpecJson.Result read = CampaignSpecJson.read(tree(file, "--file"));
    violations.addAll(read.violations());
    FleetListing listing = FleetListing.read(tree(fleet, "--fleet"), violations);
    if (!violations.isEmpty()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("pxops: the campaign spec or the fleet listing is not valid:");
      violations.forEach(v -> err.println("  " + v));
      err.flush();
      return ExitCodes.USAGE;
    }
    Instant at = startInstant();
    CampaignSpec campaign = read.spec();
    CampaignPlan plan = CampaignPlanner.plan(
        campaign, listing.databases(), listing.namespaceLabels(), listing.namespaceWindows(), listing.updateCatalog());
    MeasuredDurations measured = new MeasuredDurations(history == null ? List.of() : measured(tree(history, "--history")));
    CampaignEstimate estimate = measured.median().isEmpty() ? null
        : CampaignEstimate.simulate(plan, db -> measured.durationOf(db).orElseThrow(), at);
    PrintWriter out = spec.commandLine().getOut();
    if (output == StatusView.Format.table) {
      out.print(text(campaign, plan, estimate, measured, at));
    } else {
      out.print(StatusView.machine(machine(plan, estimate, measured), output));
    }
    out.flush();
    return ExitCodes.OK;
  }

  private Instant startInstant() {
    if (start == null) {
      return Instant.now();
    }
    try {
      return Instant.parse(start);
    } catch (DateTimeParseException e) {
      throw new CliFailure(ExitCodes.USAGE, "--start " + start + " is not an instant like 2026-12-05T22:00:00Z");
    }
  }

  /** A YAML or JSON file given to {@code option}; unreadable, a usage error naming the option and the file. */
  static JsonNode tree(Path path, String option) {
    try {
      return YAML.readTree(Files.readString(path));
    } catch (IOException | RuntimeException e) {
      throw new CliFailure(ExitCodes.USAGE, option + " " + path + ": cannot be read as YAML or JSON: " + e.getMessage());
    }
  }

  /** Successful requests from a {@code pxops list} output: {@code {"items": [RequestStatus...]}}. */
  private static List<MeasuredDurations.Measured> measured(JsonNode root) {
    List<MeasuredDurations.Measured> found = new ArrayList<>();
    for (JsonNode item : root.path("items")) {
      if (!"Successful".equals(item.path("phase").asText())) {
        continue;
      }
      try {
        found.add(new MeasuredDurations.Measured(item.path("database").asText(),
            Instant.parse(item.path("startedAt").asText()), Instant.parse(item.path("finishedAt").asText())));
      } catch (DateTimeParseException e) {
        // a request without both instants measures nothing
      }
    }
    return found;
  }

  private String text(CampaignSpec campaign, CampaignPlan plan, CampaignEstimate estimate, MeasuredDurations measured,
      Instant at) {
    StringBuilder b = new StringBuilder();
    b.append("Campaign ").append(plan.campaign()).append(": ").append(plan.members().size()).append(" database(s) in ")
        .append(plan.stages().size()).append(" stage(s); ").append(plan.refused().size()).append(" refused; ")
        .append(plan.leftOut().size()).append(" left out. Failure budget: ").append(budget(campaign.failureBudget()))
        .append(" = ").append(plan.allowedFailures()).append(" failure(s) tolerated.\n");
    for (int i = 0; i < plan.stages().size(); i++) {
      CampaignPlan.PlannedStage stage = plan.stages().get(i);
      b.append("\nStage ").append(i + 1).append(" ").append(stage.name()).append(": ").append(stage.members().size())
          .append(" database(s), at most ").append(stage.maxConcurrent()).append(" at once, gate: ")
          .append(gate(stage.gate()));
      if (estimate != null) {
        CampaignEstimate.StageEstimate e = estimate.stages().get(i);
        b.append(", ~+").append(human(e.startsAfter())).append(" to ~+").append(human(e.endsAfter()));
      }
      b.append('\n');
      Table t = new Table("#", "DATABASE", "FROM", "TO", "WINDOW");
      int n = 1;
      for (CampaignPlan.PlannedMember m : stage.members()) {
        t.row(n++, m.database(), m.fromVersion(), m.targetVersion(), window(m.window(), at));
      }
      b.append(indent(t.toString()));
    }
    if (!plan.refused().isEmpty()) {
      b.append("\nAdmission would refuse:\n");
      Table t = new Table("DATABASE", "RULE", "WHY");
      plan.refused().forEach(r -> t.row(r.database(), r.rule(), r.message()));
      b.append(indent(t.toString()));
    }
    if (!plan.leftOut().isEmpty()) {
      b.append("\nLeft out (beyond the last stage, which does not take the rest): ")
          .append(String.join(", ", plan.leftOut())).append('\n');
    }
    b.append('\n');
    if (estimate == null) {
      b.append("Estimate: none: no measured updates").append(history == null ? " (give --history, the output of "
          + "'pxops list -o json')" : " in " + history).append(".\n");
    } else {
      long own = plan.members().stream().filter(m -> measured.hasOwn(m.database())).count();
      b.append("Estimate: ~").append(human(estimate.total())).append(" from ").append(at)
          .append(" (every update succeeding; wait gates and windows counted");
      if (!estimate.approvals().isEmpty()) {
        b.append("; time waiting for approval of ").append(String.join(", ", estimate.approvals()))
            .append(" not counted");
      }
      b.append(").\n  From ").append(measured.count()).append(" successful update(s) measured by pxops in ")
          .append(history).append(": ").append(own).append(" database(s) use their own last update, the others the ")
          .append("median, ").append(human(measured.median().orElseThrow())).append(".\n");
    }
    return b.toString();
  }

  private static Map<String, Object> machine(CampaignPlan plan, CampaignEstimate estimate, MeasuredDurations measured) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("campaign", plan.campaign());
    List<Map<String, Object>> stages = new ArrayList<>();
    for (int i = 0; i < plan.stages().size(); i++) {
      CampaignPlan.PlannedStage s = plan.stages().get(i);
      Map<String, Object> stage = new LinkedHashMap<>();
      stage.put("name", s.name());
      stage.put("maxConcurrent", s.maxConcurrent());
      stage.put("gate", gate(s.gate()));
      stage.put("databases", s.members().stream().map(x -> Map.of("database", x.database(), "from", x.fromVersion(),
          "to", x.targetVersion())).toList());
      if (estimate != null) {
        stage.put("startsAfter", estimate.stages().get(i).startsAfter().toString());
        stage.put("endsAfter", estimate.stages().get(i).endsAfter().toString());
      }
      stages.add(stage);
    }
    m.put("stages", stages);
    m.put("refused", plan.refused());
    m.put("leftOut", plan.leftOut());
    m.put("allowedFailures", plan.allowedFailures());
    if (estimate != null) {
      m.put("estimate", Map.of("total", estimate.total().toString(), "measuredUpdates", measured.count(),
          "approvalsNotCounted", estimate.approvals()));
    }
    return m;
  }

  private static String budget(FailureBudget budget) {
    return budget instanceof FailureBudget.Count c ? "count " + c.count()
        : "percent " + ((FailureBudget.Percent) budget).percent() + " %";
  }

  private static String gate(Gate gate) {
    if (gate instanceof Gate.Wait w) {
      return "wait " + human(w.duration());
    }
    return gate instanceof Gate.Approval ? "approval" : "none";
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

  static String human(Duration d) {
    long s = d.getSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
    }
    return (s / 3600) + "h" + ((s % 3600) / 60 == 0 ? "" : " " + (s % 3600) / 60 + "m");
  }

  static String indent(String table) {
    StringBuilder b = new StringBuilder();
    for (String line : table.split("\n")) {
      b.append("  ").append(line).append('\n');
    }
    return b.toString();
  }
}
