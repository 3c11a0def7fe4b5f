package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.failure.StalledException;
import io.tokenrotation.operator.rotation.plan.EffectiveSpec;
import io.tokenrotation.operator.status.Reasons;
import java.util.List;

/**
 * A create refused with 400 for named scopes: only a human can choose the new token's scopes, so
 * the resource stalls (one attempt, then the stalled recheck; no retry loop). The message holds the
 * scope names as we sent them, never Dynatrace's text.
 */
final class ScopeRefusal {
  private ScopeRefusal() {}

  /**
   * Scopes from spec.newToken.scopes are retired or unknown: the user named them. Scopes cloned
   * from the current token were accepted when it was created, so Dynatrace has retired them since
   * (contract section 4).
   */
  static StalledException stall(EffectiveSpec spec, String currentTokenId, List<String> refused) {
    String names = String.join(", ", refused);
    String scopes = refused.size() == 1 ? "scope " : "scopes ";
    if (!spec.newTokenScopes().isEmpty() && spec.newTokenScopes().containsAll(refused)) {
      return new StalledException(
          Reasons.DYNATRACE_REJECTED,
          "Dynatrace refuses "
              + scopes
              + names
              + " of spec.newToken.scopes (HTTP 400 on create: retired or unknown): remove it from spec.newToken.scopes");
    }
    String token =
        currentTokenId == null ? "the current token" : "the current token " + currentTokenId;
    return new StalledException(
        Reasons.SCOPE_RETIRED,
        "Dynatrace no longer accepts "
            + scopes
            + names
            + " of "
            + token
            + " (HTTP 400 on create): set spec.newToken.scopes to the scopes the new token needs, without "
            + names);
  }
}
