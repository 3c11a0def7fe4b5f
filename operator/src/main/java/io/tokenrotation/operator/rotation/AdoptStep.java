package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.failure.StalledException;
import io.tokenrotation.operator.rotation.plan.EffectiveSpec;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.vault.KvLocation;
import io.tokenrotation.operator.vault.KvSecret;
import java.util.Optional;

/**
 * {@code ADOPT}: first sight. Record which token Vault holds; bootstrap one when the secret is
 * missing.
 */
final class AdoptStep {
  private final StepSupport support;
  private final RotateStep rotate;

  AdoptStep(StepSupport support, RotateStep rotate) {
    this.support = support;
    this.rotate = rotate;
  }

  /**
   * Records the token Vault holds; creates the first one (steps 3-7, no old token) when scopes are
   * given.
   */
  void run(RotationSession s) {
    EffectiveSpec spec = s.spec();
    KvLocation location = s.upstreams().secretLocation();
    Optional<KvSecret> secret = s.upstreams().vault().read(location);
    Optional<SecretValue> token = secret.flatMap(v -> v.field(spec.field()));
    if (token.isEmpty()) {
      if (spec.newTokenScopes().isEmpty()) {
        throw secret.isEmpty()
            ? new StalledException(
                Reasons.SECRET_NOT_FOUND,
                "no secret at "
                    + location.display()
                    + " in Vault; create it, or set spec.newToken.scopes to let the operator create the first token")
            : new StalledException(
                Reasons.SECRET_FIELD_MISSING,
                "the secret "
                    + location.display()
                    + " has no field \""
                    + spec.field()
                    + "\"; set spec.newToken.scopes to create the first token");
      }
      String name = spec.newTokenName().orElse(s.resource().getMetadata().getName());
      rotate.replace(
          s,
          null,
          name,
          spec.newTokenScopes(),
          secret.orElse(null),
          secret.map(KvSecret::version).orElse(0L),
          null);
      return;
    }
    support.recordAdoption(s, secret.get(), TokenReads.lookupCurrent(s, token.get()), null);
  }
}
