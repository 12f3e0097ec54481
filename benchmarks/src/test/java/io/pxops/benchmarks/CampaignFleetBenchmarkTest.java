package io.pxops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.JsonCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The campaign-fleet suite through the harness on a small fleet (no world: it is the decider alone): the suite is
 * named as the README names it, its figures are written, and the limit is reached and never exceeded. No speed is
 * asserted.
 */
class CampaignFleetBenchmarkTest {

  @TempDir Path dir;

  @Test
  void theCampaignFleetSuiteRunsOnASmallFleetAndWritesItsFigures() throws Exception {
    Path json = dir.resolve("bench.json");
    int exit = new CommandLine(new BenchmarkMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(
        "--suites", "campaign-fleet", "--campaign-fleet-databases", "200", "--campaign-fleet-limit", "20",
        "--campaign-fleet-runs", "2", "--json", json.toString());

    assertThat(exit).isZero();
    JsonNode r = JsonCodec.shared().mapper().readTree(json.toFile()).path("campaignFleet");
    assertThat(r.path("databases").asInt()).isEqualTo(200);
    assertThat(r.path("maxRunning").asInt()).isEqualTo(20);
    assertThat(r.path("eventsOverLimit").asInt()).isZero();
    assertThat(r.path("each")).hasSize(2);
    assertThat(r.path("each").get(0).path("succeeded").asInt() + r.path("each").get(0).path("failed").asInt())
        .isEqualTo(200);
    assertThat(r.path("decisionsPerSecond").asLong()).isPositive();
  }

  @Test
  void anUnknownSuiteIsRefusedNamingTheSuites() {
    CommandLine cl = new CommandLine(new BenchmarkMain());
    java.io.StringWriter err = new java.io.StringWriter();
    cl.setErr(new java.io.PrintWriter(err));
    assertThat(cl.execute("--suites", "campaign-flet")).isEqualTo(2);
    assertThat(err.toString()).contains("campaign-fleet");
  }
}
