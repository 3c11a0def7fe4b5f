package io.tokenrotation.sim.vault;

import java.util.Optional;

/**
 * Decides who a Kubernetes service-account JWT presented at {@code auth/<mount>/login} belongs to.
 * In real Vault this is the signature check plus the Kubernetes TokenReview call. Empty = rejected,
 * which the login answers with 403 "permission denied". Implementations must be thread-safe.
 *
 * <p>{@link UnsignedClaimsJwtVerifier} (the default) only reads claims; {@link
 * TokenReviewJwtVerifier} asks a real Kubernetes API server, as Vault does.
 */
@FunctionalInterface
public interface JwtVerifier {
  Optional<ServiceAccountIdentity> verify(String jwt);
}
