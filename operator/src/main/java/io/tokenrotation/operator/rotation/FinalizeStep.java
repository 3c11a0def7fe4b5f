package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.api.DeletionPolicy;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.connect.ConnectionResolver;
import io.tokenrotation.operator.rotation.plan.EffectiveSpec;
import io.tokenrotation.operator.status.Reasons;

/**
 * The finalizer's work (docs/rotation.md, "Suspend and deletion"): recover an interrupted rotation,
 * retire every replaced token now (a disabled one stays disabled), revoke the current token with
 * deletionPolicy Revoke. Failures propagate; {@link RotationController#cleanup} decides whether
 * deletion may go on.
 */
final class FinalizeStep {
  private final StepSupport support;
  private final ResumeStep resume;
  private final RetireStep retire;
  private final ConnectionResolver upstreams;

  FinalizeStep(
      StepSupport support, ResumeStep resume, RetireStep retire, ConnectionResolver upstreams) {
    this.support = support;
    this.resume = resume;
    this.retire = retire;
    this.upstreams = upstreams;
  }

  void run(RotationSession s) {
    TokenRotation deleted = s.resource(); // events name the object as the finalizer received it
    EffectiveSpec spec = s.spec();
    if (s.status().getPendingRotation() != null) {
      resume.run(s);
    }
    retire.run(s, true);
    String current = s.status().getTokenId();
    if (spec.deletionPolicy() == DeletionPolicy.Revoke && current != null) {
      if (spec.rotatesItsManagementToken()) {
        support.events.warning(
            deleted,
            Reasons.DYNATRACE_REJECTED,
            "deletionPolicy Revoke cannot delete "
                + current
                + ": it is the management token itself (Dynatrace refuses to delete the calling token)");
      } else {
        upstreams
            .resolve(s.resource().getMetadata().getNamespace(), spec.connection())
            .dynatrace()
            .delete(current);
        support.events.normal(
            deleted,
            Reasons.TOKEN_RETIRED,
            "Token " + current + " deleted (deletionPolicy Revoke)");
      }
    }
  }
}
