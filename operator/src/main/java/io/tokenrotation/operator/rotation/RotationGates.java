package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.api.LastFailure;
import io.tokenrotation.operator.api.Timestamps;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.connect.ConnectionResolver;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.failure.Failure;
import io.tokenrotation.operator.failure.FailureBudget;
import io.tokenrotation.operator.rotation.plan.EffectiveSpec;
import io.tokenrotation.operator.rotation.plan.RotationPlanner;
import io.tokenrotation.operator.status.Reasons;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The two gates a TokenRotation passes before any step: its spec is valid, and no older resource
 * owns the same Vault secret field (Conflict). A stall either gate records is written once per
 * generation and message, and cleared when the gate passes again. Decided from the informer cache
 * and the resource's own Secret references: a resource stuck at a gate costs zero upstream calls.
 */
final class RotationGates {
  /** Stalls decided before any step: they clear as soon as their gate passes. */
  static final Set<String> GATE_STALLS = Set.of(Reasons.INVALID_SPEC, Reasons.CONFLICT);

  private final ConnectionResolver upstreams;
  private final Clock clock;
  private final Backoff backoff;
  private final SlotKeys slotKeys;

  RotationGates(ConnectionResolver upstreams, Clock clock, Backoff backoff, SlotKeys slotKeys) {
    this.upstreams = upstreams;
    this.clock = clock;
    this.backoff = backoff;
    this.slotKeys = slotKeys;
  }

  /**
   * An invalid spec or a Conflict: recorded once per generation and message, never written again
   * unchanged.
   */
  void recordGateStall(
      TokenRotation resource,
      RotationStatusRecorder recorder,
      Optional<EffectiveSpec> spec,
      String reason,
      String message) {
    TokenRotationStatus st = resource.getStatus();
    LastFailure previous = st == null ? null : st.getLastFailure();
    boolean recorded =
        previous != null
            && previous.isStalled()
            && reason.equals(previous.getReason())
            && message.equals(previous.getMessage())
            && Objects.equals(resource.getMetadata().getGeneration(), st.getObservedGeneration());
    if (!recorded) {
      recorder.failure(
          resource,
          spec,
          Failure.stalled(reason, message),
          TokenRotations.annotation(resource),
          TokenRotations.jitterKey(resource));
    }
  }

  /**
   * Another resource owns the secret field. The resource's own problems are reported first (its
   * Secret refs are read: Kubernetes only, no upstream call); a Vault login is not tried, so a
   * conflicting resource costs zero upstream calls (docs/rotation.md).
   */
  Optional<Duration> conflict(
      TokenRotation resource,
      EffectiveSpec spec,
      RotationStatusRecorder recorder,
      TokenRotation owner) {
    String message =
        "another TokenRotation ("
            + TokenRotations.key(owner)
            + ") already rotates "
            + spec.mount()
            + "/"
            + spec.path()
            + " field "
            + spec.field();
    LastFailure previous =
        resource.getStatus() == null ? null : resource.getStatus().getLastFailure();
    boolean recorded =
        previous != null
            && Reasons.CONFLICT.equals(previous.getReason())
            && message.equals(previous.getMessage())
            && Objects.equals(
                resource.getMetadata().getGeneration(),
                resource.getStatus().getObservedGeneration());
    if (!recorded) {
      Instant next =
          previous == null ? null : RotationPlanner.nextAttempt(resource.getStatus(), backoff);
      if (next != null
          && clock.instant().isBefore(next)
          && !RotationPlanner.changedSinceFailure(
              resource.getStatus(),
              resource.getMetadata().getGeneration(),
              TokenRotations.annotation(resource))) {
        // The resource's own problem, found by the line below last time, is recorded: its budget
        // holds here too
        // (without this, each recorded stall woke a reconcile that found and recorded it again).
        return Optional.of(Timestamps.delayUntil(clock.instant(), next));
      }
      upstreams.resolve(
          resource.getMetadata().getNamespace(),
          spec.connection()); // throws StalledException for a missing Secret or key: that wins
      recordGateStall(resource, recorder, Optional.of(spec), Reasons.CONFLICT, message);
    }
    return Optional.of(backoff.conflictRecheck());
  }

  /** The gates passed: a stall they recorded earlier (invalid spec, Conflict) is over. */
  TokenRotation clearGateStall(
      TokenRotation resource, EffectiveSpec spec, RotationStatusRecorder recorder) {
    LastFailure failure =
        resource.getStatus() == null ? null : resource.getStatus().getLastFailure();
    if (failure == null || !GATE_STALLS.contains(failure.getReason())) {
      return resource;
    }
    return recorder.record(resource, Optional.of(spec), FailureBudget::clear);
  }

  /**
   * When several resources name the same Vault secret field, the oldest (then the first by
   * namespace/name) owns it; the others stall with reason Conflict. Decided from the informer
   * cache: no I/O. An owner being deleted keeps the slot until it is gone: its finalizer may still
   * retire or revoke tokens of that secret.
   */
  Optional<TokenRotation> slotOwner(
      TokenRotation resource, EffectiveSpec spec, List<TokenRotation> candidates) {
    Comparator<TokenRotation> age =
        Comparator.comparing(
                (TokenRotation r) -> Objects.toString(r.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(TokenRotations::key);
    return candidates.stream()
        .filter(other -> !TokenRotations.key(other).equals(TokenRotations.key(resource)))
        .filter(other -> slotKeys.of(other).map(spec.vaultSlotKey()::equals).orElse(false))
        .filter(other -> age.compare(other, resource) < 0)
        .min(age);
  }
}
