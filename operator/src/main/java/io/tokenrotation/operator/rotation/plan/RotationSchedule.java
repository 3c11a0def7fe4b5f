package io.tokenrotation.operator.rotation.plan;

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
}
