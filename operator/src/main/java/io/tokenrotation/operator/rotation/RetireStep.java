package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.dynatrace.DynatraceClient;
import io.tokenrotation.operator.failure.FailureBudget;
import io.tokenrotation.operator.rotation.plan.RotationDecisions;
import io.tokenrotation.operator.status.Reasons;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code RETIRE}: retire replaced tokens whose time has come (step 8 of docs/rotation.md). */
final class RetireStep {
  private final StepSupport support;

  RetireStep(StepSupport support) {
    this.support = support;
  }

  /**
   * Retire every replaced token whose time has come (all of them when {@code all}, as on deletion).
   */
  void run(RotationSession s, boolean all) {
    List<RetiredToken> retired = s.status().getRetiredTokens();
    if (retired == null || retired.isEmpty()) {
      return;
    }
    Instant now = s.now();
    DynatraceClient dynatrace = s.upstreams().dynatrace();
    List<RetiredToken> remaining = new ArrayList<>();
    List<String> done = new ArrayList<>();
    for (RetiredToken token : retired) {
      RotationDecisions.Retirement action = RotationDecisions.retirement(token, all, now);
      if (action == RotationDecisions.Retirement.WAIT) {
        remaining.add(token);
        continue;
      }
      support
          .retirements
          .retire(dynatrace, token, action, now, s.spec().deleteAfter())
          .ifPresent(remaining::add);
      done.add(token.getId() + " " + Retirements.describe(action));
      if (action != RotationDecisions.Retirement.LEAVE_DISABLED) {
        support.checkpoints.reached(Checkpoint.AFTER_TOKEN_RETIRED);
      }
    }
    s.persist(
        st -> {
          st.setRetiredTokens(remaining.isEmpty() ? null : remaining);
          FailureBudget.clear(st);
        });
    support.checkpoints.reached(Checkpoint.AFTER_RETIREMENT_PERSISTED);
    for (String what : done) {
      support.events.normal(s.resource(), Reasons.TOKEN_RETIRED, "Token " + what);
    }
  }
}
