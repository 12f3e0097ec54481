package io.pxops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pxops plan DATABASE --to VERSION}: the ingest's dry run of one update, shown as tables (or its JSON as
 * the ingest answered it). Exit 0 when admission would accept the update, 4 when it would refuse it.
 */
final class UpdatePlanView {

  private final CommandSpec spec;
  private final Endpoints endpoints;
  private final StatusView.Format output;

  UpdatePlanView(CommandSpec spec, Endpoints endpoints, StatusView.Format output) {
    this.spec = spec;
    this.endpoints = endpoints;
    this.output = output;
  }

  /**
   * Asks for the dry run and prints it.
   *
   * @param ref namespace and database
   * @param body the submit's body
   * @return the exit code
   */
  int show(String[] ref, JsonNode body) {
    PxopsHttp.DryRunAnswer answer = new PxopsHttp(endpoints).dryRun("/api/v1/namespaces/"
        + URLEncoder.encode(ref[0], StandardCharsets.UTF_8) + "/updaterequests?dryRun=All", body);
    PrintWriter out = spec.commandLine().getOut();
    if (output != StatusView.Format.table) {
      out.print(StatusView.machine(answer.body(), output));
    } else {
      out.print(text(ref[0] + "/" + ref[1], body.path("targetVersion").asText(), answer));
    }
    out.flush();
    return answer.refused() ? ExitCodes.REFUSED : ExitCodes.OK;
  }

  /** The answer as a person reads it. */
  static String text(String database, String target, PxopsHttp.DryRunAnswer answer) {
    JsonNode a = answer.body();
    StringBuilder b = new StringBuilder();
    if (answer.refused()) {
      b.append("Update ").append(database).append(" -> ").append(target).append(": admission would refuse it.\n");
      Table t = new Table("RULE", "FIELD", "WHY");
      t.row(a.path("error").asText(), a.path("field").asText("-"), a.path("message").asText());
      return b.append(PlanCommand.indent(t.toString())).toString();
    }
    if ("AlreadySubmitted".equals(a.path("decision").asText())) {
      return b.append("Update ").append(database).append(" -> ").append(target).append(": ")
          .append(a.path("message").asText()).append('\n').toString();
    }
    JsonNode r = a.path("request");
    b.append("Update ").append(database).append(' ').append(r.path("fromVersion").asText("?")).append(" -> ")
        .append(r.path("targetVersion").asText()).append(": admission would accept it")
        .append(r.path("nameDerived").asBoolean() ? "" : " as " + r.path("name").asText()).append(" (timeout ")
        .append(humanIso(r.path("timeout").asText())).append(", apply ").append(r.path("apply").asText())
        .append(", max retries ").append(r.path("maxRetries").asInt()).append(").\n");
    b.append("Starts: ").append(a.at("/window/message").asText()).append(".\n");
    if (a.has("queue")) {
      b.append("Queue: ").append(a.at("/queue/message").asText()).append(".\n");
    }
    b.append("\nSteps:\n");
    Table steps = new Table("#", "STEP", "POD");
    int n = 1;
    for (JsonNode s : a.path("steps")) {
      steps.row(n++, s.path("step").asText(), s.path("pod").asText(""));
    }
    b.append(PlanCommand.indent(steps.toString()));
    b.append("\nPod order:");
    if (a.path("podOrder").isEmpty()) {
      b.append(" none: every pod already runs the target image and is Ready.\n");
    } else {
      b.append('\n');
      Table pods = new Table("#", "POD", "READY", "IMAGE");
      n = 1;
      for (JsonNode p : a.path("podOrder")) {
        pods.row(n++, p.path("name").asText(), p.path("ready").asBoolean() ? "yes" : "no", p.path("image").asText());
      }
      b.append(PlanCommand.indent(pods.toString()));
    }
    JsonNode e = a.path("estimate");
    b.append('\n');
    if (e.path("total").isNull() || e.path("total").isMissingNode()) {
      b.append("Estimate: none: ").append(e.path("source").asText()).append(".\n");
    } else {
      b.append("Estimate: ~").append(humanIso(e.path("total").asText())).append(" of steps (queue and window "
          + "waits not counted).\n  From ").append(e.path("source").asText()).append(".\n");
    }
    return b.toString();
  }

  /** An ISO-8601 duration as {@code pxops} shows durations, or the text as it came. */
  static String humanIso(String iso) {
    try {
      return PlanCommand.human(Duration.parse(iso));
    } catch (DateTimeParseException e) {
      return iso;
    }
  }
}
