package io.tokenrotation.operator.cleanup;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.tokenrotation.operator.api.CleanupAction;
import io.tokenrotation.operator.api.CleanupCandidate;
import io.tokenrotation.operator.api.Timestamps;
import io.tokenrotation.operator.api.TokenCleanupPolicy;
import io.tokenrotation.operator.api.TokenCleanupPolicyStatus;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.cleanup.plan.CleanupPlanner;
import io.tokenrotation.operator.cleanup.plan.CleanupSpecValidator;
import io.tokenrotation.operator.cleanup.plan.EffectiveCleanupSpec;
import io.tokenrotation.operator.connect.Connection;
import io.tokenrotation.operator.connect.ConnectionResolver;
import io.tokenrotation.operator.dynatrace.DynatraceException;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.failure.Failure;
import io.tokenrotation.operator.failure.FailureClassifier;
import io.tokenrotation.operator.logging.MdcKeys;
import io.tokenrotation.operator.spec.Validation;
import io.tokenrotation.operator.status.EventPublisher;
import io.tokenrotation.operator.status.Reasons;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reconciles TokenCleanupPolicies: validates the spec (no I/O), asks {@link CleanupPlanner} whether
 * a run is due, lets {@link CleanupRun} do it, records the outcome through {@link
 * CleanupStatusRecorder} (conditions, failure budget, Warning events) and returns the new status as
 * a patch. The status is a report, not a recovery journal (every act is idempotent and the next run
 * lists the tokens afresh), so JOSDK's status patch is enough.
 */
@ControllerConfiguration(name = TokenCleanupReconciler.NAME)
public class TokenCleanupReconciler implements Reconciler<TokenCleanupPolicy> {
  public static final String NAME = "tokencleanuppolicy";
  private static final Logger LOG = LoggerFactory.getLogger(TokenCleanupReconciler.class);

  /**
   * The TokenRotation cache is still filling at start-up: no run until every protected token is
   * known.
   */
  static final Duration CACHE_RECHECK = Duration.ofSeconds(2);

  private final ConnectionResolver upstreams;
  private final TokenRotationView rotations;
  private final EventPublisher events;
  private final Clock clock;
  private final Backoff backoff;
  private final CleanupRun runs;
  private final CleanupStatusRecorder recorder;

  public TokenCleanupReconciler(
      ConnectionResolver upstreams,
      TokenRotationView rotations,
      EventPublisher events,
      Clock clock,
      Backoff backoff) {
    this.upstreams = upstreams;
    this.rotations = rotations;
    this.events = events;
    this.clock = clock;
    this.backoff = backoff;
    this.runs = new CleanupRun(events);
    this.recorder = new CleanupStatusRecorder(events, clock, backoff);
  }

  @Override
  public UpdateControl<TokenCleanupPolicy> reconcile(
      TokenCleanupPolicy policy, Context<TokenCleanupPolicy> context) {
    if (policy.statusUnreadable()) {
      return UpdateControl
          .noUpdate(); // e.g. acts counted against maxPerRun may be in it (UnreadableResources)
    }
    try (var ignored = MDC.putCloseable(MdcKeys.RESOURCE, key(policy))) {
      if (policy.getStatus() == null) {
        policy.setStatus(new TokenCleanupPolicyStatus());
      }
      String before = Serialization.asJson(policy.getStatus());
      Duration recheck = reconcileResource(policy);
      boolean changed = !before.equals(Serialization.asJson(policy.getStatus()));
      UpdateControl<TokenCleanupPolicy> control =
          changed ? UpdateControl.patchStatus(policy) : UpdateControl.noUpdate();
      return recheck == null ? control : control.rescheduleAfter(recheck);
    }
  }

  /**
   * Updates the status in place; returns when to look again (null: only when the resource changes).
   */
  private Duration reconcileResource(TokenCleanupPolicy policy) {
    Validation<EffectiveCleanupSpec> validation = CleanupSpecValidator.validate(policy.getSpec());
    if (!validation.valid()) {
      recorder.invalidSpec(policy, validation.summary());
      return null; // only a spec change can help, and that triggers a reconcile
    }
    EffectiveCleanupSpec spec = validation.effective().orElseThrow();
    TokenCleanupPolicyStatus st = policy.getStatus();
    Instant now = clock.instant();
    if (spec.suspended()) {
      recorder.suspended(policy);
      st.setNextRunTime(null);
      return null;
    }
    CleanupPlanner.Schedule schedule =
        CleanupPlanner.schedule(st, spec, generation(policy), now, backoff);
    if (!schedule.runNow()) {
      return schedule.wakeAt() == null ? null : Timestamps.delayUntil(now, schedule.wakeAt());
    }
    Optional<List<TokenRotation>> known = rotations.snapshot();
    if (known.isEmpty()) {
      LOG.debug("{}: TokenRotation cache not synced yet; run postponed", key(policy));
      return CACHE_RECHECK;
    }
    int alreadyActed = Objects.requireNonNullElse(st.getActedInUnfinishedRun(), 0);
    try {
      Connection connections =
          upstreams.resolve(policy.getMetadata().getNamespace(), spec.connection());
      CleanupRun.Outcome outcome =
          runs.run(
              policy,
              spec,
              connections,
              () -> rotations.snapshot().orElse(known.get()),
              now,
              alreadyActed);
      return completed(policy, spec, outcome, alreadyActed, now);
    } catch (CleanupRun.Interrupted e) {
      return failed(policy, e.cause(), alreadyActed + e.acted(), spec);
    } catch (RuntimeException e) {
      return failed(policy, e, alreadyActed, spec);
    }
  }

