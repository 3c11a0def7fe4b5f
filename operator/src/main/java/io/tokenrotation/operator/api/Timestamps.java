package io.tokenrotation.operator.api;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
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

  /**
   * Parses what {@link #format} wrote (and any ISO instant); null stays null. Status timestamps are
   * read on every reconcile, and {@code Instant.parse} was a tenth of a rotation's CPU time in the
   * benchmark: the form {@link #format} writes is read directly, anything else (fractions, offsets,
   * invalid dates) the standard way, with its errors.
   */
  public static Instant parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    Instant whole = wholeSecondsUtc(text);
    return whole != null ? whole : Instant.parse(text);
  }

  /** {@code yyyy-MM-ddTHH:mm:ssZ} with a valid date and time, or null. */
  private static Instant wholeSecondsUtc(String t) {
    if (t.length() != 20
        || t.charAt(4) != '-'
        || t.charAt(7) != '-'
        || t.charAt(10) != 'T'
        || t.charAt(13) != ':'
        || t.charAt(16) != ':'
        || t.charAt(19) != 'Z') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 7);
    int day = digits(t, 8, 10);
    int hour = digits(t, 11, 13);
    int minute = digits(t, 14, 16);
    int second = digits(t, 17, 19);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > YearMonth.of(year, month).lengthOfMonth()
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return null;
    }
    long days = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(days * 86_400L + hour * 3_600L + minute * 60L + second);
  }

  /** The decimal number in {@code t[from, to)}, or -1 if a character is not a digit. */
  private static int digits(String t, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
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
