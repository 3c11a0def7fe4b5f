package io.tokenrotation.operator.dynatrace;

import java.time.Clock;

/**
 * The configured client-side limits per Dynatrace environment ({@code DYNATRACE_MAX_IN_FLIGHT},
 * {@code DYNATRACE_RATE_LIMIT_PER_MINUTE}); 0 = no limit of that kind.
 */
public record DynatraceLimits(int maxInFlight, int requestsPerMinute) {
  public static final DynatraceLimits NONE = new DynatraceLimits(0, 0);

  public DynatraceLimits {
    if (maxInFlight < 0 || requestsPerMinute < 0) {
      throw new IllegalArgumentException("limits must be >= 0");
    }
  }

  /** Fresh limits for one environment. */
  EnvironmentLimits forEnvironment(Clock clock) {
    return new EnvironmentLimits(
        maxInFlight == 0 ? InFlightLimit.UNLIMITED : new InFlightLimit(maxInFlight),
        requestsPerMinute == 0
            ? DynatraceRateLimiter.UNLIMITED
            : new DynatraceRateLimiter(requestsPerMinute, clock));
  }
}
