package io.pxops.requestingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pxops.pipeline.metrics.PxopsMeters;
import io.pxops.pipeline.metrics.ServiceMetrics;
import io.pxops.requestingest.admission.AdmissionResult;
import org.junit.jupiter.api.Test;

/** The ingest's count of requests by door and outcome, and the bounds of its tags. */
class IngestMetersTest {

  private static double count(String door, String outcome) {
    return ServiceMetrics.registry().counter(PxopsMeters.REQUESTS, "door", door, "outcome", outcome).count();
  }

  @Test
  void givenTheIngestStarts_thenEveryDoorAndOutcomeIsExportedFromZero() {
    IngestMeters.initialize();
    String scrape = ServiceMetrics.scrape();
    for (String door : new String[] {"http", "kafka", "kubernetes"}) {
      for (String outcome : IngestMeters.OUTCOMES) {
        assertThat(scrape).contains("pxops_requests_total{door=\"" + door + "\",outcome=\"" + outcome + "\"}");
      }
    }
  }

  @Test
  void givenEachOutcomeOfTheSubmitter_thenItIsCountedUnderItsDoor() {
    double created = count("http", "created");
    double duplicate = count("kafka", "duplicate");
    double nameTaken = count("http", "name-taken");
    double refused = count("kafka", "refused");
    IngestMeters.submitted("http", new OpsRequestSubmitter.Outcome.Created("ns", "a", "db"));
    IngestMeters.submitted("kafka", new OpsRequestSubmitter.Outcome.AlreadySubmitted("ns", "a", "db"));
    IngestMeters.submitted("http", new OpsRequestSubmitter.Outcome.NameTaken("ns", "a"));
    IngestMeters.submitted("kafka", new OpsRequestSubmitter.Outcome.Refused(
        new AdmissionResult.Rejected("database", "DatabaseNotFound", "no such database", null)));
    assertThat(count("http", "created") - created).isEqualTo(1.0);
    assertThat(count("kafka", "duplicate") - duplicate).isEqualTo(1.0);
    assertThat(count("http", "name-taken") - nameTaken).isEqualTo(1.0);
    assertThat(count("kafka", "refused") - refused).isEqualTo(1.0);
  }

  @Test
  void givenADoorAnnotationThatIsNotADoor_thenItIsCountedAsOther_neverAsItsText() {
    double other = count("other", "admitted");
    IngestMeters.admission("a-door-someone-typed-into-an-annotation", true);
    IngestMeters.admission(null, true);
    assertThat(count("other", "admitted") - other).isEqualTo(2.0);
    assertThat(ServiceMetrics.scrape()).doesNotContain("a-door-someone-typed");
  }
}
