package io.tokenrotation.operator.metrics;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.Timestamps;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.status.Conditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How a TokenRotation's status becomes gauge rows: timestamps as epoch seconds, conditions as 1/0.
 */
final class GaugeRows {
  private GaugeRows() {}

  static List<MultiGauge.Row<?>> rows(
      List<TokenRotation> all, Function<TokenRotationStatus, Double> value) {
    return resourceRows(
        all, r -> value.apply(r.getStatus() == null ? new TokenRotationStatus() : r.getStatus()));
  }

  /** One row per resource whose value is not null. */
  static List<MultiGauge.Row<?>> resourceRows(
      List<TokenRotation> all, Function<TokenRotation, Double> value) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (TokenRotation r : all) {
      Double v = value.apply(r);
      if (v != null) {
        rows.add(
            MultiGauge.Row.of(
                Tags.of(
                    "namespace", r.getMetadata().getNamespace(), "name", r.getMetadata().getName()),
                v));
      }
    }
    return rows;
  }

  static Double seconds(String timestamp) {
    if (timestamp == null || timestamp.isBlank()) {
      return null;
    }
    try {
      Instant t = Timestamps.parse(timestamp);
      return t.getEpochSecond() + t.getNano() / 1e9;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Entries of {@code status.retiredTokens} whose {@code usedAfterDisableAt} is set: disabled old
   * tokens a consumer still presents (0 when none).
   */
  static Double disabledTokensInUse(TokenRotationStatus st) {
    List<RetiredToken> retired = st.getRetiredTokens();
    if (retired == null) {
      return 0.0;
    }
    return (double)
        retired.stream()
            .filter(
                t ->
                    t != null
                        && t.getUsedAfterDisableAt() != null
                        && !t.getUsedAfterDisableAt().isBlank())
            .count();
  }

  /** 1 when {@code spec.suspend} is true (0 when false, unset or unreadable). */
  static Double suspended(TokenRotation r) {
    return r.getSpec() != null && Boolean.TRUE.equals(r.getSpec().getSuspend()) ? 1.0 : 0.0;
  }

  static Double condition(TokenRotationStatus st, String type) {
    return Conditions.find(st.getConditions(), type)
        .map(c -> Conditions.TRUE.equals(c.getStatus()) ? 1.0 : 0.0)
        .orElse(0.0);
  }
}
