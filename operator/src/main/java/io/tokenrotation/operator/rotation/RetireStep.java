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
      switch (RotationDecisions.retirement(token, all, now)) {
        case WAIT -> {
          remaining.add(token);
          continue;
        }
        case LEAVE_DISABLED -> {
          done.add(token.getId() + " left disabled");
          continue;
        }
        case DELETE -> {
          support.deleteOnce(dynatrace, token.getId());
          done.add(token.getId() + " deleted");
        }
        case DISABLE -> {
          dynatrace.setEnabled(token.getId(), false);
          done.add(token.getId() + " disabled");
        }
        case DISABLE_THEN_DELETE_LATER -> {
          dynatrace.setEnabled(token.getId(), false);
          RetiredToken later = new RetiredToken();
          later.setId(token.getId());
          later.setAction(token.getAction());
          later.disabledAt(now);
          later.dueAt(now.plus(s.spec().deleteAfter()));
          remaining.add(later);
          done.add(token.getId() + " disabled");
        }
      }
      support.checkpoints.reached(Checkpoint.AFTER_TOKEN_RETIRED);
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
