package io.tokenrotation.operator.rotation.plan.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A standard five-field cron expression: minute (0-59), hour (0-23), day of month (1-31), month
 * (1-12 or JAN-DEC) and day of week (0-7 or SUN-SAT; 0 and 7 are Sunday). A field is {@code *}, a
 * number, a range {@code a-b}, a step {@code *}{@code /n}, {@code a-b/n} or {@code a/n} (meaning
 * {@code a-max/n}), or a comma-separated list of those; names are case-insensitive, and SUN ending
 * a range is 7 ({@code SAT-SUN}). Macros:
 *
 * <ul>
 *   <li>{@code @yearly} and {@code @annually}: {@code 0 0 1 1 *}
 *   <li>{@code @monthly}: {@code 0 0 1 * *}
 *   <li>{@code @weekly}: {@code 0 0 * * 0}
 *   <li>{@code @daily} and {@code @midnight}: {@code 0 0 * * *}
 *   <li>{@code @hourly}: {@code 0 * * * *}
 * </ul>
 *
 * <p>Rejected: seconds and years (six or seven fields), {@code @reboot}, Quartz's {@code ? L W #}.
 *
 * <p>Days follow Vixie cron: when both day of month and day of week are restricted, a day matches
 * when either does ({@code 0 0 13 * 5}: the 13th and every Friday); when either is {@code *} (or
 * {@code *}{@code /1}), both must. As in Kubernetes CronJobs, {@code *}{@code /2} counts as
 * restricted.
 *
 * <p>Fire times are the local date-times in a zone that match every field, turned into instants by
 * these rules for daylight saving time:
 *
 * <ul>
 *   <li>A local time in a spring-forward gap (02:30 when clocks jump from 02:00 to 03:00) fires as
 *       late after the gap as it was into it: 02:30 fires at 03:30, which is {@code
 *       ZonedDateTime.ofLocal(local, zone, null)}. When that instant is also a fire time of its own
 *       (03:30 matches too), it fires once.
 *   <li>A local time that happens twice in a fall-back overlap (01:30 when clocks go back from
 *       02:00 to 01:00) fires once, at its first occurrence (with the offset before the change). So
 *       a job every minute or hour does not run during the repeated hour: each local label fires
 *       once.
 * </ul>
 *
 * <p>The search skips whole months, days and hours that cannot match, and gives up eight years
 * ahead: enough for February 29 across a non-leap 2100, so a schedule that finds nothing in that
 * span never fires ({@code 0 0 30 2 *}).
 */
public final class CronExpression {
  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");
  private static final String FIELDS = "minute hour day-of-month month day-of-week";
  private static final int SEARCH_YEARS = 8;
  private static final Instant REFERENCE = Instant.parse("2026-01-01T00:00:00Z");

  private final String text;
  private final long minutes;
  private final long hours;
  private final long daysOfMonth;
  private final long months;
  private final long daysOfWeek;
  private final boolean eitherDay;
  private final boolean fires;

  private CronExpression(String text, String[] fields) {
    this.text = text;
    this.minutes = CronField.MINUTE.parse(fields[0]);
    this.hours = CronField.HOUR.parse(fields[1]);
    this.daysOfMonth = CronField.DAY_OF_MONTH.parse(fields[2]);
    this.months = CronField.MONTH.parse(fields[3]);
    this.daysOfWeek = CronField.DAY_OF_WEEK.parse(fields[4]);
    this.eitherDay = !CronField.isStar(fields[2]) && !CronField.isStar(fields[4]);
    // Any expression that fires at all fires at least once in every eight years.
    this.fires = nextAfter(REFERENCE, ZoneOffset.UTC).isPresent();
  }

