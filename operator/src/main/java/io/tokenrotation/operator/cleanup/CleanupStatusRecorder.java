package io.tokenrotation.operator.cleanup;

import io.tokenrotation.operator.api.CleanupAction;
import io.tokenrotation.operator.api.TokenCleanupPolicy;
import io.tokenrotation.operator.api.TokenCleanupPolicyStatus;
import io.tokenrotation.operator.cleanup.CleanupStatusAggregator.Inputs;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.failure.Failure;
import io.tokenrotation.operator.failure.FailureBudget;
import io.tokenrotation.operator.status.Conditions;
import io.tokenrotation.operator.status.EventPublisher;
import io.tokenrotation.operator.status.Reasons;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every outcome of a TokenCleanupPolicy reconcile goes through here, like {@link
 * RotationStatusRecorder}: the facts (failure budget) are updated, the conditions derived ({@link
 * CleanupStatusAggregator}) and Warning events published. It changes the status in memory only: the
 * reconciler hands it to JOSDK's status patch, and only when it differs from what was read, so
 * recording the same outcome again costs no write.
 */
public final class CleanupStatusRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(CleanupStatusRecorder.class);

  private final EventPublisher events;
  private final Clock clock;
  private final Backoff backoff;

  public CleanupStatusRecorder(EventPublisher events, Clock clock, Backoff backoff) {
    this.events = events;
    this.clock = clock;
    this.backoff = backoff;
  }

  /**
   * The spec cannot be acted on: Stalled until it changes. One Warning, not one per reconcile of
   * the same spec.
   */
  public void invalidSpec(TokenCleanupPolicy policy, String summary) {
    TokenCleanupPolicyStatus st = policy.getStatus();
    boolean alreadyShown =
        Conditions.find(st.getConditions(), Conditions.STALLED)
            .map(
                c ->
                    Conditions.TRUE.equals(c.getStatus())
                        && Reasons.INVALID_SPEC.equals(c.getReason())
                        && Objects.equals(summary, c.getMessage()))
            .orElse(false);
    derive(policy, Inputs.invalid(summary, generation(policy), clock.instant()));
    if (!alreadyShown) {
      events.warning(policy, Reasons.INVALID_SPEC, summary);
      LOG.warn("{}: stalled: {}: {}", key(policy), Reasons.INVALID_SPEC, summary);
    }
  }

  public void suspended(TokenCleanupPolicy policy) {
    derive(policy, Inputs.suspended(generation(policy), clock.instant()));
  }

  /**
   * A complete run, whose report the caller has put into the status: the failure budget is
   * forgotten and Ready reports {@code runSummary} with the next run time.
   */
  public void runCompleted(TokenCleanupPolicy policy, CleanupAction action, String runSummary) {
    FailureBudget.clear(policy.getStatus());
    derive(policy, Inputs.active(action, runSummary, generation(policy), clock.instant()));
  }

  /**
   * A failed attempt: recorded with the time the next one may run (the same budget as a
   * TokenRotation's), and a Warning event, except when a recheck merely confirms the stall already
   * recorded. Returns that time.
   */
  public Instant failure(TokenCleanupPolicy policy, CleanupAction action, Failure failure) {
    TokenCleanupPolicyStatus st = policy.getStatus();
    Instant now = clock.instant();
    boolean confirmedStall = FailureBudget.confirmsStall(st, failure);
    FailureBudget.Attempt attempt =
        FailureBudget.attempt(st, failure, now, backoff, key(policy), null);
    FailureBudget.apply(st, attempt, now);
    derive(policy, Inputs.active(action, null, generation(policy), now));
    if (failure.stalled()) {
      if (!confirmedStall) {
        LOG.warn("{}: stalled: {}: {}", key(policy), failure.reason(), failure.message());
      }
    } else {
      LOG.info(
          "{}: {}",
          key(policy),
          Conditions.find(st.getConditions(), Conditions.READY).orElseThrow().getMessage());
    }
    if (!confirmedStall) {
      // The message has no attempt number, so that repeated failures are one Event object whose
      // count grows.
      events.warning(policy, failure.reason(), failure.message());
    }
    return attempt.next();
  }

  private static void derive(TokenCleanupPolicy policy, Inputs in) {
    TokenCleanupPolicyStatus st = policy.getStatus();
    st.setConditions(CleanupStatusAggregator.derive(st, in));
    st.setObservedGeneration(in.generation());
  }

  private static Long generation(TokenCleanupPolicy policy) {
    return policy.getMetadata().getGeneration();
  }

  private static String key(TokenCleanupPolicy policy) {
    return policy.getMetadata().getNamespace() + "/" + policy.getMetadata().getName();
  }
}
