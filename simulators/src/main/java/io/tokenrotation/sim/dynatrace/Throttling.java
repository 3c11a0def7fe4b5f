package io.tokenrotation.sim.dynatrace;

import java.time.Duration;

/**
 * How the simulated environment throttles its API ({@link
 * DynatraceSimulator#throttling(Throttling)}, admin route {@code POST /__sim/throttling}). Contract
 * section 4: since API 1.210 Dynatrace throttles by capacity and sends no rate-limit header; the
 * per-minute quota with {@code X-RateLimit-*} headers is kept only as a legacy switch for clients
 * written against the old documentation.
 */
public sealed interface Throttling {
  /** The queue time-out the reference documents: a request queued longer than this gets 429. */
  Duration DOCUMENTED_QUEUE_TIMEOUT = Duration.ofSeconds(10);

  /**
   * No throttling: every request is served at once (the Java API's default, so tests choose what
   * they meet).
   */
  static Throttling off() {
    return new Off();
  }

  /**
   * {@code parallel} requests processed at once, {@code queue} more waiting up to the documented 10
   * s.
   */
  static Throttling capacity(int parallel, int queue) {
    return new Capacity(parallel, queue, DOCUMENTED_QUEUE_TIMEOUT);
  }

  static Throttling capacity(int parallel, int queue, Duration queueTimeout) {
    return new Capacity(parallel, queue, queueTimeout);
  }

  /**
   * What the sandbox, the benchmark and the command-line simulators use. Dynatrace publishes no
   * number; an environment's pool is shared by every API client, so this is small: a client keeping
   * a few requests in flight is never refused, one that fires dozens at once is.
   */
  static Throttling realistic() {
    return capacity(8, 16);
  }

  /**
   * The pre-1.210 behaviour: a per-minute quota answered with {@code X-RateLimit-*} and {@code
   * Retry-After}.
   */
  static Throttling legacyPerMinute(int perMinute) {
    return new LegacyPerMinute(perMinute);
  }

  record Off() implements Throttling {}

  record Capacity(int parallel, int queue, Duration queueTimeout) implements Throttling {
    public Capacity {
      if (parallel < 1) {
        throw new IllegalArgumentException("parallel must be at least 1");
      }
      if (queue < 0) {
        throw new IllegalArgumentException("queue must be >= 0");
      }
      if (queueTimeout == null || queueTimeout.isNegative()) {
        throw new IllegalArgumentException("queueTimeout must be >= 0");
      }
    }
  }

  /** Fixed one-minute windows aligned to the clock's minute; 0 = no quota. */
  record LegacyPerMinute(int perMinute) implements Throttling {
    public LegacyPerMinute {
      if (perMinute < 0) {
        throw new IllegalArgumentException("perMinute must be >= 0");
      }
    }
  }
}
