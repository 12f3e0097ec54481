package io.pxops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI's duration options take the services' duration syntax ({@code 90s}, {@code 10m}), and ISO-8601 still. */
class DurationOptionsTest {

  @Test
  void aWatchTimeoutIsWrittenAsEverySettingsDuration() {
    assertThat(watchTimeout("--timeout", "90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(watchTimeout("--timeout", "PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThat(watchTimeout()).isEqualTo(Duration.ofHours(1));
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
