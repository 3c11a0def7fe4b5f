package io.tokenrotation.operator.rotation;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.tokenrotation.operator.api.Timestamps;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.failure.Failure;
import io.tokenrotation.operator.failure.FailureBudget;
import io.tokenrotation.operator.rotation.plan.EffectiveSpec;
import io.tokenrotation.operator.rotation.plan.RotationPlanner;
import io.tokenrotation.operator.status.EventPublisher;
import io.tokenrotation.operator.status.StatusStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every status write of a TokenRotation goes through here (after the Flink operator's
 * StatusRecorder): steps change facts, the recorder derives the conditions and the STATE column
 * ({@link RotationStatusAggregator}), and writes only when the result differs from what is stored,
 * so an idle reconcile costs no write and a write never triggers a loop. Failures are recorded here
 * too, with their budget: the time of the next attempt, and one Warning event per failed attempt
 * (identical Warnings are aggregated into one Event object by the publisher).
 */
public final class RotationStatusRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(RotationStatusRecorder.class);

  private final StatusStore store;
  private final EventPublisher events;
  private final Clock clock;
  private final Backoff backoff;

  public RotationStatusRecorder(
      StatusStore store, EventPublisher events, Clock clock, Backoff backoff) {
    this.store = store;
    this.events = events;
    this.clock = clock;
    this.backoff = backoff;
  }

  /**
   * Applies {@code change} to the facts, derives the rest and stores the status if anything changed
   * (optimistic locking: a stale copy fails with 409). Returns the latest copy. {@code spec} is
   * empty when it is invalid.
   */
  public TokenRotation record(
      TokenRotation resource, Optional<EffectiveSpec> spec, Consumer<TokenRotationStatus> change) {
    TokenRotationStatus st =
        resource.getStatus() == null ? new TokenRotationStatus() : resource.getStatus();
    String before = resource.getStatus() == null ? "" : Serialization.asJson(st);
    resource.setStatus(st);
    change.accept(st);
    derive(resource, st, spec);
    if (Serialization.asJson(st).equals(before)) {
      return resource;
    }
    return store.write(resource);
  }

  /** The resource as it is, with its derived status brought up to date (one write at most). */
  public TokenRotation refresh(TokenRotation resource, Optional<EffectiveSpec> spec) {
    return record(resource, spec, st -> {});
  }

  /** A recorded failure and when the next attempt may run. */
  public record Recorded(TokenRotation resource, Instant nextAttempt) {}

  /**
   * Records a failed attempt on the latest copy: the failure facts, the next attempt's time
   * (backoff step, or the stalled recheck) and a Warning event. The event is skipped when a stall
   * is merely confirmed by a recheck.
   */
  public Recorded failure(
      TokenRotation resource,
      Optional<EffectiveSpec> spec,
      Failure failure,
      String rotateRequest,
      String jitterKey) {
    Instant now = clock.instant();
    FailureBudget.Attempt attempt =
        FailureBudget.attempt(
            resource.getStatus(), failure, now, backoff, jitterKey, rotateRequest);
    Instant next = attempt.next();
    boolean confirmedStall = FailureBudget.confirmsStall(resource.getStatus(), failure);
    if (confirmedStall && FailureBudget.checkedInKubernetesOnly(failure)) {
      // A recheck that costs Kubernetes reads only (every 30 s): not worth a status write (and its
      // watch event)
      // each time. Without the write nothing guards against an early attempt, but an early attempt
      // reads only
      // Kubernetes too.
      return new Recorded(resource, next);
    }
    TokenRotation stored = record(resource, spec, st -> FailureBudget.apply(st, attempt, now));
    if (!confirmedStall) {
      events.warning(stored, failure.reason(), failure.message());
    }
    int attempts = attempt.number();
    String name = resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    if (failure.stalled()) {
      LOG.warn(
          "{}: stalled: {}: {}; next check at {}",
          name,
          failure.reason(),
          failure.message(),
          Timestamps.format(next));
    } else {
      LOG.info(
          "{}: {} (attempt {}), retrying at {}",
          name,
          failure.reason(),
          attempts,
          Timestamps.format(next));
    }
    return new Recorded(stored, next);
  }

  private void derive(
      TokenRotation resource, TokenRotationStatus st, Optional<EffectiveSpec> spec) {
    Instant next =
        spec.map(sp -> RotationPlanner.nextRotation(st, sp, clock.instant()))
            .orElseGet(() -> st.nextRotationAt());
    if (st.getTokenId() != null && next != null) {
      st.nextRotationAt(next);
    }
    Long generation = resource.getMetadata().getGeneration();
    boolean suspended = spec.map(EffectiveSpec::suspended).orElse(false);
    RotationStatusAggregator.Derived derived =
        RotationStatusAggregator.derive(
            st, new RotationStatusAggregator.Inputs(suspended, generation, clock.instant(), next));
    st.setConditions(derived.conditions());
    st.setState(derived.state());
    st.setObservedGeneration(generation);
  }
}
