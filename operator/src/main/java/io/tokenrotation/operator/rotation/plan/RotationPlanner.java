package io.tokenrotation.operator.rotation.plan;

import io.tokenrotation.operator.api.LastFailure;
import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.failure.FailureBudget;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Decides what a reconcile does, from status, spec and the clock alone. Everything but {@link
 * Step#WAIT} touches Vault or Dynatrace; WAIT touches nothing and says when to look again.
 */
public final class RotationPlanner {

  public enum Step {
    /** A rotation was interrupted (crash, failure): finish or undo it first. */
    RESUME,
    /** First sight: learn which token Vault holds (or create one when bootstrapping). */
    ADOPT,
    /** Replace the token now. */
    ROTATE,
    /**
     * Write the current token to spec.secretTargets (they hold another token, or the targets
     * changed): one Vault read for the value, then the Secrets.
     */
    SYNC_TARGETS,
    /** Restart spec.rolloutRestartTargets: a secret target changed and the debounce is over. */
    RESTART,
    /** Retire replaced tokens whose time has come. */
    RETIRE,
    /**
     * The opt-in drift check: one Vault read to learn whether someone replaced the token outside
     * the operator.
     */
    CHECK,
    /**
     * Read the disabled tokens' lastUsedDate (once an hour): a consumer still presenting one did
     * not pick up the new token.
     */
    WATCH_DISABLED,
    /** Nothing is due. */
    WAIT
  }

  /**
   * What to do; {@code wakeAt} is when to look again (null: only on change); {@code manual} for a
   * requested rotation.
   */
  public record Plan(Step step, Instant wakeAt, boolean manual) {}

  private RotationPlanner() {}

  /**
   * What a reconcile cannot learn from the status: the resource's generation (a spec change earns
   * one attempt at once) and when the periodic checks kept in memory fall due (null: none), the
   * opt-in drift check of Vault and the hourly look at disabled tokens.
   */
  public record Attempt(Long generation, Instant vaultCheckAt, Instant disabledCheckAt) {
    public static final Attempt NONE = new Attempt(null, null, null);
  }

  public static Plan plan(
      TokenRotationStatus status,
      EffectiveSpec spec,
      String rotateRequest,
      Instant now,
      Backoff backoff) {
    return plan(status, spec, rotateRequest, now, backoff, Attempt.NONE);
  }

  public static Plan plan(
      TokenRotationStatus status,
      EffectiveSpec spec,
      String rotateRequest,
      Instant now,
      Backoff backoff,
      Attempt attempt) {
    TokenRotationStatus s = status == null ? new TokenRotationStatus() : status;
    // The error budget: after a failure, nothing runs before the next attempt is due, whatever woke
    // the reconcile
    // (our own status write, a label edit, a resync), unless the user changed what the attempt
    // would do.
    Instant retryAt = nextAttempt(s, backoff);
    if (retryAt != null
        && now.isBefore(retryAt)
        && !changedSinceFailure(s, attempt.generation(), rotateRequest)) {
      return new Plan(Step.WAIT, retryAt, false);
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
    // The consumers follow the current token before anything else: the old token's retirement
    // waits for them (ConsumerDecisions.holdsRetirementBack), and so does the next rotation.
    if (ConsumerDecisions.secretTargetsBehind(s, spec)) {
      return new Plan(Step.SYNC_TARGETS, null, false);
    }
    Instant restartAt = ConsumerDecisions.restartDueAt(s, spec);
    if (restartAt != null && !now.isBefore(restartAt)) {
      return new Plan(Step.RESTART, null, false);
    }
    // A due retirement goes first: replaced tokens must not pile up behind new rotations (e.g. when
    // restarts keep
    // interrupting them). It costs one Dynatrace call per token; the rotation follows in the same
    // reconcile.
    Instant retireAt = earliestRetirement(s.getRetiredTokens());
    if (retireAt != null && restartAt != null && retireAt.isBefore(restartAt)) {
      retireAt = restartAt; // the workloads restart with the new token first
    }
    if (retireAt != null && !now.isBefore(retireAt)) {
      return new Plan(Step.RETIRE, null, false);
    }
    if (isNewRequest(rotateRequest, s)) {
      return new Plan(Step.ROTATE, null, true);
    }
    Instant next = nextRotation(s, spec, now);
    if (next != null && !now.isBefore(next)) {
      return new Plan(Step.ROTATE, null, false);
    }
    if (reached(attempt.vaultCheckAt(), now)) {
      return new Plan(Step.CHECK, null, false);
    }
    if (reached(attempt.disabledCheckAt(), now)) {
      return new Plan(Step.WATCH_DISABLED, null, false);
    }
    // Only here, where they could run, do the periodic checks set the wake time: a wait for a
    // backoff or a suspension that woke for a check it may not run would wake again at once.
    return new Plan(
        Step.WAIT,
        earliest(
            earliest(earliest(next, retireAt), restartAt),
            earliest(attempt.vaultCheckAt(), attempt.disabledCheckAt())),
        false);
  }

  private static boolean reached(Instant at, Instant now) {
    return at != null && !now.isBefore(at);
  }

  /** When the next attempt after a failure may run, or null when the last attempt succeeded. */
  public static Instant nextAttempt(TokenRotationStatus s, Backoff backoff) {
    return FailureBudget.nextAttempt(s, backoff);
  }

  /**
   * The user changed what the next attempt would do: the spec (new generation), or, for a failure
   * only a human can fix, a new rotate request (a transient failure's backoff holds a request back:
   * retrying sooner would not help).
   */
  public static boolean changedSinceFailure(
      TokenRotationStatus s, Long generation, String rotateRequest) {
    boolean specChanged =
        generation != null
            && s.getObservedGeneration() != null
            && !generation.equals(s.getObservedGeneration());
    LastFailure failure = s.getLastFailure();
    boolean newRequestAfterStall =
        failure != null
            && failure.isStalled()
            && isNewRequest(rotateRequest, s)
            && !Objects.equals(rotateRequest, failure.getRotateRequest());
    return specChanged || newRequestAfterStall;
  }

  static boolean isNewRequest(String rotateRequest, TokenRotationStatus s) {
    return rotateRequest != null
        && !rotateRequest.isBlank()
        && !Objects.equals(rotateRequest, s.getLastHandledRotateRequest());
  }

  /**
   * spec.vault now names another secret field than the one the status's token came from: the token
   * there is another one, so it is adopted afresh. (A status written before vaultSecret was
   * recorded counts as unchanged.)
   */
  public static boolean movedToAnotherSecret(TokenRotationStatus s, EffectiveSpec spec) {
    return SecretField.named(s.getVaultSecretRef(), s.getVaultSecret())
        && !spec.secretField().isStored(s.getVaultSecretRef(), s.getVaultSecret());
  }

  /**
   * The stored next rotation, recomputed from the token's creation time (the spec's interval may
   * have changed).
   */
  public static Instant nextRotation(TokenRotationStatus s, EffectiveSpec spec, Instant now) {
    Instant anchor = s.tokenCreatedAt();
    if (anchor == null) {
      return s.nextRotationAt();
    }
    return RotationSchedule.next(anchor, spec, s.tokenExpiresAt(), now);
  }

  /**
   * A scheduled rotation due now only because the token expires before the next window opens (the
   * event says so).
   */
  public static boolean dueOutsideWindow(TokenRotationStatus s, EffectiveSpec spec, Instant now) {
    Instant anchor = s.tokenCreatedAt();
    return anchor != null
        && spec.schedule().isPresent()
        && RotationSchedule.due(anchor, spec, s.tokenExpiresAt(), now)
            .outsideWindowBecauseOfExpiry();
  }

  public static Instant earliestRetirement(List<RetiredToken> retired) {
    Instant earliest = null;
    for (RetiredToken token : retired == null ? List.<RetiredToken>of() : retired) {
      earliest = earliest(earliest, token.dueAt());
    }
    return earliest;
  }

  static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }
}
