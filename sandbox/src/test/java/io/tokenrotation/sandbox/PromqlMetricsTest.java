package io.tokenrotation.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tokenizer MonitoringQueriesIT checks the dashboard and the alerts with: it finds the metric
 * names and only those, and it reports what a scrape lacks, unbalanced expressions and unknown
 * functions (so the IT can fail).
 */
class PromqlMetricsTest {
  private static final String SCRAPE =
      """
      # HELP tokenrotation_rotations_total Rotation outcomes
      # TYPE tokenrotation_rotations_total counter
      tokenrotation_rotations_total{result="success"} 3.0
      # TYPE tokenrotation_ready gauge
      tokenrotation_ready{name="a",namespace="team-a"} 1.0
      tokenrotation_leader 1.0
      # TYPE tokenrotation_suspended gauge
      # TYPE http_duration_seconds histogram
      http_duration_seconds_bucket{le="0.1"} 1.0
      # TYPE josdk_latency_seconds summary
      """;

  @Test
  void findsTheMetricNamesAndNotLabelsStringsDurationsOrVariables() {
    assertThat(
            metrics(
                "sum by (result, reason) (increase(tokenrotation_failures_total{reason=~\"Vault.*\",namespace=~\"$namespace\"}[1h]))"))
        .containsExactly("tokenrotation_failures_total");
    assertThat(
            metrics(
                "(time() - tokenrotation_next_rotation_timestamp_seconds{namespace=~\"${namespace:regex}\"}) > 3600"
                    + " unless on(namespace, name) tokenrotation_suspended == bool 1"))
        .containsExactly(
            "tokenrotation_next_rotation_timestamp_seconds", "tokenrotation_suspended");
    assertThat(
            metrics(
                "sum without (instance) (rate(a_total[$__rate_interval] offset 5m)) / ignoring(pod)"
                    + " group_left(team) max(b:recorded) or vector(0)"))
        .containsExactly("a_total", "b:recorded");
    assertThat(metrics("sum(tokenrotation_leader) < 1 or absent(tokenrotation_leader)"))
        .containsExactly("tokenrotation_leader");
    assertThat(
            metrics(
                "histogram_quantile(0.99, sum by (le) (rate(http_duration_seconds_bucket[5m:30s])))"))
        .containsExactly("http_duration_seconds_bucket");
    assertThat(metrics("topk(5, sort_desc(x - 1e3 + 0.5)) and on() y")).containsExactly("x", "y");
    assertThat(metrics("label_values(tokenrotation_ready{namespace!=\"\"}, namespace)"))
        .containsExactly("tokenrotation_ready");
    assertThat(metrics("label_values(namespace)")).isEmpty();
    assertThat(metrics("{__name__=\"hidden\"}")).isEmpty();
  }

  @Test
  void reportsWhatTheScrapeDoesNotExport() {
    Set<String> missing =
        PromqlMetrics.notExported(
            List.of(
                "tokenrotation_rotations_total",
                "tokenrotation_ready",
                "tokenrotation_leader",
                "tokenrotation_suspended",
                "http_duration_seconds_bucket",
                "josdk_latency_seconds_count",
                "tokenrotation_ready_total",
                "tokenrotation_leaders",
                "tokenrotation_suspended_bucket",
                "josdk_latency_seconds_bucket",
                "tokenrotation_no_such_metric"),
            SCRAPE);
    assertThat(missing)
        .containsExactlyInAnyOrder(
            "tokenrotation_ready_total",
            "tokenrotation_leaders",
            "tokenrotation_suspended_bucket",
            "josdk_latency_seconds_bucket",
            "tokenrotation_no_such_metric");
  }

  @Test
  void anExpressionWithAnUnknownMetricIsReported() {
    PromqlMetrics.Analysis analysis =
        PromqlMetrics.analyse("sum(tokenrotation_rotation_total{result=\"failure\"})");
    assertThat(analysis.problems()).isEmpty();
    assertThat(PromqlMetrics.notExported(analysis.metrics(), SCRAPE))
        .containsExactly("tokenrotation_rotation_total");
  }

  @Test
  void reportsUnbalancedExpressionsAndUnknownFunctions() {
    assertThat(PromqlMetrics.analyse("sum(rate(x[5m])").problems())
        .singleElement()
        .asString()
        .startsWith("unclosed (");
    assertThat(PromqlMetrics.analyse("x{a=\"b\"]").problems())
        .singleElement()
        .asString()
        .startsWith("unbalanced ]");
    assertThat(PromqlMetrics.analyse("x{a=\"}\"}").problems()).isEmpty();
    assertThat(PromqlMetrics.analyse("x{a=\"b}").problems())
        .singleElement()
        .asString()
        .startsWith("unterminated string");
    assertThat(PromqlMetrics.analyse("rat(x[5m])").problems())
        .singleElement()
        .asString()
        .startsWith("unknown function rat(");
  }

  private static Set<String> metrics(String expr) {
    PromqlMetrics.Analysis analysis = PromqlMetrics.analyse(expr);
    assertThat(analysis.problems()).as(expr).isEmpty();
    return analysis.metrics();
  }
}
