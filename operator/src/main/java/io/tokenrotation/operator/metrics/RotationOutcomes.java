package io.tokenrotation.operator.metrics;

import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.status.Conditions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code tokenrotation_rotations_total{result}} and {@code tokenrotation_failures_total{result,
 * reason}}, counted from the status writes: each write is compared with the last one this process
 * saw of the same resource, so a rewrite of the same outcome is not counted twice.
 */
final class RotationOutcomes {
  static final String RESULT_SUCCESS = "success";
  static final String RESULT_FAILURE = "failure";
  static final String RESULT_STALLED = "stalled";

  /** The reason a failure is counted under when the status names none. */
  static final String UNKNOWN_REASON = "Unknown";

  private final MeterRegistry registry;
  private final Map<String, Counter> rotations = new ConcurrentHashMap<>();
  private final Map<List<String>, Counter> failures = new ConcurrentHashMap<>();
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

  RotationOutcomes(MeterRegistry registry) {
    this.registry = registry;
    for (String result : List.of(RESULT_SUCCESS, RESULT_FAILURE, RESULT_STALLED)) {
      rotations(result); // every result has a series from the start, at 0
    }
  }

  /** Forgets the resources not in {@code keys} (namespace/name): they were deleted. */
  void retainOnly(Set<String> keys) {
    seen.keySet().retainAll(keys);
  }

  /** What the rotation counter compares a status write with (per resource, as last written). */
  private record Seen(String lastRotationTime, int failedAttempts, String stalledReason) {
    static Seen of(TokenRotationStatus st) {
      if (st == null) {
        return new Seen(null, 0, null);
      }
      return new Seen(
          st.getLastRotationTime(),
          st.getFailedAttempts() == null ? 0 : st.getFailedAttempts(),
          Conditions.find(st.getConditions(), Conditions.STALLED)
              .filter(c -> Conditions.TRUE.equals(c.getStatus()))
              .map(Condition::getReason)
              .orElse(null));
    }
  }

  /**
   * A status write succeeded: {@code before} is the resource as the cache held it before the write
   * (used only the first time this process sees the resource), {@code stored} what the API server
   * returned.
   */
  void statusWritten(TokenRotation before, TokenRotation stored) {
    String key = stored.getMetadata().getNamespace() + "/" + stored.getMetadata().getName();
    Seen previous =
        seen.computeIfAbsent(key, k -> Seen.of(before == null ? null : before.getStatus()));
    Seen now = Seen.of(stored.getStatus());
    seen.put(key, now);
    if (now.lastRotationTime() != null
        && !now.lastRotationTime().equals(previous.lastRotationTime())) {
      rotations(RESULT_SUCCESS).increment();
    }
    // failedAttempts counts stalls too (their rechecks); "failure" means a transient one that will
    // be retried.
    boolean stalledNow =
        stored.getStatus() != null
            && stored.getStatus().getLastFailure() != null
            && stored.getStatus().getLastFailure().isStalled();
    if (now.failedAttempts() > previous.failedAttempts() && !stalledNow) {
      rotations(RESULT_FAILURE).increment();
      String reason =
          stored.getStatus().getLastFailure() == null
              ? null
              : stored.getStatus().getLastFailure().getReason();
      failures(RESULT_FAILURE, reason).increment();
    }
    if (now.stalledReason() != null && !now.stalledReason().equals(previous.stalledReason())) {
      rotations(RESULT_STALLED).increment();
      failures(RESULT_STALLED, now.stalledReason()).increment();
    }
  }

  private Counter failures(String result, String reason) {
    String r = reason == null || reason.isBlank() ? UNKNOWN_REASON : reason;
    return failures.computeIfAbsent(
        List.of(result, r),
        k ->
            Counter.builder("tokenrotation.failures")
                .description(
                    "Failed (retried) and stalled rotation outcomes by condition reason; summed over"
                        + " reason: tokenrotation_rotations_total of that result")
                .tags("result", result, "reason", r)
                .register(registry));
  }

  private Counter rotations(String result) {
    return rotations.computeIfAbsent(
        result,
        r ->
            Counter.builder("tokenrotation.rotations")
                .description("Rotation outcomes: success, failure (retried), stalled")
                .tag("result", r)
                .register(registry));
  }
}
