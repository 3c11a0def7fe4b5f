package io.tokenrotation.operator.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** RFC 3339 timestamps as Kubernetes shows them (UTC, whole seconds). */
public final class Timestamps {
  private Timestamps() {}

  public static String format(Instant instant) {
    return instant == null
        ? null
        : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** Parses what {@link #format} wrote (and any ISO instant); null stays null. */
  public static Instant parse(String text) {
    return text == null || text.isBlank() ? null : Instant.parse(text);
  }

  /**
   * How long to wait until {@code wakeAt}, at least one second: a reschedule of zero or less would
   * make the framework reconcile again at once, in a loop, when a time is already due.
   */
  public static Duration delayUntil(Instant now, Instant wakeAt) {
    Duration d = Duration.between(now, wakeAt);
    return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
  }
}