  // ---------------------------------------------------------------- outcomes

  private Duration completed(
      TokenCleanupPolicy policy,
      EffectiveCleanupSpec spec,
      CleanupRun.Outcome outcome,
      int alreadyActed,
      Instant now) {
    TokenCleanupPolicyStatus st = policy.getStatus();
    CleanupPlanner.Plan plan = outcome.plan();
    Set<String> previouslyListed =
        st.getCandidates() == null
            ? Set.of()
            : st.getCandidates().stream().map(CleanupCandidate::getId).collect(Collectors.toSet());
    boolean firstRun = st.getLastRunTime() == null;
    int acted = alreadyActed + outcome.acted().size();
    Instant next = now.plus(spec.interval());
    st.lastRunAt(now);
    st.nextRunAt(next);
    st.setMatched(plan.matched().size());
    st.setActed(acted);
    st.setProtectedMatches(plan.protectedMatches());
    Set<String> actedIds = outcome.acted().stream().map(t -> t.id()).collect(Collectors.toSet());
    List<CleanupCandidate> listed =
        plan.listed().stream()
            .map(m -> CleanupReport.candidate(m, spec.action(), actedIds))
            .toList();
    st.setCandidates(listed.isEmpty() ? null : listed);
    st.setActedInUnfinishedRun(null);
    int deferred = plan.matched().size() - outcome.acted().size();
    recorder.runCompleted(
        policy, spec.action(), CleanupReport.summary(spec, plan, acted, deferred));
    if (spec.action() == CleanupAction.Report
        && (firstRun || !previouslyListed.equals(CleanupReport.listedIds(listed)))) {
      events.normal(
          policy,
          Reasons.CLEANUP_REPORT,
          "Dry run: "
              + CleanupReport.summary(spec, plan, acted, deferred)
              + (plan.matched().isEmpty()
                  ? ""
                  : ": "
                      + plan.listed().stream()
                          .map(CleanupRun::describe)
                          .collect(Collectors.joining(", "))));
    }
    if (spec.action() != CleanupAction.Report && deferred > 0) {
      events.normal(
          policy,
          Reasons.CLEANUP_LIMITED,
          "maxPerRun "
              + spec.maxPerRun()
              + " reached: "
              + deferred
              + " more matching token(s) wait for the next run at "
              + Timestamps.format(next));
    }
    LOG.info(
        "{}: run complete: {}; next run at {}",
        key(policy),
        CleanupReport.summary(spec, plan, acted, deferred),
        Timestamps.format(next));
    return Timestamps.delayUntil(now, next);
  }

  /**
   * A failed attempt. Tokens acted on before the failure stay acted on and count against maxPerRun
   * when the run is retried; lastRunTime, matched and candidates keep describing the last complete
   * run.
   */
  private Duration failed(
      TokenCleanupPolicy policy,
      RuntimeException error,
      int actedSoFar,
      EffectiveCleanupSpec spec) {
    TokenCleanupPolicyStatus st = policy.getStatus();
    st.setActedInUnfinishedRun(actedSoFar > 0 ? actedSoFar : null);
    String progress =
        actedSoFar > 0
            ? " after "
                + (spec.action() == CleanupAction.Delete ? "deleting " : "disabling ")
                + actedSoFar
                + " token(s)"
            : "";
    if (error instanceof DynatraceException d && d.locallyThrottled()) {
      // Our own rate limiter said "later": nothing failed. No backoff, no condition change.
      return d.retryAfter().orElse(Duration.ofSeconds(1));
    }
    Failure classified = FailureClassifier.classify(error);
    if (classified.reason().equals(Reasons.INTERNAL_ERROR)) {
      LOG.error("{}: unexpected failure", key(policy), error);
    }
    String what =
        (classified.stalled() ? "run stopped" : "run failed")
            + progress
            + ": "
            + classified.message();
    Failure failure =
        new Failure(
            classified.stalled(), false, classified.reason(), what, classified.retryAfter());
    Instant nextAttempt = recorder.failure(policy, spec.action(), failure);
    return Timestamps.delayUntil(clock.instant(), nextAttempt);
  }

  private static Long generation(TokenCleanupPolicy policy) {
    return policy.getMetadata().getGeneration();
  }

  private static String key(TokenCleanupPolicy policy) {
    return policy.getMetadata().getNamespace() + "/" + policy.getMetadata().getName();
  }
}
