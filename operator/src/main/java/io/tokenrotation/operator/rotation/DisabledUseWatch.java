package io.tokenrotation.operator.rotation;

import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.TokenRotation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each resource's disabled tokens (DisableThenDelete, waiting for {@code deleteAfter}) were
 * last looked at, in memory only like the drift check: one Dynatrace read per disabled token per
 * {@link #INTERVAL}, and no status write unless a use is found. Resources without a disabled token
 * cost nothing.
 */
final class DisabledUseWatch {
  /** How often a disabled token's lastUsedDate is read. */
  static final Duration INTERVAL = Duration.ofHours(1);

  private final Clock clock;
  private final Map<String, Instant> lastChecked = new ConcurrentHashMap<>();

  DisabledUseWatch(Clock clock) {
    this.clock = clock;
  }

  static boolean hasDisabledTokens(TokenRotation resource) {
    List<RetiredToken> retired =
        resource.getStatus() == null ? null : resource.getStatus().getRetiredTokens();
    return retired != null && retired.stream().anyMatch(t -> t.getDisabledAt() != null);
  }

  /** The next look, the first one an interval after the operator first saw a disabled token. */
  Instant next(TokenRotation resource) {
    String key = TokenRotations.key(resource);
    if (!hasDisabledTokens(resource)) {
      lastChecked.remove(key);
      return null;
    }
    return lastChecked.computeIfAbsent(key, k -> clock.instant()).plus(INTERVAL);
  }

  void checked(TokenRotation resource, Instant now) {
    lastChecked.put(TokenRotations.key(resource), now);
  }

  void forget(TokenRotation resource) {
    lastChecked.remove(TokenRotations.key(resource));
  }
}
