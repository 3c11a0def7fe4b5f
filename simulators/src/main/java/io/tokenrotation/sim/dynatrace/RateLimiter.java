package io.tokenrotation.sim.dynatrace;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The legacy per-minute quota ({@link Throttling#legacyPerMinute}): how Dynatrace documented its
 * limit before API 1.210, with {@code X-RateLimit-*} headers the real service no longer sends
 * (contract section 4). Kept for clients that still read those headers. Fixed one-minute windows
 * aligned to the clock's minute: simple to reason about in tests, and a client that honours {@code
 * X-RateLimit-Reset}/{@code Retry-After} gets through right after the reset.
 */
final class RateLimiter {
  /** What one request got: admitted or not, plus the values for the X-RateLimit headers. */
  record Decision(boolean allowed, int limit, int remaining, Instant reset, Instant now) {
    /**
     * Whole seconds until the window resets, at least 1 (Retry-After is not documented; TF and
     * Python honour it).
     */
    long retryAfterSeconds() {
      long millis = Duration.between(now, reset).toMillis();
      return Math.max(1, (millis + 999) / 1000);
    }

    /** Reset as a Unix timestamp in MICROseconds, as Dynatrace documents X-RateLimit-Reset. */
    long resetMicros() {
      return ChronoUnit.MICROS.between(Instant.EPOCH, reset);
    }
  }

  private final Clock clock;
  private int perMinute;
  private Instant windowStart = Instant.EPOCH;
  private int used;

  RateLimiter(Clock clock) {
    this.clock = clock;
  }

  /** 0 turns limiting off. Starts a fresh window so a test's new limit applies from now. */
  synchronized void perMinute(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("rate limit must be >= 0");
    }
    this.perMinute = limit;
    this.used = 0;
    this.windowStart = Instant.EPOCH;
  }

  synchronized int perMinute() {
    return perMinute;
  }

  /** Takes one request from the budget, or refuses it; null when limiting is off. */
  synchronized Decision tryAcquire() {
    if (perMinute == 0) {
      return null;
    }
    Instant now = clock.instant();
    Instant window = now.truncatedTo(ChronoUnit.MINUTES);
    if (!window.equals(windowStart)) {
      windowStart = window;
      used = 0;
    }
    Instant reset = windowStart.plus(1, ChronoUnit.MINUTES);
    if (used >= perMinute) {
      return new Decision(false, perMinute, 0, reset, now);
    }
    used++;
    return new Decision(true, perMinute, perMinute - used, reset, now);
  }
}
