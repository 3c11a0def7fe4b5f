package io.tokenrotation.operator.cleanup;

import io.tokenrotation.operator.api.CleanupAction;
import io.tokenrotation.operator.api.PendingRotation;
import io.tokenrotation.operator.api.TokenCleanupPolicy;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.cleanup.plan.CleanupPlanner;
import io.tokenrotation.operator.cleanup.plan.EffectiveCleanupSpec;
import io.tokenrotation.operator.connect.Connection;
import io.tokenrotation.operator.dynatrace.ApiToken;
import io.tokenrotation.operator.dynatrace.DynatraceClient;
import io.tokenrotation.operator.dynatrace.DynatraceException;
import io.tokenrotation.operator.failure.StalledException;
import io.tokenrotation.operator.status.EventPublisher;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.tokens.TokenRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a TokenCleanupPolicy: the management token's id (one lookup), every token (the v2
 * list, all pages), the plan, then one PUT or DELETE per token to act on. Report makes the lookup
 * and the list calls only.
 */
final class CleanupRun {
  private static final Logger LOG = LoggerFactory.getLogger(CleanupRun.class);

  /** What a complete run found and did. */
  record Outcome(CleanupPlanner.Plan plan, List<ApiToken> acted) {}

  /**
   * A run stopped by {@code cause} after acting on {@code acted} tokens (each act is done and stays
   * done).
   */
  static final class Interrupted extends RuntimeException {
    private final int acted;

    Interrupted(RuntimeException cause, int acted) {
      super(cause.getMessage(), cause, false, false);
      this.acted = acted;
    }

    int acted() {
      return acted;
    }

    RuntimeException cause() {
      return (RuntimeException) getCause();
    }
  }

  private final EventPublisher events;

  CleanupRun(EventPublisher events) {
    this.events = events;
  }

  /**
   * {@code rotations} is read after the list call, so a token created before the list is known to
   * whatever TokenRotation created it by then (or covered as in flight). {@code alreadyActed}: by
   * earlier attempts of this run.
   */
  Outcome run(
      TokenCleanupPolicy policy,
      EffectiveCleanupSpec spec,
      Connection upstreams,
      Supplier<List<TokenRotation>> rotations,
      Instant now,
      int alreadyActed) {
    DynatraceClient dynatrace = upstreams.dynatrace();
    String managementTokenId = upstreams.lookupManagementToken().id();
    List<ApiToken> tokens = dynatrace.list(null);
    CleanupPlanner.Plan plan =
        CleanupPlanner.plan(
            tokens, spec, protection(rotations.get(), managementTokenId), now, alreadyActed);
    List<ApiToken> acted = new ArrayList<>();
    for (CleanupPlanner.Match match : plan.toAct()) {
      try {
        boolean existed = act(dynatrace, spec.action(), match.token());
        acted.add(match.token());
        LOG.info(
            "{}/{}: {} token {}{}",
            policy.getMetadata().getNamespace(),
            policy.getMetadata().getName(),
            spec.action() == CleanupAction.Delete ? "deleted" : "disabled",
            match.token().id(),
            existed ? "" : " (already gone)");
        events.normal(
            policy,
            spec.action() == CleanupAction.Delete ? Reasons.TOKEN_DELETED : Reasons.TOKEN_DISABLED,
            (spec.action() == CleanupAction.Delete ? "Deleted" : "Disabled")
                + " token "
                + describe(match)
                + (existed ? "" : " (it was already gone)"));
      } catch (RuntimeException e) {
        throw new Interrupted(e, acted.size());
      }
    }
    return new Outcome(plan, acted);
  }

  /**
   * Returns false when the token was gone already (deleted meanwhile): the goal is reached all the
   * same.
   */
  private static boolean act(DynatraceClient dynatrace, CleanupAction action, ApiToken token) {
    try {
      return action == CleanupAction.Delete
          ? dynatrace.delete(token.id())
          : dynatrace.setEnabled(token.id(), false);
    } catch (DynatraceException e) {
      if (e.kind() == DynatraceException.Kind.BAD_REQUEST) {
        throw new StalledException(
            Reasons.DYNATRACE_REJECTED,
            "Dynatrace refused to "
                + (action == CleanupAction.Delete ? "delete " : "disable ")
                + token.id()
                + " (HTTP 400); if it must stay, add it to spec.exclude.ids");
      }
      throw e;
    }
  }

  /** Id, name, owner and why: enough to recognise the token, nothing secret. */
  static String describe(CleanupPlanner.Match match) {
    ApiToken t = match.token();
    return t.id() + " (name \"" + t.name() + "\", owner " + t.owner() + ": " + match.reason() + ")";
  }

  /**
   * Every id a TokenRotation references (current, pending old and new, replaced but not retired
   * yet), in any namespace this operator watches, and the rotations in flight.
   */
  static CleanupPlanner.Protection protection(
      List<TokenRotation> rotations, String managementTokenId) {
    Set<String> ids = new HashSet<>();
    List<CleanupPlanner.InFlight> inFlight = new ArrayList<>();
    for (TokenRotation rotation : rotations) {
      ids.addAll(TokenRegistry.idsOf(rotation.getStatus()));
      PendingRotation pending =
          rotation.getStatus() == null ? null : rotation.getStatus().getPendingRotation();
      if (pending != null && pending.getTokenName() != null) {
        inFlight.add(new CleanupPlanner.InFlight(pending.getTokenName(), pending.startedAt()));
      }
    }
    return new CleanupPlanner.Protection(ids, inFlight, managementTokenId);
  }
}
