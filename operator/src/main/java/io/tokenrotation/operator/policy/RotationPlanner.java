package io.tokenrotation.operator.policy;

import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.TokenRotationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides what a reconcile does, from status, spec and the clock alone. Everything but {@link Step#WAIT} touches
 * Vault or Dynatrace; WAIT touches nothing and says when to look again.
 */
public final class RotationPlanner {

  public enum Step {
    /** A rotation was interrupted (crash, failure): finish or undo it first. */
    RESUME,
    /** First sight: learn which token Vault holds (or create one when bootstrapping). */
    ADOPT,
    /** Replace the token now. */
    ROTATE,
    /** Retire replaced tokens whose time has come. */
    RETIRE,
    /** Nothing is due. */
    WAIT
  }

  /** What to do; {@code wakeAt} is when to look again (null: only on change); {@code manual} for a requested rotation. */
  public record Plan(Step step, Instant wakeAt, boolean manual) {}

  private RotationPlanner() {}

  public static Plan plan(TokenRotationStatus status, EffectiveSpec spec, String rotateRequest, Instant now,
      Backoff backoff) {
    TokenRotationStatus s = status == null ? new TokenRotationStatus() : status;
    int failures = s.getFailedAttempts() == null ? 0 : s.getFailedAttempts();
    Instant lastFailure = Timestamps.parse(s.getLastFailureTime());
    if (failures > 0 && lastFailure != null) {
      Instant retryAt = lastFailure.plus(backoff.delay(failures, Optional.empty()));
      if (now.isBefore(retryAt)) {
        return new Plan(Step.WAIT, retryAt, false);
      }
    }
    if (s.getPendingRotation() != null) {
      return new Plan(Step.RESUME, null, false);
    }
    if (spec.suspended()) {
      return new Plan(Step.WAIT, null, false);
    }
    if (s.getTokenId() == null || movedToAnotherSecret(s, spec)) {
      return new Plan(Step.ADOPT, null, false);
    }
    if (rotateRequest != null && !rotateRequest.isBlank()
        && !Objects.equals(rotateRequest, s.getLastHandledRotateRequest())) {
      return new Plan(Step.ROTATE, null, true);
    }
    Instant next = nextRotation(s, spec);
    if (next != null && !now.isBefore(next)) {
      return new Plan(Step.ROTATE, null, false);
    }
    Instant retireAt = earliestRetirement(s.getRetiredTokens());
    if (retireAt != null && !now.isBefore(retireAt)) {
      return new Plan(Step.RETIRE, null, false);
    }
    return new Plan(Step.WAIT, earliest(next, retireAt), false);
  }

  /**
   * spec.vault now names another secret field than the one the status's token came from: the token there is another
   * one, so it is adopted afresh. (A status written before vaultSecret was recorded counts as unchanged.)
   */
  public static boolean movedToAnotherSecret(TokenRotationStatus s, EffectiveSpec spec) {
    return s.getVaultSecret() != null && !s.getVaultSecret().equals(spec.vaultSecret());
  }

  /** The stored next rotation, recomputed from the token's creation time (the spec's interval may have changed). */
  public static Instant nextRotation(TokenRotationStatus s, EffectiveSpec spec) {
    Instant anchor = Timestamps.parse(s.getTokenCreationTime());
    if (anchor == null) {
      return Timestamps.parse(s.getNextRotationTime());
    }
    return RotationSchedule.next(anchor, spec.interval(), Timestamps.parse(s.getTokenExpirationTime()));
  }

  public static Instant earliestRetirement(List<RetiredToken> retired) {
    Instant earliest = null;
    for (RetiredToken token : retired == null ? List.<RetiredToken>of() : retired) {
      earliest = earliest(earliest, Timestamps.parse(token.getDueAt()));
    }
    return earliest;
  }

  static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }

  /** Delay from now until {@code wakeAt}, at least one second (never a busy loop). */
  public static Duration until(Instant now, Instant wakeAt) {
    Duration d = Duration.between(now, wakeAt);
    return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
  }
}
