package io.tokenrotation.operator.failure;

import io.tokenrotation.operator.api.LastFailure;
import io.tokenrotation.operator.api.ReconcileStatus;
import io.tokenrotation.operator.status.Reasons;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The error budget both resources share, as pure functions over their status: a failed attempt is
 * recorded with the time the next one may run (the end of its backoff step, or the stalled
 * recheck), and nothing runs before that time. TokenRotations write it through {@link
 * RotationStatusRecorder}, TokenCleanupPolicies through {@link CleanupStatusRecorder}.
 */
public final class FailureBudget {
  /**
   * Stalls found with Kubernetes reads only (a missing Secret or key): their recheck costs no
   * upstream call.
   */
  static final Set<String> KUBERNETES_ONLY =
      Set.of(
          Reasons.SECRET_REF_NOT_FOUND,
          Reasons.SECRET_REF_KEY_MISSING,
          Reasons.SERVICE_ACCOUNT_NOT_ALLOWED);

  private FailureBudget() {}

  /**
   * A failed attempt as it will be recorded: attempt number, facts, and when the next attempt may
   * run.
   */
  public record Attempt(int number, LastFailure failure, Instant next) {}

  /**
   * Attempt number {@code failedAttempts + 1} of {@code failure} at {@code now}. {@code jitterKey}
   * spreads the retries of resources that failed together; {@code rotateRequest} is the annotation
   * a TokenRotation served (null else).
   */
  public static Attempt attempt(
      ReconcileStatus status,
      Failure failure,
      Instant now,
      Backoff backoff,
      String jitterKey,
      String rotateRequest) {
    int number =
        (status == null || status.getFailedAttempts() == null ? 0 : status.getFailedAttempts()) + 1;
    Duration delay =
        failure.stalled()
            ? backoff.recheck(KUBERNETES_ONLY.contains(failure.reason()))
            : backoff.jittered(number, failure.retryAfter(), jitterKey);
    Instant next = roundUp(now.plus(delay));
    LastFailure recorded =
        LastFailure.of(failure.reason(), failure.message(), failure.stalled(), rotateRequest);
    recorded.nextAttemptAt(next);
    return new Attempt(number, recorded, next);
  }

  /** Writes {@code attempt} into the status facts. */
  public static void apply(ReconcileStatus status, Attempt attempt, Instant now) {
    status.setFailedAttempts(attempt.number());
    status.lastFailureAt(now);
    status.setLastFailure(attempt.failure());
  }

  /** The last attempt succeeded (or what failed is no longer pursued): forget the failure. */
  public static void clear(ReconcileStatus status) {
    status.setFailedAttempts(null);
    status.setLastFailureTime(null);
    status.setLastFailure(null);
  }

  /**
   * {@code failure} is the stall already recorded (same reason and message): a recheck that changed
   * nothing.
   */
  public static boolean confirmsStall(ReconcileStatus status, Failure failure) {
    LastFailure previous = status == null ? null : status.getLastFailure();
    return failure.stalled()
        && previous != null
        && previous.isStalled()
        && Objects.equals(previous.getReason(), failure.reason())
        && Objects.equals(previous.getMessage(), failure.message());
  }

  /** A confirmed stall found with Kubernetes reads only: not worth a status write every 30 s. */
  public static boolean checkedInKubernetesOnly(Failure failure) {
    return KUBERNETES_ONLY.contains(failure.reason());
  }

  /**
   * When the next attempt after a failure may run, or null when the last attempt succeeded.
   * Statuses written before nextAttemptTime was recorded fall back to the plain backoff they were
   * written under.
   */
  public static Instant nextAttempt(ReconcileStatus s, Backoff backoff) {
    LastFailure failure = s.getLastFailure();
    if (failure != null && failure.getNextAttemptTime() != null) {
      return failure.nextAttemptAt();
    }
    int failures = s.getFailedAttempts() == null ? 0 : s.getFailedAttempts();
    Instant lastFailure = s.lastFailureAt();
    if (failures == 0 || lastFailure == null) {
      return null;
    }
    return lastFailure.plus(
        failure != null && failure.isStalled()
            ? backoff.recheck(false)
            : backoff.delay(failures, Optional.empty()));
  }

  /**
   * Status timestamps hold whole seconds; the planner reads this one back, and rounding down would
   * let an attempt run before an upstream's reset.
   */
  private static Instant roundUp(Instant exact) {
    Instant seconds = exact.truncatedTo(ChronoUnit.SECONDS);
    return seconds.equals(exact) ? exact : seconds.plusSeconds(1);
  }
}
