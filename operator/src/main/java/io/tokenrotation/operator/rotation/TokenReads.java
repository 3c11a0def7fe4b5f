package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.dynatrace.ApiToken;
import io.tokenrotation.operator.dynatrace.DynatraceClient;
import io.tokenrotation.operator.dynatrace.DynatraceException;
import io.tokenrotation.operator.failure.StalledException;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.vault.KvLocation;
import io.tokenrotation.operator.vault.KvSecret;
import java.util.Optional;

/**
 * The reads every step starts from: the resource's Vault secret, the token in its field, and what
 * Dynatrace knows of that token. What a human must look at (a secret or field that is gone, a token
 * Dynatrace does not know) stalls with its own reason.
 */
final class TokenReads {
  private TokenReads() {}

  /** The resource's Vault secret; a secret that is gone stalls (a human must look). */
  static KvSecret readSecret(RotationSession s) {
    KvLocation location = s.upstreams().secretLocation();
    return s.upstreams()
        .vault()
        .read(location)
        .orElseThrow(
            () ->
                new StalledException(
                    Reasons.SECRET_NOT_FOUND,
                    "the secret " + location.display() + " disappeared from Vault"));
  }

  /** The token in the resource's field of {@code secret}; a missing field stalls. */
  static SecretValue tokenIn(RotationSession s, KvSecret secret) {
    return secret
        .field(s.spec().field())
        .orElseThrow(
            () ->
                new StalledException(
                    Reasons.SECRET_FIELD_MISSING,
                    "the secret "
                        + s.upstreams().secretLocation().display()
                        + " has no field \""
                        + s.spec().field()
                        + "\""));
  }

  /** The token Vault holds, as Dynatrace knows it; a token Dynatrace does not know stalls. */
  static ApiToken lookupCurrent(RotationSession s, SecretValue token) {
    return lookupIfKnown(s.upstreams().dynatrace(), token)
        .orElseThrow(
            () ->
                new StalledException(
                    Reasons.TOKEN_NOT_FOUND,
                    "the token stored at "
                        + s.upstreams().secretLocation().display()
                        + " is unknown to Dynatrace"
                        + " (deleted, or from another environment)"));
  }

  /** {@code token} as Dynatrace knows it; empty when Dynatrace answers that it does not know it. */
  static Optional<ApiToken> lookupIfKnown(DynatraceClient dynatrace, SecretValue token) {
    try {
      return Optional.of(dynatrace.lookup(token));
    } catch (DynatraceException e) {
      if (e.kind() == DynatraceException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
