package io.tokenrotation.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.tokenrotation.operator.api.LastFailure;
import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationSpec;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.status.Conditions;
import io.tokenrotation.operator.status.Reasons;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The metrics that need no cluster: the per-resource disabled-tokens and suspended gauges and the
 * failure counter by reason (MetricsIT covers the rest against a running operator).
 */
class OperatorMetricsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void disabledTokensInUseCountsRetiredTokensUsedAfterTheirDisableForEveryResource() {
    OperatorMetrics metrics = new OperatorMetrics();
    TokenRotation twoInUse =
        rotation(
            "script1",
            status(
                retired("dt0c01.A", "2026-01-01T00:05:00Z"),
                retired("dt0c01.B", null),
                retired("dt0c01.C", "2026-01-01T00:07:00Z")));
    TokenRotation noneInUse = rotation("script2", status(retired("dt0c01.D", null)));
    TokenRotation noRetired = rotation("script3", new TokenRotationStatus());
    TokenRotation noStatus = rotation("fresh", null);
    List<TokenRotation> cache = new ArrayList<>(List.of(twoInUse, noneInUse, noRetired, noStatus));
    metrics.resources(cache::stream);
    metrics.leader(true);

    String scrape = metrics.scrape();
    assertThat(value(scrape, series("tokenrotation_disabled_tokens_in_use", "script1")))
        .hasValue(2.0);
    assertThat(value(scrape, series("tokenrotation_disabled_tokens_in_use", "script2")))
        .hasValue(0.0);
    assertThat(value(scrape, series("tokenrotation_disabled_tokens_in_use", "script3")))
        .hasValue(0.0);
    assertThat(value(scrape, series("tokenrotation_disabled_tokens_in_use", "fresh")))
        .hasValue(0.0);
    assertThat(scrape).contains("# TYPE tokenrotation_disabled_tokens_in_use gauge");

    // read at scrape time: the consumer moved on, the entry is gone; a deleted resource's series
    // goes
    twoInUse.getStatus().getRetiredTokens().remove(0);
    cache.remove(noStatus);
    scrape = metrics.scrape();
    assertThat(value(scrape, series("tokenrotation_disabled_tokens_in_use", "script1")))
        .hasValue(1.0);
    assertThat(value(scrape, series("tokenrotation_disabled_tokens_in_use", "fresh"))).isEmpty();

    // only the leader exports per-resource series
    metrics.leader(false);
    assertThat(metrics.scrape()).doesNotContain("tokenrotation_disabled_tokens_in_use{");
  }

  @Test
  void suspendedFollowsTheSpecForEveryResource() {
    OperatorMetrics metrics = new OperatorMetrics();
    TokenRotation suspended = rotation("paused", null);
    suspended.setSpec(new TokenRotationSpec());
    suspended.getSpec().setSuspend(true);
    TokenRotation running = rotation("running", null);
    running.setSpec(new TokenRotationSpec());
    running.getSpec().setSuspend(false);
    TokenRotation noSpec = rotation("nospec", null);
    metrics.resources(() -> Stream.of(suspended, running, noSpec));
    metrics.leader(true);

    String scrape = metrics.scrape();
    assertThat(value(scrape, series("tokenrotation_suspended", "paused"))).hasValue(1.0);
    assertThat(value(scrape, series("tokenrotation_suspended", "running"))).hasValue(0.0);
    assertThat(value(scrape, series("tokenrotation_suspended", "nospec"))).hasValue(0.0);
  }

  @Test
  void failuresAreCountedByReasonExactlyWhenTheRotationCounterCountsThem() {
    OperatorMetrics metrics = new OperatorMetrics();
    metrics.resources(Stream::empty);
    TokenRotation before = rotation("script1", new TokenRotationStatus());

    // a transient failure, retried: failedAttempts 0 -> 1
    TokenRotation failed = rotation("script1", failure(1, Reasons.DYNATRACE_RATE_LIMITED, false));
    metrics.statusWritten(before, failed);
    // the same status written again (a condition refresh): counted once
    metrics.statusWritten(
        failed, rotation("script1", failure(1, Reasons.DYNATRACE_RATE_LIMITED, false)));
    // the next attempt fails for another reason
    metrics.statusWritten(
        failed, rotation("script1", failure(2, Reasons.VAULT_UNAVAILABLE, false)));
    // a failure whose status names no reason
    metrics.statusWritten(null, rotation("script2", failure(1, null, false)));
    // a stall: counted as stalled under the Stalled condition's reason, not as a failure
    TokenRotationStatus stalled = failure(3, Reasons.DYNATRACE_FORBIDDEN, true);
    stalled.setConditions(
        Conditions.set(
            null, Conditions.STALLED, true, Reasons.DYNATRACE_FORBIDDEN, "forbidden", 1L, NOW));
    metrics.statusWritten(failed, rotation("script1", stalled));

    String scrape = metrics.scrape();
    assertThat(value(scrape, failures("failure", Reasons.DYNATRACE_RATE_LIMITED))).hasValue(1.0);
    assertThat(value(scrape, failures("failure", Reasons.VAULT_UNAVAILABLE))).hasValue(1.0);
    assertThat(value(scrape, failures("failure", RotationOutcomes.UNKNOWN_REASON))).hasValue(1.0);
    assertThat(value(scrape, failures("stalled", Reasons.DYNATRACE_FORBIDDEN))).hasValue(1.0);
    assertThat(value(scrape, failures("failure", Reasons.DYNATRACE_FORBIDDEN))).isEmpty();
    // summed over reason: the rotation counter of that result
    assertThat(value(scrape, "tokenrotation_rotations_total{result=\"failure\"}")).hasValue(3.0);
    assertThat(value(scrape, "tokenrotation_rotations_total{result=\"stalled\"}")).hasValue(1.0);
    assertThat(value(scrape, "tokenrotation_rotations_total{result=\"success\"}")).hasValue(0.0);
  }

  private static String series(String name, String resource) {
    return name + "{name=\"" + resource + "\",namespace=\"team-a\"}";
  }

  private static String failures(String result, String reason) {
    return "tokenrotation_failures_total{reason=\"" + reason + "\",result=\"" + result + "\"}";
  }

  private static TokenRotation rotation(String name, TokenRotationStatus status) {
    TokenRotation r = new TokenRotation();
    r.setMetadata(new ObjectMetaBuilder().withNamespace("team-a").withName(name).build());
    r.setStatus(status);
    return r;
  }

  private static TokenRotationStatus status(RetiredToken... retired) {
    TokenRotationStatus st = new TokenRotationStatus();
    st.setRetiredTokens(new ArrayList<>(List.of(retired)));
    return st;
  }

  private static RetiredToken retired(String id, String usedAfterDisableAt) {
    RetiredToken t = new RetiredToken();
    t.setId(id);
    t.setAction(RetireAction.DisableThenDelete);
    t.setDisabledAt("2026-01-01T00:00:00Z");
    t.setUsedAfterDisableAt(usedAfterDisableAt);
    return t;
  }

  private static TokenRotationStatus failure(int attempts, String reason, boolean stalled) {
    TokenRotationStatus st = new TokenRotationStatus();
    st.setFailedAttempts(attempts);
    st.setLastFailure(LastFailure.of(reason, "failed", stalled, null));
    return st;
  }

  private static Optional<Double> value(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Optional.of(
            Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]));
      }
    }
    return Optional.empty();
  }
}
