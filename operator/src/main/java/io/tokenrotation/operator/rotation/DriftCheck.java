package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.api.TokenRotation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The opt-in drift check (VAULT_DRIFT_CHECK_INTERVAL): when each resource's secret was last read,
 * in memory only, and when it is due to be read again. Off (null interval) by default: idle
 * resources cost nothing.
 */
final class DriftCheck {
  private final Duration vaultCheckInterval;
  private final Clock clock;

  /** namespace/name -> when the drift check (or any step) last read the resource's secret. */
  private final Map<String, Instant> vaultReads = new ConcurrentHashMap<>();

  DriftCheck(Duration interval, Clock clock) {
    this.vaultCheckInterval = interval == null || interval.isZero() ? null : interval;
    this.clock = clock;
  }

  /** A step read the secret now. */
  void read(TokenRotation resource, Instant now) {
    vaultReads.put(TokenRotations.key(resource), now);
  }

  void forget(TokenRotation resource) {
    vaultReads.remove(TokenRotations.key(resource));
  }

  /**
   * The opt-in drift check's next time; the first one an interval after the operator first saw the
   * resource.
   */
  Instant next(TokenRotation resource) {
    if (vaultCheckInterval == null
        || resource.getStatus() == null
        || resource.getStatus().getTokenId() == null) {
      return null;
    }
    return vaultReads
        .computeIfAbsent(TokenRotations.key(resource), k -> clock.instant())
        .plus(vaultCheckInterval);
  }
}
