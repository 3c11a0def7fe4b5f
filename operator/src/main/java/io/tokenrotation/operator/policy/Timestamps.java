package io.tokenrotation.operator.policy;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** RFC 3339 timestamps as Kubernetes shows them (UTC, whole seconds). */
public final class Timestamps {
  private Timestamps() {}

  public static String format(Instant instant) {
    return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** Parses what {@link #format} wrote (and any ISO instant); null stays null. */
  public static Instant parse(String text) {
    return text == null || text.isBlank() ? null : Instant.parse(text);
  }
}
