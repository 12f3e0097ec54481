package io.pxops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's queries and the tokenizer that reads metric names out of them. That every name is one the
 * services expose is checked against a real scrape of each service during an update, in {@link RollingUpdateIT}.
 */
class DashboardQueriesTest {

  @Test
  void givenPromQl_thenOnlyMetricNamesAreTaken_notFunctionsLabelsKeywordsDurationsOrVariables() {
    assertThat(DashboardQueries.metricNames("histogram_quantile(0.95, sum by (le, step) "
        + "(rate(pxops_step_duration_seconds_bucket{step=~\"EVICT.*\", job!='x'}[$__rate_interval] offset 5m)))"))
        .containsExactly("pxops_step_duration_seconds_bucket");
    assertThat(DashboardQueries.metricNames("sum(rate(a_sum[5m])) / on (job) group_left (step) "
        + "sum without (instance) (rate(a_count[1h30m])) > bool 1e3 and b unless c"))
        .containsExactlyInAnyOrder("a_sum", "a_count", "b", "c");
    assertThat(DashboardQueries.metricNames("max by(job) (kafka_consumer_fetch_manager_records_lag_max)"))
        .containsExactly("kafka_consumer_fetch_manager_records_lag_max");
    assertThat(DashboardQueries.metricNames("vector(1) + up{job=\"a {b} [c]\"}")).containsExactly("up");
  }

  @Test
  void givenAScrape_thenTheSampleNamesAreTaken() {
    assertThat(DashboardQueries.exposedNames("# HELP x help\n# TYPE x counter\nx_total{a=\"1\"} 1.0\n"
        + "up 1\n\nh_bucket{le=\"+Inf\"} 3\n")).containsExactly("h_bucket", "up", "x_total");
  }

  @Test
  void givenTheDashboard_thenEveryPanelHasAQueryAndTheyCoverPxopsOwnMeters() throws Exception {
    List<String> queries = DashboardQueries.expressions(DashboardQueries.DASHBOARD);
    assertThat(queries).hasSizeGreaterThanOrEqualTo(10).allSatisfy(q ->
        assertThat(DashboardQueries.metricNames(q)).as(q).isNotEmpty());
    assertThat(DashboardQueries.metricNames(DashboardQueries.DASHBOARD)).contains(
        "pxops_requests_total", "pxops_updates_total", "pxops_step_duration_seconds_bucket",
        "pxops_coordinator_handover_seconds_bucket", "pxops_step_retries_total", "pxops_dead_letters_total",
        "pxops_verifier_verdicts_total", "kafka_consumer_fetch_manager_records_lag_max");
  }
}
