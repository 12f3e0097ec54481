package io.pxops.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.events.VerifyCluster;
import io.pxops.events.VerifyPod;
import io.pxops.pipeline.metrics.PxopsMeters;
import io.pxops.pipeline.metrics.ServiceMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verifier's verdicts by check, verdict and reason: a closed set, exported from zero. */
class VerdictMetersTest {

  private static double count(String check, String verdict, String reason) {
    return ServiceMetrics.registry().counter(PxopsMeters.VERDICTS, "check", check, "verdict", verdict,
        "reason", reason).count();
  }

  @Test
  void givenTheVerifierStarts_thenEveryVerdictAndReasonIsExportedFromZero() {
    VerdictMeters.initialize();
    String scrape = ServiceMetrics.scrape();
    for (String reason : List.of(VerdictMeters.NOT_READY, VerdictMeters.STATE_TRANSFER, VerdictMeters.VIEW_SPLIT,
        VerdictMeters.DATA_CHECK, VerdictMeters.HOLDING)) {
      assertThat(scrape).contains("pxops_verifier_verdicts_total{check=\"pod\",reason=\"" + reason
          + "\",verdict=\"waiting\"}");
    }
    for (String reason : VerdictMeters.FAILURES) {
      assertThat(scrape).contains("pxops_verifier_verdicts_total{check=\"cluster\",reason=\"" + reason
          + "\",verdict=\"failed\"}");
    }
  }

  @Test
  void givenVerdictsOfBothChecks_thenEachIsCountedUnderItsCheck() {
    double podHealthy = count("pod", "healthy", "healthy");
    double clusterWaiting = count("cluster", "waiting", VerdictMeters.STATE_TRANSFER);
    double podFailed = count("pod", "failed", "PodStuck");
    VerifyPod pod = new VerifyPod("db-2", 3, java.time.Duration.ofMinutes(5));
    VerdictMeters.healthy(pod);
    VerdictMeters.waiting(new VerifyCluster(3, java.time.Duration.ofMinutes(5)), VerdictMeters.STATE_TRANSFER);
    VerdictMeters.failed(pod, "PodStuck");
    assertThat(count("pod", "healthy", "healthy") - podHealthy).isEqualTo(1.0);
    assertThat(count("cluster", "waiting", VerdictMeters.STATE_TRANSFER) - clusterWaiting).isEqualTo(1.0);
    assertThat(count("pod", "failed", "PodStuck") - podFailed).isEqualTo(1.0);
  }
}
