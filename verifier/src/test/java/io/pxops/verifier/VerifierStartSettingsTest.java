package io.pxops.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The verifier as an operator starts it, in its own JVM: a mistyped variable in its environment (a ConfigMap shared
 * by every service) ends the start with exit 2 and one line naming it and the nearest setting, instead of running
 * with the default the operator meant to change.
 */
class VerifierStartSettingsTest {

  @Test
  void aMistypedVariableEndsTheStartNamingTheNearestSetting() throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), VerifierMain.class.getName());
    pb.environment().put("PXOPS_VERIFY_HOLD_POLL", "5");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    try {
      // the refusal comes before any connection: a JVM start, nothing more; the bound only keeps a broken build
      // from hanging the suite
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("the verifier ended").isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(out).isEqualTo(2);
      assertThat(out).contains("verifier: configuration error: unknown setting PXOPS_VERIFY_HOLD_POLL: no pxops "
          + "program reads it; did you mean PXOPS_VERIFY_HOLD_POLLS?");
    } finally {
      p.destroyForcibly();
    }
  }
}
