package io.pxops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pxops campaign plan -f spec.yaml [--detail]}: the campaign's dry run on the ingest ({@code POST
 * /api/v1/campaigns?dryRun=All}), over the live fleet, with the same checks and authorization as {@code campaign
 * create} and nothing created: its stages with their databases in start order, what admission would refuse and
 * why, and an estimate saying where it comes from; with {@code --detail}, each database's steps and pod order.
 * Exit 0 with a plan, 4 when the create would be refused (every bad field and rule named).
 */
@Command(name = "plan", description = "Show what a campaign would do over the live fleet, creating nothing: stages, "
    + "databases in order, refusals, estimate; --detail adds each database's steps and pod order. Exit 0 with a "
    + "plan, 4 when creating it would be refused.")
final class CampaignPlanCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  Endpoints endpoints;

  @Option(names = {"-f", "--file"}, required = true, description = "The campaign spec, YAML or JSON.")
  Path file;

  @Option(names = "--detail", description = "Also each database's steps and pod order (the first 100 databases).")
  boolean detail;

  @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml (default: "
      + "${DEFAULT-VALUE}).")
  StatusView.Format output;

  @Override
  public Integer call() {
    JsonNode body = PlanCommand.tree(file, "--file");
    PxopsHttp.DryRunAnswer answer = new PxopsHttp(endpoints).dryRun("/api/v1/campaigns?dryRun=All"
        + (detail ? "&detail=true" : ""), body);
    PrintWriter out = spec.commandLine().getOut();
    out.print(output == StatusView.Format.table ? text(answer) : StatusView.machine(answer.body(), output));
    out.flush();
    return answer.refused() ? ExitCodes.REFUSED : ExitCodes.OK;
  }

  /** The answer as a person reads it. */
  static String text(PxopsHttp.DryRunAnswer answer) {
    JsonNode a = answer.body();
    StringBuilder b = new StringBuilder();
    if (answer.refused()) {
      b.append("The campaign would be refused: ").append(a.path("message").asText()).append('\n');
      Table t = new Table("FIELD", "RULE", "WHY");
      if (a.path("violations").isEmpty()) {
        t.row(a.path("field").asText("-"), a.path("error").asText(), a.path("message").asText());
      } else {
        a.path("violations").forEach(v -> t.row(v.path("field").asText(), v.path("rule").asText(),
            v.path("message").asText()));
      }
      return b.append(PlanCommand.indent(t.toString())).toString();
    }
    int members = 0;
    for (JsonNode s : a.path("stages")) {
      members += s.path("databases").size();
    }
    b.append("Campaign ").append(a.path("campaign").asText()).append(": ").append(members)
        .append(" database(s) in ").append(a.path("stages").size()).append(" stage(s); ")
        .append(a.path("refused").size()).append(" refused; ").append(a.path("leftOut").size())
        .append(" left out; ").append(a.path("allowedFailures").asInt()).append(" failure(s) tolerated.\n");
    int i = 1;
    for (JsonNode s : a.path("stages")) {
      b.append("\nStage ").append(i++).append(' ').append(s.path("name").asText()).append(": ")
          .append(s.path("databases").size()).append(" database(s), at most ").append(s.path("maxConcurrent").asInt())
          .append(" at once, gate: ").append(s.path("gate").asText());
      if (s.has("startsAfter")) {
        b.append(", ~+").append(UpdatePlanView.humanIso(s.path("startsAfter").asText())).append(" to ~+")
            .append(UpdatePlanView.humanIso(s.path("endsAfter").asText()));
      }
      b.append('\n');
      Table t = new Table("#", "DATABASE", "FROM", "TO", "WINDOW");
      int n = 1;
      for (JsonNode d : s.path("databases")) {
        t.row(n++, d.path("database").asText(), d.path("from").asText(), d.path("to").asText(),
            d.path("window").asText());
      }
      b.append(PlanCommand.indent(t.toString()));
      for (JsonNode d : s.path("databases")) {
        if (d.has("steps")) {
          b.append("  ").append(d.path("database").asText()).append(": pods ").append(pods(d)).append('\n')
              .append("    steps ").append(steps(d.path("steps"))).append('\n');
        }
      }
    }
    if (!a.path("refused").isEmpty()) {
      b.append("\nAdmission would refuse:\n");
      Table t = new Table("DATABASE", "RULE", "WHY");
      a.path("refused").forEach(r -> t.row(r.path("database").asText(), r.path("rule").asText(),
          r.path("message").asText()));
      b.append(PlanCommand.indent(t.toString()));
    }
    if (!a.path("leftOut").isEmpty()) {
      List<String> left = new ArrayList<>();
      a.path("leftOut").forEach(x -> left.add(x.asText()));
      b.append("\nLeft out (beyond the last stage, which does not take the rest): ").append(String.join(", ", left))
          .append('\n');
    }
    if (a.has("detailNote")) {
      b.append('\n').append(a.path("detailNote").asText()).append('\n');
    }
    JsonNode e = a.path("estimate");
    b.append('\n');
    if (e.path("total").isNull() || e.path("total").isMissingNode()) {
      b.append("Estimate: none: ").append(e.path("source").asText()).append(".\n");
    } else {
      b.append("Estimate: ~").append(UpdatePlanView.humanIso(e.path("total").asText())).append(" from ")
          .append(a.path("startsAt").asText());
      if (!e.path("approvalsNotCounted").isEmpty()) {
        List<String> stages = new ArrayList<>();
        e.path("approvalsNotCounted").forEach(x -> stages.add(x.asText()));
        b.append(" (time waiting for approval of ").append(String.join(", ", stages)).append(" not counted)");
      }
      b.append(".\n  ").append(e.path("source").asText()).append(".\n");
    }
    return b.toString();
  }

  private static String pods(JsonNode database) {
    List<String> pods = new ArrayList<>();
    database.path("podOrder").forEach(p -> pods.add(p.path("name").asText()
        + (p.path("ready").asBoolean() ? "" : " (not Ready)")));
    return pods.isEmpty() ? "none to restart" : String.join(", ", pods);
  }

  /**
   * The steps with the per-pod group written once: {@code Preflight, ..., UpdatePetSets, per pod: EvictPod,
   * CheckPodRunning, VerifyPod, UpdateDatabase, ResumeDatabase} — the list as the ingest gave it, grouped by the
   * first pod's steps, so the order is still the plan's.
   */
  static String steps(JsonNode steps) {
    List<String> before = new ArrayList<>();
    List<String> perPod = new ArrayList<>();
    List<String> after = new ArrayList<>();
    String firstPod = null;
    boolean podsSeen = false;
    for (JsonNode s : steps) {
      String pod = s.path("pod").asText(null);
      if (pod == null) {
        (podsSeen ? after : before).add(s.path("step").asText());
      } else {
        podsSeen = true;
        firstPod = firstPod == null ? pod : firstPod;
        if (pod.equals(firstPod)) {
          perPod.add(s.path("step").asText());
        }
      }
    }
    List<String> parts = new ArrayList<>(before);
    if (!perPod.isEmpty()) {
      parts.add("per pod: " + String.join(", ", perPod) + ";");
    }
    parts.addAll(after);
    return String.join(", ", parts).replace(";,", ";");
  }
}
