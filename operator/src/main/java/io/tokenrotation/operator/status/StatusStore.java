package io.tokenrotation.operator.status;

import io.tokenrotation.operator.api.TokenRotation;

/**
 * Persists a resource's status with optimistic locking: a write based on a stale copy fails with
 * HTTP 409 instead of overwriting newer progress. Returns the resource as stored (new
 * resourceVersion).
 */
@FunctionalInterface
public interface StatusStore {
  TokenRotation write(TokenRotation resource);
}
