package io.tokenrotation.operator.cleanup;

import io.tokenrotation.operator.api.TokenRotation;
import java.util.List;
import java.util.Optional;

/**
 * The TokenRotations this operator sees, each with the status it last wrote. Empty while the cache
 * is still filling: a cleanup must not take a half-known world for the whole one.
 */
@FunctionalInterface
public interface TokenRotationView {
  Optional<List<TokenRotation>> snapshot();
}
