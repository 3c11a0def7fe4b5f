package io.tokenrotation.sim.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests can move: the real time plus an offset, or a fixed instant. Thread-safe. */
public final class SettableClock extends Clock {
  private volatile Duration offset = Duration.ZERO;
  private volatile Instant fixed;

  public void advance(Duration by) {
    if (fixed != null) {
      fixed = fixed.plus(by);
    } else {
      offset = offset.plus(by);
    }
  }

  public void fix(Instant instant) {
    this.fixed = instant;
  }

  @Override
  public Instant instant() {
    Instant f = fixed;
    return f != null ? f : Instant.now().plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
