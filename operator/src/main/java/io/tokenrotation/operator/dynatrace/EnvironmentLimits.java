package io.tokenrotation.operator.dynatrace;

/**
 * The client-side limits of one Dynatrace environment, shared by all its clients whatever their
 * management token: requests in flight (what Dynatrace throttles on) and, optionally, requests per
 * minute.
 */
public record EnvironmentLimits(InFlightLimit inFlight, DynatraceRateLimiter perMinute) {
  public static final EnvironmentLimits NONE =
      new EnvironmentLimits(InFlightLimit.UNLIMITED, DynatraceRateLimiter.UNLIMITED);
}