  /**
   * The expression, or throws IllegalArgumentException with a short message fit for a status
   * condition: it names the offending field and quotes no more than that field.
   */
  public static CronExpression parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("schedule is empty");
    }
    String expression = text.strip();
    if (expression.startsWith("@")) {
      expression = macro(expression);
    }
    String[] fields = expression.split("\\s+");
    if (fields.length != 5) {
      String message = "schedule has " + fields.length + " fields, expected 5 (" + FIELDS + ")";
      boolean secondsOrYears = fields.length == 6 || fields.length == 7;
      throw new IllegalArgumentException(
          secondsOrYears ? message + "; seconds and years are not supported" : message);
    }
    return new CronExpression(text, fields);
  }

  private static String macro(String name) {
    String expansion = MACROS.get(name.toLowerCase(Locale.ROOT));
    if (expansion != null) {
      return expansion;
    }
    if (name.equalsIgnoreCase("@reboot")) {
      throw new IllegalArgumentException(
          "@reboot is not supported: a rotation runs on a schedule, not at startup");
    }
    String shown = name.length() <= CronField.SHOWN ? name : name.substring(0, 27) + "...";
    throw new IllegalArgumentException(
        "unknown macro \""
            + shown
            + "\"; use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly");
  }

  /** The text this was parsed from. */
  public String text() {
    return text;
  }

  /** Whether the expression ever fires: {@code 0 0 30 2 *} never does. */
  public boolean fires() {
    return fires;
  }

  /** The first fire time strictly after {@code after}, by the rules in the class comment. */
  public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
    ZoneRules rules = zone.getRules();
    LocalDateTime from =
        LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    // A local time in a gap fires later than the local time it is: when `after` is less than a
    // gap's length past that gap, the gap's local times (earlier than `from`) may still be ahead.
    ZoneOffsetTransition last = rules.previousTransition(after.plusNanos(1));
    if (last != null
        && last.isGap()
        && after.isBefore(last.getInstant().plus(last.getDuration()))) {
      from = last.getDateTimeBefore();
    }
    int lastYear = from.getYear() + SEARCH_YEARS;
    Instant best = null;
    for (LocalDateTime local = nextLocal(from, lastYear);
        local != null;
        local = nextLocal(local.plusMinutes(1), lastYear)) {
      ZonedDateTime zoned = ZonedDateTime.ofLocal(local, zone, null);
      Instant fire = zoned.toInstant();
      if (fire.isAfter(after)) {
        best = best == null || fire.isBefore(best) ? fire : best;
        // Local times outside gaps fire in order, and after every gap time before them: the first
        // of them past `after` ends the search. A gap time may be beaten by a later local time.
        if (zoned.toLocalDateTime().equals(local)) {
          break;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** The first local date-time at or after {@code t} (whole minutes) matching every field. */
  private LocalDateTime nextLocal(LocalDateTime t, int lastYear) {
    while (t.getYear() <= lastYear) {
      int month = nextBit(months, t.getMonthValue());
      if (month != t.getMonthValue()) {
        t =
            month < 0
                ? LocalDateTime.of(t.getYear() + 1, 1, 1, 0, 0)
                : LocalDateTime.of(t.getYear(), month, 1, 0, 0);
        continue;
      }
      if (!dayMatches(t.toLocalDate())) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
        continue;
      }
      int hour = nextBit(hours, t.getHour());
      if (hour != t.getHour()) {
        t = hour < 0 ? t.toLocalDate().plusDays(1).atStartOfDay() : t.toLocalDate().atTime(hour, 0);
        continue;
      }
      int minute = nextBit(minutes, t.getMinute());
      if (minute < 0) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
        continue;
      }
      return t.withMinute(minute);
    }
    return null;
  }

  private boolean dayMatches(LocalDate date) {
    boolean dayOfMonth = (daysOfMonth & 1L << date.getDayOfMonth()) != 0;
    boolean dayOfWeek = (daysOfWeek & 1L << date.getDayOfWeek().getValue() % 7) != 0;
    return eitherDay ? dayOfMonth || dayOfWeek : dayOfMonth && dayOfWeek;
  }

  /** The smallest set bit at or above {@code from}, or -1. */
  private static int nextBit(long bits, int from) {
    long rest = bits & -1L << from;
    return rest == 0 ? -1 : Long.numberOfTrailingZeros(rest);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CronExpression that && text.equals(that.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
