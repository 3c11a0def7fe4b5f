package io.tokenrotation.operator.rotation.plan.schedule;

import io.tokenrotation.operator.api.Durations;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * When a scheduled rotation may start.
 *
 * <p>Each fire time {@code f} of {@code cron} in {@code zone} opens the window {@code [f + jitter,
 * f + window)}: the jitter delays the start, the end stays put. A rotation may start at any instant
 * inside a window; one that misses a window waits for the next.
 *
 * <p>Without a window ({@code window == null}) a fire time's start {@code f + jitter} never
 * expires: a start that was missed (the operator was down) is caught up as soon as possible. There
 * is then no "rest of a window" to use either: only fire times whose start is at or after {@code
 * notBefore} count.
 *
 * @param cron the schedule; it must fire
 * @param zone the zone whose wall clock the schedule reads
 * @param window how long after each fire time a rotation may start, shorter than the shortest
 *     period of the schedule (see {@link #problem}); {@code null} for no end
 * @param jitter this resource's delay of every start ({@link #jitterFor}), zero or more and shorter
 *     than the window
 */
public record RotationWindows(CronExpression cron, ZoneId zone, Duration window, Duration jitter) {
  /** Where {@link #shortestPeriod} starts counting: fixed, so validation is reproducible. */
  static final Instant REFERENCE = Instant.parse("2026-01-01T00:00:00Z");

  private static final int PERIODS_COMPARED = 1000;
  private static final Duration MIN_WINDOW = Duration.ofMinutes(1);

  /** When a rotation is due, and whether that is early because the token expires first. */
  public record Due(Instant at, boolean outsideWindowBecauseOfExpiry) {}

  public RotationWindows {
    Objects.requireNonNull(cron, "cron");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(jitter, "jitter");
    if (jitter.isNegative()) {
      throw new IllegalArgumentException("jitter " + jitter + " is negative");
    }
    if (window != null && jitter.compareTo(window) >= 0) {
      throw new IllegalArgumentException("jitter " + jitter + " is not shorter than " + window);
    }
    if (!cron.fires()) {
      throw new IllegalArgumentException(neverFires(cron));
    }
  }

  /**
   * The earliest instant at or after {@code notBefore} at which a rotation may start; at or before
   * {@code now} means "start now".
   *
   * <p>With a window: the window of the first fire time {@code f} whose window ends after both
   * {@code notBefore} and {@code now} ({@code f + window > max(notBefore, now)}); the answer is
   * {@code max(notBefore, f + jitter)}. So when {@code now} is inside a window that is also open at
   * {@code notBefore}, the answer is {@code notBefore} or the window's start, both at or before
   * {@code now}; a window that closed before {@code now} was missed and the next one counts.
   *
   * <p>Without a window: {@code f + jitter} of the first fire time with {@code f + jitter >=
   * notBefore}, whatever {@code now} is (a missed start catches up).
   */
  public Instant nextStart(Instant notBefore, Instant now) {
    if (window == null) {
      return fireAfter(notBefore.minus(jitter).minusNanos(1)).plus(jitter);
    }
    Instant from = notBefore.isAfter(now) ? notBefore : now;
    Instant start = fireAfter(from.minus(window)).plus(jitter);
    return start.isAfter(notBefore) ? start : notBefore;
  }

  private Instant fireAfter(Instant after) {
    // Every schedule that fires at all fires once in eight years, which is how far nextAfter looks.
    return cron.nextAfter(after, zone)
        .orElseThrow(() -> new IllegalStateException(cron + " fires no more after " + after));
  }

  /**
   * The shortest time between consecutive fire times among the first 1000 after {@link #REFERENCE};
   * empty when the schedule never fires. Daylight saving time counts: {@code 0 1,3 * * *} in
   * Europe/Berlin is one hour apart on the night clocks spring forward.
   */
  public Optional<Duration> shortestPeriod() {
    return shortestPeriod(cron, zone);
  }

  private static Optional<Duration> shortestPeriod(CronExpression cron, ZoneId zone) {
    Optional<Instant> previous = cron.nextAfter(REFERENCE, zone);
    Duration shortest = null;
    for (int i = 1; i < PERIODS_COMPARED && previous.isPresent(); i++) {
      Optional<Instant> next = cron.nextAfter(previous.get(), zone);
      if (next.isPresent()) {
        Duration period = Duration.between(previous.get(), next.get());
        shortest = shortest == null || period.compareTo(shortest) < 0 ? period : shortest;
      }
      previous = next;
    }
    return Optional.ofNullable(shortest);
  }

  /**
   * What is wrong with this schedule and window, in words for a status condition: a schedule that
   * never fires; a window under a minute; a window not strictly shorter than the shortest period
   * between fire times (windows would overlap, or leave no moment outside a window). A {@code null}
   * window is fine.
   */
  public static Optional<String> problem(CronExpression cron, ZoneId zone, Duration window) {
    if (!cron.fires()) {
      return Optional.of(neverFires(cron));
    }
    if (window == null) {
      return Optional.empty();
    }
    if (window.isNegative()) {
      return Optional.of("window must not be negative");
    }
    if (window.compareTo(MIN_WINDOW) < 0) {
      return Optional.of("window " + Durations.format(window) + " is shorter than 1m");
    }
    return shortestPeriod(cron, zone)
        .filter(period -> window.compareTo(period) >= 0)
        .map(
            period ->
                "window "
                    + Durations.format(window)
                    + " is not shorter than the "
                    + Durations.format(period)
                    + " between runs of \""
                    + cron.text()
                    + "\"");
  }

  private static String neverFires(CronExpression cron) {
    return "schedule \"" + cron.text() + "\" never fires";
  }

  /**
   * When a rotation is due given the token's {@code expiration} ({@code null}: never expires):
   * {@code expiration - margin} when that comes before {@code nextStart} (the token would die
   * before the next window opens, so it is rotated outside any window), else {@code nextStart}.
   */
  public static Due expiryFallback(Instant expiration, Instant nextStart, Duration margin) {
    if (expiration != null) {
      Instant latest = expiration.minus(margin);
      if (latest.isBefore(nextStart)) {
        return new Due(latest, true);
      }
    }
    return new Due(nextStart, false);
  }

  /**
   * A stable jitter for one resource: the SHA-256 of its key (UTF-8) mapped onto whole seconds in
   * {@code [0, window / 2)}; zero without a window or for one under two seconds. Stable across
   * restarts and replicas, so a resource does not hop around its window, while a fleet sharing a
   * schedule spreads out instead of calling Dynatrace and Vault all at once. Only the first half of
   * the window is used: the second half is left for retries of a start that failed.
   */
  public static Duration jitterFor(String resourceKey, Duration window) {
    Objects.requireNonNull(resourceKey, "resourceKey");
    if (window == null || window.isNegative()) {
      return Duration.ZERO;
    }
    Duration half = window.dividedBy(2);
    long choices = half.getSeconds() + (half.getNano() > 0 ? 1 : 0);
    if (choices <= 1) {
      return Duration.ZERO;
    }
    long hash = ByteBuffer.wrap(sha256(resourceKey)).getLong();
    return Duration.ofSeconds(Math.floorMod(hash, choices));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
