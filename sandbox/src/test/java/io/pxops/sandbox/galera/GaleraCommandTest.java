package io.pxops.sandbox.galera;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GaleraCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = new CommandLine(new GaleraCommand());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void upOnABuildThatIsNotInstalledFailsNamingTheInstalledOnes() {
    int rc = run("up", "--nodes", "1", "--build", "0.0.1");

    assertThat(rc).isEqualTo(1);
    assertThat(err.toString()).contains("0.0.1").contains(MariaDbBuilds.discover().newer());
    assertThat(out.toString()).doesNotContain("starting");
  }

  @Test
  void withoutSubcommandPrintsUsageNamingUp() {
    int rc = run();

    assertThat(rc).isZero();
    assertThat(out.toString()).contains("galera").contains("up");
  }
}
