package io.pxops.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The pod printer's STATUS and the API server's ages, on the states the local world's pods go through. */
class TableOutputTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private final TableOutput tables = new TableOutput(Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void ageIsPrintedAsTheApiServerPrintsIt() {
    assertThat(TableOutput.humanDuration(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(TableOutput.humanDuration(Duration.ofSeconds(119))).isEqualTo("119s");
    assertThat(TableOutput.humanDuration(Duration.ofSeconds(5 * 60 + 30))).isEqualTo("5m30s");
    assertThat(TableOutput.humanDuration(Duration.ofMinutes(42))).isEqualTo("42m");
    assertThat(TableOutput.humanDuration(Duration.ofMinutes(3 * 60 + 5))).isEqualTo("3h5m");
    assertThat(TableOutput.humanDuration(Duration.ofHours(20))).isEqualTo("20h");
    assertThat(TableOutput.humanDuration(Duration.ofHours(50))).isEqualTo("2d2h");
    assertThat(TableOutput.humanDuration(Duration.ofDays(30))).isEqualTo("30d");
    assertThat(TableOutput.humanDuration(Duration.ofSeconds(-5))).isEqualTo("<invalid>");
  }

  @Test
  void podStatusFollowsThePodPrinter() throws Exception {
    assertThat(cells("{\"metadata\":{\"name\":\"p\",\"creationTimestamp\":\"2026-12-01T11:59:00Z\","
        + "\"deletionTimestamp\":\"2026-12-01T12:00:00Z\"},\"spec\":{\"containers\":[{}]},"
        + "\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"ready\":true,\"state\":{\"running\":{}}}]}}"))
        .as("a pod being deleted").startsWith("p", "1/1", "Terminating", "0", "60s");
    assertThat(cells("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"initContainers\":[{}],\"containers\":[{},{}]},"
        + "\"status\":{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"state\":{\"running\":{}}}]}}"))
        .as("an init container running").startsWith("p", "0/2", "Init:0/1");
    assertThat(cells("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{}]},\"status\":{\"phase\":\"Pending\","
        + "\"containerStatuses\":[{\"state\":{\"waiting\":{\"reason\":\"ImagePullBackOff\"}}}]}}"))
        .as("an image that cannot be pulled").startsWith("p", "0/1", "ImagePullBackOff");
    assertThat(cells("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{}]},\"status\":{\"phase\":\"Failed\","
        + "\"containerStatuses\":[{\"restartCount\":3,\"state\":{\"terminated\":{\"exitCode\":1}}}]}}"))
        .as("a container that exited without a reason").startsWith("p", "0/1", "ExitCode:1", "3");
  }

  private String[] cells(String pod) throws Exception {
    JsonNode table = JSON.readTree(tables.pods(JSON.readTree(pod), null));
    JsonNode cells = table.path("rows").get(0).path("cells");
    String[] out = new String[cells.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = cells.get(i).asText();
    }
    return out;
  }
}
