package io.tokenrotation.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tokenrotation.operator.api.NewTokenSpec;
import io.tokenrotation.operator.api.Timestamps;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.app.OperatorApp;
import io.tokenrotation.operator.app.OperatorConfig;
import io.tokenrotation.operator.app.OperatorOptions;
import io.tokenrotation.operator.deploy.DeployManifests;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.it.Resources;
import io.tokenrotation.operator.it.TestWorld;
import io.tokenrotation.operator.it.TestWorlds;
import io.tokenrotation.operator.status.Reasons;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * After a rotation, /metrics carries the operator's series with the values the status holds; probes
 * answer.
 */
@ExtendWith(TestWorlds.class)
@TestWorlds.OperatorStartedByTest
class MetricsIT {
  private TestWorld world;
  private int port;
  private OperatorApp operator;
  private KubernetesClient client;

  @BeforeEach
  void start(TestWorld world) {
    this.world = world;
    client = world.kube.newClient("token-rotation-operator");
    operator =
        OperatorApp.start(
            client,
            world.allowed(OperatorConfig.defaults()),
            OperatorOptions.defaults()
                .withBackoff(
                    new Backoff(
                        Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .withMetricsPort(0));
    port = operator.metricsPort();
  }

  @AfterEach
  void stop() {
    operator.close();
    client.close();
  }

  @Test
  void metricsAfterARotationAndProbes() throws Exception {
    assertThat(Http.get(port, "/healthz").statusCode()).isEqualTo(200);
    assertThat(Http.get(port, "/readyz").statusCode()).isEqualTo(200);
    assertThat(Http.get(port, "/nothing").statusCode()).isEqualTo(404);

    TokenRotation tr = Resources.rotation(world, "script1", "dynatrace/automation_script1", "1h");
    NewTokenSpec newToken = new NewTokenSpec();
    newToken.setExpiresAfter("2h");
    tr.getSpec().setNewToken(newToken);
    world.apply(tr);
    TokenRotation rotated = world.awaitReady("script1", Reasons.ROTATED);
    // a stalled one too
    TokenRotation broken = Resources.rotation(world, "broken", "dynatrace/other", "1h");
    broken
        .getSpec()
        .getVault()
        .getAuth()
        .setTokenSecretRef(Resources.ref("no-such-secret", "token"));
    world.apply(broken);
    world.awaitStalled("broken", Reasons.SECRET_REF_NOT_FOUND);
    // the counters move right after the status write returns, which a watcher of the resource can
    // see first: wait for them rather than race them
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              String body = Http.get(port, "/metrics").body();
              return value(body, "tokenrotation_rotations_total{result=\"success\"}").orElse(0.0)
                      >= 1.0
                  && value(body, "tokenrotation_rotations_total{result=\"stalled\"}").orElse(0.0)
                      >= 1.0;
            });

    HttpResponse<String> response = Http.get(port, "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    String metrics = response.body();
    String script1 = "{name=\"script1\",namespace=\"team-a\"}";
    String brokenLabels = "{name=\"broken\",namespace=\"team-a\"}";

    assertThat(value(metrics, "tokenrotation_rotations_total{result=\"success\"}")).hasValue(1.0);
    assertThat(value(metrics, "tokenrotation_rotations_total{result=\"stalled\"}")).hasValue(1.0);
    assertThat(value(metrics, "tokenrotation_rotations_total{result=\"failure\"}")).hasValue(0.0);
    assertThat(value(metrics, "tokenrotation_ready" + script1)).hasValue(1.0);
    assertThat(value(metrics, "tokenrotation_stalled" + script1)).hasValue(0.0);
    assertThat(value(metrics, "tokenrotation_ready" + brokenLabels)).hasValue(0.0);
    assertThat(value(metrics, "tokenrotation_stalled" + brokenLabels)).hasValue(1.0);
    assertThat(value(metrics, "tokenrotation_leader")).hasValue(1.0);

    double last =
        value(metrics, "tokenrotation_last_rotation_timestamp_seconds" + script1).orElseThrow();
    double next =
        value(metrics, "tokenrotation_next_rotation_timestamp_seconds" + script1).orElseThrow();
    double expires =
        value(metrics, "tokenrotation_token_expiration_timestamp_seconds" + script1).orElseThrow();
    assertThat(last).isEqualTo(seconds(rotated.getStatus().getLastRotationTime()));
    assertThat(last).isCloseTo(Instant.now().getEpochSecond(), Offset.offset(60.0));
    assertThat(next).isEqualTo(seconds(world.get("script1").getStatus().getNextRotationTime()));
    assertThat(next - last).isCloseTo(3600, Offset.offset(5.0));
    assertThat(expires)
        .isEqualTo(seconds(rotated.getStatus().getTokenExpirationTime()))
        .isGreaterThan(next);
    assertThat(metrics)
        .doesNotContain("tokenrotation_last_rotation_timestamp_seconds" + brokenLabels);

    assertThat(metrics)
        .containsPattern(
            "tokenrotation_upstream_requests_total\\{operation=\"[^\"]+\",service=\"dynatrace\",status=\"20[01]\"\\} [1-9]");
    assertThat(metrics)
        .containsPattern(
            "tokenrotation_upstream_requests_total\\{operation=\"[^\"]+\",service=\"vault\",status=\"200\"\\} [1-9]");
    assertThat(metrics)
        .as("JOSDK's reconciliation metrics")
        .containsPattern("operator_sdk_[a-z_]+ ");

    // the example alerts only use series the operator exports
    GenericKubernetesResource rule =
        (GenericKubernetesResource)
            DeployManifests.load(DeployManifests.MONITORING.resolve("prometheusrule.yaml")).get(0);
    Matcher names =
        Pattern.compile("tokenrotation_[a-z_]+")
            .matcher(Serialization.asJson(rule.getAdditionalProperties()));
    TreeSet<String> used = new TreeSet<>();
    while (names.find()) {
      used.add(names.group());
    }
    assertThat(used).hasSizeGreaterThan(4);
    for (String name : used) {
      assertThat(metrics)
          .as("PrometheusRule uses " + name)
          .containsPattern("(?m)^" + name + "[{ ]");
    }

    // the resource goes: its series go
    world
        .client
        .resources(TokenRotation.class)
        .inNamespace(TestWorld.NAMESPACE)
        .withName("broken")
        .delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                !Http.get(port, "/metrics").body().contains("tokenrotation_ready" + brokenLabels));
  }

  private static double seconds(String timestamp) {
    Instant t = Timestamps.parse(timestamp);
    return t.getEpochSecond() + t.getNano() / 1e9;
  }

  static Optional<Double> value(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Optional.of(
            Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]));
      }
    }
    return Optional.empty();
  }
}
