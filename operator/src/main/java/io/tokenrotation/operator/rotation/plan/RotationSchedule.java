package io.tokenrotation.operator.rotation.plan;

import io.tokenrotation.operator.rotation.plan.schedule.RotationWindows;
import java.time.Duration;
import java.time.Instant;

/** When the next rotation is due. */
public final class RotationSchedule {
  private RotationSchedule() {}

  /**
   * {@code anchor + interval}, but never later than a tenth of the interval before the token
   * expires: a token with an expiry shorter than the interval is replaced before it dies, not
   * after.
   */
  public static Instant next(Instant anchor, Duration interval, Instant expiration) {
    Instant scheduled = anchor.plus(interval);
    if (expiration == null) {
      return scheduled;
    }
    Instant beforeExpiry = expiration.minus(interval.dividedBy(10));
    return beforeExpiry.isBefore(scheduled) ? beforeExpiry : scheduled;
  }

  /**
   * When the rotation after a token created at {@code anchor} is due under {@code spec}, and
   * whether that is outside the maintenance window because the token expires first (cert-manager's
   * renewal-window rule). With a schedule: without interval, the first run after {@code anchor};
   * with interval, the first moment at or after {@code anchor + interval} inside a window. A window
   * missed (the operator was down) waits for the next one, unless the token expires before that.
   * The safety margin before expiry is a tenth of the interval, or of the shortest time between
   * runs.
   */
  public static RotationWindows.Due due(
      Instant anchor, EffectiveSpec spec, Instant expiration, Instant now) {
    if (spec.schedule().isEmpty()) {
      return new RotationWindows.Due(next(anchor, spec.interval(), expiration), false);
    }
    Schedule schedule = spec.schedule().get();
    RotationWindows windows = schedule.windows(spec.vaultSlotKey());
    Instant notBefore =
        spec.interval() != null
            ? anchor.plus(spec.interval())
            : schedule.nextRun(anchor).orElse(null);
    Duration margin = (spec.interval() != null ? spec.interval() : schedule.period()).dividedBy(10);
    if (notBefore == null) { // validated to fire: only past the 8 years the search covers
      return expiration == null
          ? new RotationWindows.Due(null, false) // nothing due: wait for a change
          : new RotationWindows.Due(expiration.minus(margin), true);
    }
    return RotationWindows.expiryFallback(expiration, windows.nextStart(notBefore, now), margin);
  }

  /** {@link #due}'s instant. */
  public static Instant next(Instant anchor, EffectiveSpec spec, Instant expiration, Instant now) {
    return due(anchor, spec, expiration, now).at();
  }
}
