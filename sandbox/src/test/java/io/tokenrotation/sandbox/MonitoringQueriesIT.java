package io.tokenrotation.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.tokenrotation.operator.api.TokenRotation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every PromQL expression of deploy/monitoring (the Grafana dashboard's panel and template queries,
 * the PrometheusRule's alerts) reads only metrics the operator exports: the sandbox runs its demo
 * resources with metrics on, rotates them (one token creation refused with a 429 first, so the
 * failure and rate-limit series exist, and one resource with an expiring token), and its scrape
 * must carry every name the expressions use.
 */
class MonitoringQueriesIT {
  private static final Path MONITORING = Path.of("..", "deploy", "monitoring");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void everyDashboardAndAlertExpressionReadsMetricsTheOperatorExports(@TempDir Path dir)
      throws Exception {
    List<Query> expressions = new ArrayList<>();
    expressions.addAll(
        dashboardExpressions(JSON.readTree(MONITORING.resolve("grafana-dashboard.json").toFile())));
    expressions.addAll(
        ruleExpressions(YAML.readTree(MONITORING.resolve("prometheusrule.yaml").toFile())));
    assertThat(expressions)
        .as("dashboard panels and alerts")
        .anyMatch(q -> q.where().startsWith("panel "))
        .anyMatch(q -> q.where().startsWith("template "))
        .anyMatch(q -> q.where().startsWith("alert "));

    Set<String> used = new TreeSet<>();
    List<String> problems = new ArrayList<>();
    for (Query q : expressions) {
      PromqlMetrics.Analysis analysis = PromqlMetrics.analyse(q.expr());
      analysis.problems().forEach(p -> problems.add(q.where() + ": " + p));
      if (analysis.metrics().isEmpty()) {
        problems.add(q.where() + ": reads no metric: " + q.expr());
      }
      used.addAll(analysis.metrics());
    }
    assertThat(problems).as("expressions that do not parse").isEmpty();
    assertThat(used).as("metric names the expressions read").hasSizeGreaterThan(6);

    String scrape = scrapeAfterRotations(dir);
    Files.writeString(Path.of("target", "monitoring-queries-scrape.txt"), scrape);
    Map<String, Set<String>> missing = new LinkedHashMap<>();
    for (Query q : expressions) {
      Set<String> absent =
          PromqlMetrics.notExported(PromqlMetrics.analyse(q.expr()).metrics(), scrape);
      if (!absent.isEmpty()) {
        missing.put(q.where(), absent);
      }
    }
    assertThat(missing)
        .as("expressions reading metrics the operator does not export (scrape in target/)")
        .isEmpty();
  }

  /**
   * The sandbox with metrics on, its examples applied; returns a scrape taken once a rotation
   * succeeded, one failed (an injected 429) and automation-script1 holds a token that expires.
   */
  private static String scrapeAfterRotations(Path dir) throws Exception {
    try (Sandbox sandbox =
        new Sandbox(
            new SandboxOptions(
                0, 0, 0, dir.resolve("kubeconfig"), null, true, 0, SandboxOptions.Kube.EMBEDDED))) {
      // the first token creation is refused as rate limited: a failure by reason and a 429
      sandbox.dynatrace.faults().failNext(1, "POST", "/api/v2/apiTokens", 429);
      sandbox.applyExamples();
      // a token that expires, for tokenrotation_token_expiration_timestamp_seconds (the
      // examples' never do); the rotation it needs is requested at once
      sandbox
          .kube
          .client()
          .resources(TokenRotation.class)
          .inNamespace(Sandbox.NAMESPACE)
          .withName("automation-script1")
          // a merge patch: no resourceVersion, so no conflict with the operator's own writes
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              """
              {"metadata": {"annotations": {"%s": "%s"}},
               "spec": {"newToken": {"expiresAfter": "2h"}}}
              """
                  .formatted(TokenRotation.ROTATE_REQUESTED_AT, Instant.now()));
      HttpClient http = HttpClient.newHttpClient();
      URI metrics = URI.create("http://127.0.0.1:" + sandbox.operator.metricsPort() + "/metrics");
      String[] last = {""};
      Awaitility.await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                last[0] =
                    http.send(
                            HttpRequest.newBuilder(metrics).build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body();
                return positive(last[0], "tokenrotation_rotations_total\\{result=\"success\"\\}")
                    && positive(
                        last[0],
                        "tokenrotation_failures_total\\{reason=\"DynatraceRateLimited\",result=\"failure\"\\}")
                    && positive(
                        last[0],
                        "tokenrotation_upstream_requests_total\\{[^}]*service=\"dynatrace\",status=\"429\"\\}")
                    && last[0].contains(
                        "tokenrotation_token_expiration_timestamp_seconds{name=\"automation-script1\"")
                    && last[0].contains("tokenrotation_disabled_tokens_in_use{");
              });
      return last[0];
    }
  }

  private static boolean positive(String scrape, String series) {
    return Pattern.compile("(?m)^" + series + " [1-9]").matcher(scrape).find();
  }

  /** One PromQL expression and where it is written. */
  record Query(String where, String expr) {}

  /**
   * Panel queries ({@code targets[].expr}, rows' nested panels included) and template variable
   * queries of type query, by where they are.
   */
  static List<Query> dashboardExpressions(JsonNode dashboard) {
    List<Query> out = new ArrayList<>();
    collectPanels(dashboard.path("panels"), out);
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        JsonNode query = variable.path("query");
        String text = query.isObject() ? query.path("query").asText() : query.asText();
        out.add(new Query("template $" + variable.path("name").asText(), text));
      }
    }
    return out;
  }

  private static void collectPanels(JsonNode panels, List<Query> out) {
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        out.add(
            new Query(
                "panel "
                    + panel.path("id").asText()
                    + " \""
                    + panel.path("title").asText()
                    + "\" "
                    + target.path("refId").asText(),
                target.path("expr").asText()));
      }
      collectPanels(panel.path("panels"), out);
    }
  }

  /** {@code spec.groups[].rules[].expr} by alert (or recording rule) name. */
  static List<Query> ruleExpressions(JsonNode rule) {
    List<Query> out = new ArrayList<>();
    for (JsonNode group : rule.path("spec").path("groups")) {
      for (JsonNode r : group.path("rules")) {
        String name =
            r.has("alert")
                ? "alert " + r.path("alert").asText()
                : "record " + r.path("record").asText();
        out.add(new Query(name, r.path("expr").asText()));
      }
    }
    return out;
  }
}
