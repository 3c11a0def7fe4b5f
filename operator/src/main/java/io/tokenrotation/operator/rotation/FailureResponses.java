package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.api.Timestamps;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.dynatrace.DynatraceException;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.failure.Failure;
import io.tokenrotation.operator.failure.FailureBudget;
import io.tokenrotation.operator.failure.FailureClassifier;
import io.tokenrotation.operator.rotation.plan.EffectiveSpec;
import io.tokenrotation.operator.rotation.plan.RotationPlanner;
import io.tokenrotation.operator.status.Reasons;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed reconcile answers: a local throttle (our own rate limiter said "later": nothing
 * failed, nothing is written, no call before then), a status write conflict (retry from fresh
 * state), or a failure recorded in status with its backoff — and, when even that write fails, a
 * whole backoff step rather than an immediate retry.
 */
final class FailureResponses {
  private static final Logger LOG = LoggerFactory.getLogger(RotationController.class);

  private final Clock clock;
  private final Backoff backoff;

  /**
   * namespace/name -> not before this instant: our own Dynatrace rate limiter refused a call.
   * Nothing failed and nothing was sent, so nothing is written; any reconcile before it makes no
   * call. In memory only.
   */
  private final Map<String, Instant> localWaits = new ConcurrentHashMap<>();

  FailureResponses(Clock clock, Backoff backoff) {
    this.clock = clock;
    this.backoff = backoff;
  }

  /** How long the resource must still wait for the local rate limiter, if it must. */
  Optional<Duration> localWait(TokenRotation resource) {
    Instant notBefore = localWaits.get(TokenRotations.key(resource));
    if (notBefore == null) {
      return Optional.empty();
    }
    if (clock.instant().isBefore(notBefore)) {
      return until(notBefore);
    }
    localWaits.remove(TokenRotations.key(resource), notBefore);
    return Optional.empty();
  }

  void forget(TokenRotation resource) {
    localWaits.remove(TokenRotations.key(resource));
  }

  Optional<Duration> failed(
      TokenRotation resource,
      EffectiveSpec spec,
      RotationStatusRecorder recorder,
      RuntimeException error) {
    if (error instanceof DynatraceException d && d.locallyThrottled()) {
      // Our own rate limiter said "later": nothing failed and nothing was sent. No status write, no
      // backoff.
      Instant notBefore = clock.instant().plus(d.retryAfter().orElse(Duration.ofSeconds(1)));
      localWaits.put(TokenRotations.key(resource), notBefore);
      return until(notBefore);
    }
    Failure failure = FailureClassifier.classify(error);
    if (failure.statusConflict()) {
      LOG.debug(
          "{}: status write conflict, retrying from fresh state", TokenRotations.key(resource));
      return Optional.of(Duration.ofSeconds(1));
    }
    if (failure.reason().equals(Reasons.INTERNAL_ERROR)) {
      LOG.error("{}: unexpected failure", TokenRotations.key(resource), error);
    }
    try {
      return until(
          recorder
              .failure(
                  resource,
                  Optional.of(spec),
                  failure,
                  TokenRotations.annotation(resource),
                  TokenRotations.jitterKey(resource))
              .nextAttempt());
    } catch (RuntimeException e) {
      // Not recorded (e.g. the resource changed meanwhile: 409). The change that caused it wakes a
      // reconcile; until
      // then, wait a whole backoff step rather than try again at once.
      LOG.debug("{}: could not record the failure: {}", TokenRotations.key(resource), e.toString());
      int attempts = Objects.requireNonNullElse(resource.getStatus().getFailedAttempts(), 0) + 1;
      return Optional.of(
          failure.stalled()
              ? backoff.recheck(false)
              : backoff.jittered(
                  attempts, failure.retryAfter(), TokenRotations.jitterKey(resource)));
    }
  }

  /**
   * Nothing is due. A failure whose next attempt has come, or that the user changed the spec or the
   * request after, concerned something no longer pursued: forget it, so the conditions stop
   * reporting it. One still being waited out stays.
   */
  void forgetSettled(TokenRotationStatus st, TokenRotation resource, String request, Instant now) {
    if (st.getFailedAttempts() == null && st.getLastFailure() == null) {
      return;
    }
    Instant next = RotationPlanner.nextAttempt(st, backoff);
    boolean waitingItOut =
        next != null
            && now.isBefore(next)
            && !RotationPlanner.changedSinceFailure(
                st, resource.getMetadata().getGeneration(), request);
    if (!waitingItOut) {
      FailureBudget.clear(st);
    }
  }

  private Optional<Duration> until(Instant wakeAt) {
    return wakeAt == null
        ? Optional.empty()
        : Optional.of(Timestamps.delayUntil(clock.instant(), wakeAt));
  }
}
