package io.tokenrotation.operator.failure;

import java.time.Duration;
import java.util.Optional;

/**
 * A classified failure. {@code stalled}: only a human can fix it. {@code statusConflict}: our
 * status write lost a race (someone else updated the resource): retry at once from fresh state, no
 * backoff.
 */
public record Failure(
    boolean stalled,
    boolean statusConflict,
    String reason,
    String message,
    Optional<Duration> retryAfter) {

  public static Failure stalled(String reason, String message) {
    return new Failure(true, false, reason, message, Optional.empty());
  }

  public static Failure transientFailure(
      String reason, String message, Optional<Duration> retryAfter) {
    return new Failure(false, false, reason, message, retryAfter);
  }
}
