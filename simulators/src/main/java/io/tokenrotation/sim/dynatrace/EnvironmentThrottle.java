package io.tokenrotation.sim.dynatrace;

import io.tokenrotation.sim.http.Admission;
import io.tokenrotation.sim.http.SimRequest;
import io.tokenrotation.sim.http.SimResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The environment's {@link Admission}: the configured {@link Throttling} applied to every API
 * request before latency, faults and the service. Capacity refusals are a bare 429 with the error
 * envelope and no header, as the real service answers since 1.210; the legacy quota adds the old
 * headers.
 */
final class EnvironmentThrottle implements Admission {
  private final CapacityGate capacity;
  private final RateLimiter legacyQuota;
  private volatile Throttling settings = Throttling.off();

  EnvironmentThrottle(Clock clock) {
    this.capacity = new CapacityGate(clock);
    this.legacyQuota = new RateLimiter(clock);
  }

  synchronized void configure(Throttling throttling) {
    if (throttling instanceof Throttling.Capacity c) {
      capacity.limit(c.parallel(), c.queue(), c.queueTimeout());
    } else {
      capacity.open();
    }
    legacyQuota.perMinute(throttling instanceof Throttling.LegacyPerMinute l ? l.perMinute() : 0);
    settings = throttling;
  }

  Throttling settings() {
    return settings;
  }

  CapacityLoad capacityLoad() {
    return capacity.load();
  }

  boolean awaitCapacityLoad(Predicate<CapacityLoad> until, Duration timeout)
      throws InterruptedException {
    return capacity.awaitLoad(until, timeout);
  }

  @Override
  public Ticket admit(SimRequest request) {
    Throttling current = settings;
    if (current instanceof Throttling.Capacity) {
      return capacity.enter() == CapacityGate.Outcome.ADMITTED
          ? Ticket.admitted(capacity::leave)
          : Ticket.refused(DynatraceErrorBodies.forStatus(429));
    }
    if (current instanceof Throttling.LegacyPerMinute) {
      RateLimiter.Decision decision = legacyQuota.tryAcquire();
      if (decision != null && !decision.allowed()) {
        return Ticket.refused(legacyTooManyRequests(decision));
      }
    }
    return Ticket.admitted(() -> {});
  }

  private static SimResponse legacyTooManyRequests(RateLimiter.Decision decision) {
    return DynatraceErrorBodies.envelope(429, DynatraceErrorBodies.defaultMessage(429), List.of())
        .withHeader("X-RateLimit-Limit", Integer.toString(decision.limit()))
        .withHeader("X-RateLimit-Remaining", Integer.toString(decision.remaining()))
        .withHeader("X-RateLimit-Reset", Long.toString(decision.resetMicros()))
        .withHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
  }
}
