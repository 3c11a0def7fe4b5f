package io.tokenrotation.operator.rotation;

import io.fabric8.kubernetes.api.model.Condition;
import io.tokenrotation.operator.api.LastFailure;
import io.tokenrotation.operator.api.PendingRotation;
import io.tokenrotation.operator.api.RotationState;
import io.tokenrotation.operator.api.Timestamps;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.status.Conditions;
import io.tokenrotation.operator.status.Reasons;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * All condition logic of a TokenRotation in one place (after the Keycloak operator's status
 * aggregator): Ready, Rotating, Stalled and the STATE column are a pure function of the status
 * facts (token, pending rotation, last failure), the spec's suspend flag and the clock. Steps
 * record facts only; every write derives the conditions again, so no code path can leave a stale or
 * contradictory condition behind (e.g. an idle pass overwriting RetryScheduled, or Stalled and
 * Rotating both True).
 */
public final class RotationStatusAggregator {
  /**
   * Stalls after which Vault does not hold a token the operator knows: Ready is False for these.
   */
  private static final Set<String> TOKEN_UNUSABLE =
      Set.of(Reasons.TOKEN_NOT_FOUND, Reasons.SECRET_NOT_FOUND, Reasons.SECRET_FIELD_MISSING);

  /**
   * What the conditions cannot be derived from the status alone. {@code nextRotation}: when the
   * current token is due (the spec's interval may have changed since status recorded it).
   */
  public record Inputs(boolean suspended, Long generation, Instant now, Instant nextRotation) {}

  /** The derived part of the status. */
  public record Derived(List<Condition> conditions, String state) {}

  private record Verdict(boolean status, String reason, String message) {}

  private RotationStatusAggregator() {}

  public static Derived derive(TokenRotationStatus st, Inputs in) {
    LastFailure failure = st.getLastFailure();
    boolean stalled = failure != null && failure.isStalled();
    Verdict ready = ready(st, in, failure);
    // Stalled=False names a transient failure's reason: not stalled, *because* VaultSealed (say)
    // heals by itself.
    Verdict stalledVerdict =
        stalled
            ? new Verdict(true, failure.getReason(), failure.getMessage())
            : new Verdict(false, failure != null ? failure.getReason() : ready.reason(), "");
    Verdict rotating = rotating(st.getPendingRotation(), failure);
    List<Condition> conditions =
        Conditions.set(
            st.getConditions(),
            Conditions.READY,
            ready.status(),
            ready.reason(),
            ready.message(),
            in.generation(),
            in.now());
    conditions =
        Conditions.set(
            conditions,
            Conditions.STALLED,
            stalledVerdict.status(),
            stalledVerdict.reason(),
            stalledVerdict.message(),
            in.generation(),
            in.now());
    conditions =
        Conditions.set(
            conditions,
            Conditions.ROTATING,
            rotating.status(),
            rotating.reason(),
            rotating.message(),
            in.generation(),
            in.now());
    return new Derived(conditions, state(st, in, failure));
  }

  static String state(TokenRotationStatus st, Inputs in, LastFailure failure) {
    boolean hasToken = st.getTokenId() != null;
    if (failure != null && failure.isStalled()) {
      return RotationState.STALLED;
    }
    if (failure != null) {
      boolean due = hasToken && in.nextRotation() != null && !in.now().isBefore(in.nextRotation());
      return due ? RotationState.OVERDUE : RotationState.RETRYING;
    }
    if (st.getPendingRotation() != null) {
      return RotationState.ROTATING;
    }
    if (in.suspended()) {
      return RotationState.SUSPENDED;
    }
    return hasToken ? RotationState.HEALTHY : RotationState.ADOPTING;
  }

  private static Verdict ready(TokenRotationStatus st, Inputs in, LastFailure failure) {
    String tokenId = st.getTokenId();
    boolean hasToken = tokenId != null;
    if (failure != null && failure.isStalled()) {
      return new Verdict(
          hasToken && !TOKEN_UNUSABLE.contains(failure.getReason()),
          failure.getReason(),
          failure.getMessage());
    }
    if (failure != null) {
      int attempts = Objects.requireNonNullElse(st.getFailedAttempts(), 1);
      String when =
          failure.getNextAttemptTime() == null
              ? ""
              : "; next attempt at " + failure.getNextAttemptTime();
      return new Verdict(
          hasToken,
          Reasons.RETRY_SCHEDULED,
          failure.getMessage() + " (attempt " + attempts + when + ")");
    }
    PendingRotation pending = st.getPendingRotation();
    if (pending != null) {
      return new Verdict(hasToken, Reasons.ROTATION_IN_PROGRESS, describe(pending));
    }
    if (in.suspended()) {
      return new Verdict(
          hasToken,
          Reasons.SUSPENDED,
          hasToken
              ? "rotation suspended (spec.suspend); token " + tokenId
              : "rotation suspended (spec.suspend); no token adopted yet");
    }
    if (!hasToken) {
      return new Verdict(false, RotationState.ADOPTING, "no token adopted yet");
    }
    return new Verdict(
        true,
        rotatedByUs(st) ? Reasons.ROTATED : Reasons.ADOPTED,
        "Vault holds " + tokenId + "; next rotation at " + Timestamps.format(in.nextRotation()));
  }

  private static Verdict rotating(PendingRotation pending, LastFailure failure) {
    if (pending == null) {
      return new Verdict(false, Reasons.IDLE, "");
    }
    if (failure != null && failure.isStalled()) {
      // Never Stalled and Rotating at once: the rotation waits for a human, it is not making
      // progress.
      return new Verdict(
          false,
          Reasons.ROTATION_INTERRUPTED,
          "a rotation is pending ("
              + describe(pending)
              + "); it resumes once the stall is resolved");
    }
    if (failure != null) {
      return new Verdict(
          true, failure.getReason(), describe(pending) + "; " + failure.getMessage());
    }
    return new Verdict(true, Reasons.ROTATION_IN_PROGRESS, describe(pending));
  }

  private static String describe(PendingRotation pending) {
    return pending.getOldTokenId() == null
        ? "creating the first token"
        : "replacing " + pending.getOldTokenId();
  }

  /**
   * The operator's own rotation records the token's creation and the rotation at the same instant;
   * an adoption takes the creation date Dynatrace reports. So Ready's reason says which one brought
   * the current token.
   */
  private static boolean rotatedByUs(TokenRotationStatus st) {
    return st.getLastRotationTime() != null
        && st.getLastRotationTime().equals(st.getTokenCreationTime());
  }
}
