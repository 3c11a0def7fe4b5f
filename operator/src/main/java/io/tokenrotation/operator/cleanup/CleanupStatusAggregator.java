package io.tokenrotation.operator.cleanup;

import io.fabric8.kubernetes.api.model.Condition;
import io.tokenrotation.operator.api.CleanupAction;
import io.tokenrotation.operator.api.LastFailure;
import io.tokenrotation.operator.api.TokenCleanupPolicyStatus;
import io.tokenrotation.operator.status.Conditions;
import io.tokenrotation.operator.status.Reasons;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * All condition logic of a TokenCleanupPolicy in one place, like {@link RotationStatusAggregator}:
 * Ready and Stalled are a pure function of the status facts (last failure, failed attempts, next
 * run time), what the spec says (invalid, suspended, action), the summary of a run that just
 * completed, the generation and the clock. Stalled is True only when Ready is False, and {@link
 * Conditions#set} moves lastTransitionTime only when a status flips.
 */
public final class CleanupStatusAggregator {
  /**
   * What the status facts do not hold. {@code invalidSpec}: the validator's summary, null for a
   * valid spec. {@code runSummary}: what the run that just completed found and did (without its
   * next run time, which is a fact); null when no run completed in this pass, as it cannot be
   * rebuilt from the status (the tokens acted on by earlier attempts of a run are not kept apart
   * once it completes).
   */
  public record Inputs(
      String invalidSpec,
      boolean suspended,
      CleanupAction action,
      String runSummary,
      Long generation,
      Instant now) {
    public static Inputs invalid(String summary, Long generation, Instant now) {
      return new Inputs(summary, false, null, null, generation, now);
    }

    public static Inputs suspended(Long generation, Instant now) {
      return new Inputs(null, true, null, null, generation, now);
    }

    public static Inputs active(
        CleanupAction action, String runSummary, Long generation, Instant now) {
      return new Inputs(null, false, action, runSummary, generation, now);
    }
  }

  private record Verdict(
      boolean ready, String reason, String message, boolean stalled, String stalledReason) {}

  private CleanupStatusAggregator() {}

  /**
   * The conditions to store; the stored ones unchanged when nothing happened that they could
   * report.
   */
  public static List<Condition> derive(TokenCleanupPolicyStatus st, Inputs in) {
    Verdict v = verdict(st, in);
    if (v == null) {
      return st.getConditions();
    }
    // Stalled=False still names a reason: not stalled, *because* the run was reported, or
    // RetryScheduled heals alone.
    List<Condition> conditions =
        Conditions.set(
            st.getConditions(),
            Conditions.READY,
            v.ready(),
            v.reason(),
            v.message(),
            in.generation(),
            in.now());
    return Conditions.set(
        conditions,
        Conditions.STALLED,
        v.stalled(),
        v.stalledReason(),
        v.stalled() ? v.message() : "",
        in.generation(),
        in.now());
  }

  private static Verdict verdict(TokenCleanupPolicyStatus st, Inputs in) {
    if (in.invalidSpec() != null) {
      // Wins over a failure recorded earlier: only a spec change can help, and the failure is no
      // longer pursued.
      return stall(Reasons.INVALID_SPEC, in.invalidSpec());
    }
    if (in.suspended()) {
      // Nothing is listed or changed while suspended, so a failure of an earlier run is not what
      // Ready reports.
      return ready(
          Reasons.SUSPENDED, "cleanup suspended (spec.suspend); nothing is listed or changed");
    }
    LastFailure failure = st.getLastFailure();
    if (failure != null && failure.isStalled()) {
      return stall(failure.getReason(), failure.getMessage());
    }
    if (failure != null) {
      int attempts = Objects.requireNonNullElse(st.getFailedAttempts(), 1);
      String when =
          failure.getNextAttemptTime() == null
              ? ""
              : "; next attempt at " + failure.getNextAttemptTime();
      return new Verdict(
          false,
          Reasons.RETRY_SCHEDULED,
          failure.getMessage() + " (attempt " + attempts + when + ")",
          false,
          failure.getReason());
    }
    if (in.runSummary() != null) {
      String reason = in.action() == CleanupAction.Report ? Reasons.REPORTED : Reasons.CLEANED_UP;
      return ready(reason, in.runSummary() + "; next run at " + st.getNextRunTime());
    }
    return null;
  }

  private static Verdict stall(String reason, String message) {
    return new Verdict(false, reason, message, true, reason);
  }

  private static Verdict ready(String reason, String message) {
    return new Verdict(true, reason, message, false, reason);
  }
}
