package io.tokenrotation.operator.policy;

import java.time.Duration;
import java.util.Optional;

/**
 * Delay before the next attempt after {@code failedAttempts} consecutive transient failures: exponential from
 * {@code initial}, capped at {@code max}; an upstream's own wait (429 reset, Retry-After) wins when it is longer.
 */
public record Backoff(Duration initial, Duration max) {
  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10));

  public Duration delay(int failedAttempts, Optional<Duration> upstreamWait) {
    int exponent = Math.max(0, Math.min(failedAttempts - 1, 30));
    Duration exponential = initial.multipliedBy(1L << Math.min(exponent, 20));
    Duration delay = exponential.compareTo(max) > 0 ? max : exponential;
    return upstreamWait.filter(wait -> wait.compareTo(delay) > 0).orElse(delay);
  }
}
