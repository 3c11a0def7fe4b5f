package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.dynatrace.DynatraceClient;
import io.tokenrotation.operator.dynatrace.DynatraceException;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.rotation.plan.EffectiveSpec;
import io.tokenrotation.operator.rotation.plan.RotationDecisions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retiring replaced tokens (step 8 of docs/rotation.md): scheduling them in {@code retiredTokens},
 * carrying out a due action, and, at grace period 0, retiring inside step 7. One instance per
 * controller (it remembers which tokens are known gone).
 */
final class Retirements {
  private static final Logger LOG = LoggerFactory.getLogger(Retirements.class);
  private final GoneTokens gone = new GoneTokens();

  /**
   * After a retirement inside step 7 failed, the RETIRE step tries again after the first backoff
   * step (5 s by default, less the resource's jitter), not in the same breath: a refused call (a
   * 429, a 5xx) is not repeated at once.
   */
  private final Backoff backoff;

  Retirements(Backoff backoff) {
    this.backoff = backoff;
  }

  /**
   * Adds {@code ids} to {@code retiredTokens} under the resource's retirement policy, due after the
   * grace period (an id already listed keeps its entry).
   */
  static void schedule(TokenRotationStatus st, EffectiveSpec spec, Instant now, String... ids) {
    List<RetiredToken> retired =
        new ArrayList<>(st.getRetiredTokens() == null ? List.of() : st.getRetiredTokens());
    for (String id : ids) {
      if (id == null || retired.stream().anyMatch(r -> id.equals(r.getId()))) {
        continue;
      }
      RetiredToken entry = new RetiredToken();
      entry.setId(id);
      entry.setAction(spec.retireAction());
      entry.dueAt(now.plus(spec.gracePeriod()));
      retired.add(entry);
    }
    st.setRetiredTokens(retired.isEmpty() ? null : retired);
  }

  /**
   * The outcome of retiring the replaced token inside step 7 (grace period 0): {@code done} false
   * when Dynatrace did not answer as hoped. {@code remaining}: the {@code retiredTokens} entry
   * still needed (a DisableThenDelete's later delete, or the failed token, due one backoff step
   * later).
   */
  record AtOnce(boolean done, String what, Optional<RetiredToken> remaining) {}

  /**
   * Grace period 0: Vault holds the successor (step 6 returned or recovery saw it), so the old
   * token is retired before the outcome is recorded, and that one status write and one event tell
   * it: no separate retirement write. A crash before the write repeats it on recovery (404 =
   * already done); a failure leaves it to the RETIRE step, one backoff step later.
   */
  AtOnce atOnce(RotationSession s, String oldId, Instant now, Checkpoints checkpoints) {
    RetiredToken entry = new RetiredToken();
    entry.setId(oldId);
    entry.setAction(s.spec().retireAction());
    entry.dueAt(now);
    RotationDecisions.Retirement action = RotationDecisions.retirement(entry, false, now);
    try {
      Optional<RetiredToken> remaining =
          retire(s.upstreams().dynatrace(), entry, action, now, s.spec().deleteAfter());
      checkpoints.reached(Checkpoint.AFTER_TOKEN_RETIRED);
      return new AtOnce(true, describe(action), remaining);
    } catch (DynatraceException e) {
      LOG.info(
          "{}: retiring {} at once failed ({}); the RETIRE step takes it over",
          s.key(),
          oldId,
          e.kind());
      entry.dueAt(now.plus(backoff.jittered(1, Optional.empty(), s.key())));
      return new AtOnce(false, null, Optional.of(entry));
    }
  }

  static void keep(TokenRotationStatus st, RetiredToken later) {
    List<RetiredToken> retired =
        new ArrayList<>(st.getRetiredTokens() == null ? List.of() : st.getRetiredTokens());
    retired.removeIf(r -> later.getId().equals(r.getId()));
    retired.add(later);
    st.setRetiredTokens(retired);
  }

  /**
   * Carries out one replaced token's retirement {@code action} (not WAIT); returns what is left of
   * it: the entry that deletes it {@code deleteAfter} from now, after a DisableThenDelete's
   * disable.
   */
  Optional<RetiredToken> retire(
      DynatraceClient dynatrace,
      RetiredToken token,
      RotationDecisions.Retirement action,
      Instant now,
      Duration deleteAfter) {
    switch (action) {
      case DELETE -> deleteOnce(dynatrace, token.getId());
      case DISABLE -> dynatrace.setEnabled(token.getId(), false);
      case DISABLE_THEN_DELETE_LATER -> {
        dynatrace.setEnabled(token.getId(), false);
        RetiredToken later = new RetiredToken();
        later.setId(token.getId());
        later.setAction(token.getAction());
        later.disabledAt(now);
        later.dueAt(now.plus(deleteAfter));
        return Optional.of(later);
      }
      case LEAVE_DISABLED, WAIT -> {}
    }
    return Optional.empty();
  }

  static String describe(RotationDecisions.Retirement action) {
    return switch (action) {
      case DELETE -> "deleted";
      case DISABLE, DISABLE_THEN_DELETE_LATER -> "disabled";
      case LEAVE_DISABLED -> "left disabled";
      case WAIT -> "not due yet";
    };
  }

  /**
   * Deletes a token; one already known gone is not asked about again (404 = already gone, which is
   * fine).
   */
  void deleteOnce(DynatraceClient dynatrace, String id) {
    if (gone.contains(id)) {
      LOG.debug("{} is already gone: no DELETE", id);
      return;
    }
    dynatrace.delete(id);
    gone.add(id);
  }
}
