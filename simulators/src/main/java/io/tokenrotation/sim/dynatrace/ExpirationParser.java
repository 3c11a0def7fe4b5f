package io.tokenrotation.sim.dynatrace;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dynatrace's time-parameter grammar, used by {@code expirationDate} on create and by {@code
 * from}/{@code to} on list: UTC milliseconds, ISO-8601 ({@code T} or a space, seconds and fraction
 * optional, no zone = UTC), or relative {@code now±NU[/A]} with units m h d w M y and an optional
 * alignment that rounds down to that unit.
 */
final class ExpirationParser {
  private static final Pattern RELATIVE =
      Pattern.compile("now(?:([+-])(\\d+)([mhdwMy]))?(?:/([mhdwMy]))?");
  private static final DateTimeFormatter ISO =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd['T'][' ']HH:mm")
          .optionalStart()
          .appendPattern(":ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .optionalEnd()
          .optionalStart()
          .appendOffsetId()
          .optionalEnd()
          .toFormatter();
  private static final DateTimeFormatter OUTPUT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private ExpirationParser() {}

  /**
   * The instant {@code value} denotes at {@code now}; throws IllegalArgumentException when it is
   * none.
   */
  static Instant parse(String value, Instant now) {
    String text = value == null ? "" : value.trim();
    if (text.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    if (text.chars().allMatch(Character::isDigit)) {
      try {
        return Instant.ofEpochMilli(Long.parseLong(text));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("timestamp out of range");
      }
    }
    Matcher relative = RELATIVE.matcher(text);
    if (relative.matches()) {
      return relative(relative, now);
    }
    try {
      var parsed = ISO.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
      return parsed instanceof OffsetDateTime odt
          ? odt.toInstant()
          : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "is neither UTC milliseconds, ISO-8601 nor a relative time like now+30d");
    }
  }

  private static Instant relative(Matcher m, Instant now) {
    ZonedDateTime time = now.atZone(ZoneOffset.UTC);
    if (m.group(1) != null) {
      long amount = Long.parseLong(m.group(2)) * ("-".equals(m.group(1)) ? -1 : 1);
      time = time.plus(amount, unit(m.group(3)));
    }
    if (m.group(4) != null) {
      time = align(time, m.group(4));
    }
    return time.toInstant();
  }

  private static ChronoUnit unit(String unit) {
    return switch (unit) {
      case "m" -> ChronoUnit.MINUTES;
      case "h" -> ChronoUnit.HOURS;
      case "d" -> ChronoUnit.DAYS;
      case "w" -> ChronoUnit.WEEKS;
      case "M" -> ChronoUnit.MONTHS;
      case "y" -> ChronoUnit.YEARS;
      default -> throw new IllegalArgumentException("unknown unit " + unit);
    };
  }

  private static ZonedDateTime align(ZonedDateTime time, String unit) {
    return switch (unit) {
      case "w" -> time.truncatedTo(ChronoUnit.DAYS).minusDays(time.getDayOfWeek().getValue() - 1L);
      case "M" -> time.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
      case "y" -> time.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
      default -> time.truncatedTo(unit(unit));
    };
  }

  /** Dynatrace's output format for every v2 date: {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}. */
  static String format(Instant instant) {
    return OUTPUT.format(instant);
  }
}
