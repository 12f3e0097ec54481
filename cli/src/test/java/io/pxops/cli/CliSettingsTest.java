package io.pxops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The CLI reads settings as the services do: its duration options take their syntax ({@code 90s}, {@code 10m}; ISO-8601
 * still), and a mistyped {@code PXOPS_*} variable is refused with the nearest name.
 */
class CliSettingsTest {

  @Test
  void aWatchTimeoutIsWrittenAsEverySettingsDuration() {
    assertThat(watchTimeout("--timeout", "90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(watchTimeout("--timeout", "PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThat(watchTimeout()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aMistypedVariableIsRefusedWithTheNearestName() {
    java.io.StringWriter err = new java.io.StringWriter();
    assertThat(PxopsMain.refuseUnknownSettings(java.util.Map.of("PXOPS_INGST_URL", "http://x"),
        new java.io.PrintWriter(err, true))).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("pxops: unknown setting PXOPS_INGST_URL").contains("PXOPS_INGEST_URL?");
    assertThat(PxopsMain.refuseUnknownSettings(java.util.Map.of("PXOPS_INGEST_URL", "http://x",
        "PXOPS_VERIFY_HOLD_POLLS", "3"), new java.io.PrintWriter(new java.io.StringWriter(), true))).isZero();
  }

  private static Duration watchTimeout(String... options) {
    CommandLine cl = PxopsMain.commandLine();
    String[] args = new String[options.length + 2];
    args[0] = "watch";
    args[1] = "ns/name";
    System.arraycopy(options, 0, args, 2, options.length);
    cl.parseArgs(args);
    return ((WatchCommand) cl.getSubcommands().get("watch").getCommand()).timeout;
  }
}
