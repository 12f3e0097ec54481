package io.pxops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code pxops plan} on the example campaign and fleet of docs/examples: stages in order with their databases,
 * windows, admission refusals, and an estimate that says where it comes from. No service is reached.
 */
class PlanCommandTest {

  private static final Path EXAMPLES = Path.of("..", "docs", "examples");

  @TempDir
  Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = PxopsMain.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void givenTheExampleCampaignAndFleet_whenPlanned_thenStagesOrderRefusalsAndTheEstimateAreShown() throws IOException {
    Path history = dir.resolve("history.json");
    Files.writeString(history, """
        {"items": [
          {"database": "shop/orders", "phase": "Successful", "startedAt": "2026-11-01T10:00:00Z", "finishedAt": "2026-11-01T10:05:00Z"},
          {"database": "shop/other", "phase": "Successful", "startedAt": "2026-11-01T10:00:00Z", "finishedAt": "2026-11-01T10:10:00Z"},
          {"database": "shop/other", "phase": "Failed", "startedAt": "2026-11-01T11:00:00Z", "finishedAt": "2026-11-01T11:01:00Z"}
        ]}
        """);

    Run run = run("plan", "-f", EXAMPLES.resolve("campaign.yaml").toString(), "--fleet",
        EXAMPLES.resolve("fleet.yaml").toString(), "--history", history.toString(), "--start", "2026-12-05T22:00:00Z");

    assertThat(run.code()).as(run.err()).isZero();
    String out = run.out();
    // selected: gold, in shop or billing, 8.0.0 <= version < 8.4.0, ordered by namespace then name
    assertThat(out).contains("Campaign px-8-4: 4 database(s) in 3 stage(s); 1 refused; 0 left out.");
    assertThat(out).containsSubsequence(
        "Stage 1 canary: 1 database(s), at most 1 at once, gate: none", "billing/invoices",
        "Stage 2 early: 1 database(s), at most 2 at once, gate: wait 30m", "billing/ledger",
        "Stage 3 rest: 2 database(s), at most 3 at once, gate: approval", "shop/carts", "shop/orders");
    // ledger's own window, its namespace's and the campaign's intersect on Sunday 02:00-04:00 UTC
    assertThat(out).contains("opens 2026-12-06T02:00:00Z");
    assertThat(out).containsSubsequence("Admission would refuse:", "shop/search", "TargetNotAllowed",
        "the catalog does not allow 8.0.36 -> 8.4.3 (allowed: 8.0.40)");
    assertThat(out).doesNotContain("shop/legacy", "billing/reports");
    assertThat(out).contains("Estimate: ~", "time waiting for approval of rest not counted",
        "From 2 successful update(s) measured by pxops in " + history
            + ": 1 database(s) use their own last update, the others the median, 10m.");
  }

  @Test
  void givenNoHistory_whenPlanned_thenTheEstimateSaysWhyThereIsNone() {
    Run run = run("plan", "-f", EXAMPLES.resolve("campaign.yaml").toString(), "--fleet",
        EXAMPLES.resolve("fleet.yaml").toString(), "--start", "2026-12-05T22:00:00Z");

    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("Estimate: none: no measured updates (give --history");
  }

  @Test
  void givenABadSpec_whenPlanned_thenEveryBadFieldIsNamedAndTheExitCodeIsUsage() throws IOException {
    Path spec = dir.resolve("bad.yaml");
    Files.writeString(spec, """
        name: Bad_Name
        target: {version: "8.4.3"}
        stages:
          - {name: canary, count: 1, maxConcurrent: 0}
        failureBudget: {percent: 500}
        """);

    Run run = run("plan", "-f", spec.toString(), "--fleet", EXAMPLES.resolve("fleet.yaml").toString());

    assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("name: \"Bad_Name\" must be a DNS-1123 label",
        "stages[0].maxConcurrent: must be 1 to 1000, is 0 (Between)",
        "failureBudget.percent: must be 0 to 100, is 500 (Between)");
    assertThat(run.out()).isEmpty();
  }
}
