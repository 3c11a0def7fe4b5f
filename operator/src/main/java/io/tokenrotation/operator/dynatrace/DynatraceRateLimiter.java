package io.tokenrotation.operator.dynatrace;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Client-side token bucket per Dynatrace environment (requests per minute). It never sleeps: when
 * empty it says how long to wait, and the reconciler reschedules instead of blocking a reconcile
 * thread. 0 = no limit, no cost.
 */
public final class DynatraceRateLimiter {
  public static final DynatraceRateLimiter UNLIMITED =
      new DynatraceRateLimiter(0, Clock.systemUTC());

  private final int perMinute;

  /**
   * Burst size: ten seconds' worth, so the calls spread over the minute instead of all at its
   * start.
   */
  private final double capacity;

  private final Clock clock;
  private double tokens;
  private long lastRefillNanos;

  public DynatraceRateLimiter(int perMinute, Clock clock) {
    this.perMinute = perMinute;
    this.clock = clock;
    this.capacity = Math.max(1, perMinute / 6.0);
    this.tokens = capacity;
    this.lastRefillNanos = nanos();
  }

  /**
   * Empty when the call may go now (one permit taken); otherwise how long until a permit is free.
   */
  public Optional<Duration> tryAcquire() {
    if (perMinute <= 0) {
      return Optional.empty();
    }
    synchronized (this) {
      long now = nanos();
      double perNano = perMinute / 60e9;
      tokens = Math.min(capacity, tokens + (now - lastRefillNanos) * perNano);
      lastRefillNanos = now;
      if (tokens >= 1) {
        tokens -= 1;
        return Optional.empty();
      }
      return Optional.of(Duration.ofNanos((long) Math.ceil((1 - tokens) / perNano)));
    }
  }

  private long nanos() {
    var instant = clock.instant();
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
