package io.pxops.statusprojector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboard's one setting: its default, its normal form, and a bad value refused naming the variable. */
class DashboardConfigTest {

  @Test
  void theIngestIsOnThisHostsDefaultPortUnlessSetAndATrailingSlashIsDropped() {
    assertThat(DashboardConfig.fromEnv(Map.of()).ingestUrl()).hasToString("http://localhost:8081");
    assertThat(DashboardConfig.fromEnv(Map.of(DashboardConfig.INGEST_URL, "https://ingest.pxops.svc:8443/"))
        .ingestUrl()).hasToString("https://ingest.pxops.svc:8443");
  }

  @Test
  void aUrlTheProjectorCannotForwardToIsRefusedNamingTheVariableAndTheRule() {
    for (String bad : new String[] {"ingest:8081", "ftp://ingest:8081", "http://ingest:8081/?x=1", "http://", "a b"}) {
      assertThatThrownBy(() -> DashboardConfig.fromEnv(Map.of(DashboardConfig.INGEST_URL, bad)))
          .as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("PXOPS_DASHBOARD_INGEST_URL must be an http(s)://host");
    }
  }
}
