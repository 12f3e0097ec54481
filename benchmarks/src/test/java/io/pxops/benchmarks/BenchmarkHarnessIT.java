package io.pxops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.JsonCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The benchmark harness on a tiny size: it runs, every suite but the Galera one fills its figures, and the JSON has
 * the shape the README documents. It asserts no speed: these machines are shared and noisy.
 */
class BenchmarkHarnessIT {

  @Test
  void theHarnessRunsLatencyFleetAndCostOnATinySizeAndWritesItsFigures() throws Exception {
    Path json = Files.createTempFile("bench-", ".json");
    int exit = new CommandLine(new BenchmarkMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(
        "--suites", "latency,fleet,cost", "--latency-requests", "3", "--latency-concurrency", "1", "--fleet", "2",
        "--idle", "PT1S", "--json", json.toString(),
        // the guarantee named: the harness skips its second, at-least-once latency world (~10 s of suite time)
        "--coordinator-env", "PXOPS_PROCESSING_GUARANTEE=exactly_once_v2",
        // one service started alone is the harness's code path; five cost ~20 s more of suite time
        "--cost-services", "coordinator");
    assertThat(exit).isZero();
    JsonNode report = JsonCodec.shared().mapper().readTree(json.toFile());
    assertThat(report.path("machine").path("cores").asInt()).isPositive();
    JsonNode latency = report.path("stepLatency");
    assertThat(latency.path("steps").asInt()).as("3 requests of 15 steps").isEqualTo(45);
    assertThat(latency.path("pipeline").path("p99Ms").asDouble()).isPositive();
    assertThat(latency.path("rawKafka").path("count").asInt()).isGreaterThanOrEqualTo(1000);
    assertThat(latency.path("p99Ratio").asDouble()).isPositive();
    JsonNode fleet = report.path("fleetAndCost");
    assertThat(fleet.path("simulated").asText()).contains("simulated");
    assertThat(fleet.path("runs")).hasSize(1);
    assertThat(fleet.path("runs").get(0).path("successful").asInt()).isEqualTo(2);
    assertThat(fleet.path("runs").get(0).path("statusLagP99Ms").asDouble()).isPositive();
    assertThat(fleet.path("services")).hasSize(1);
    assertThat(fleet.path("services").get(0).path("service").asText()).isEqualTo("coordinator");
    for (JsonNode s : fleet.path("services")) {
      assertThat(s.path("startSeconds").asDouble()).as(s.toString()).isPositive();
      assertThat(s.path("idleRssMiB").asLong()).as(s.toString()).isPositive();
    }
  }
}
