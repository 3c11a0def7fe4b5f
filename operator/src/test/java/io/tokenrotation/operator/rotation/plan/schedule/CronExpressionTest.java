package io.tokenrotation.operator.rotation.plan.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CronExpressionTest {
  private static final String NEW_YEAR = "2026-01-01T00:00:00Z";
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  /** Field forms, names and macros, seen through the fire times they give after 2026-01-01. */
  static Stream<Arguments> forms() {
    return Stream.of(
        form("every minute", "* * * * *", "00:01", "00:02", "00:03"),
        form("a single minute", "7 * * * *", "00:07", "01:07"),
        form("a range", "10-12 * * * *", "00:10", "00:11", "00:12", "01:10"),
        form("a step over everything", "*/20 * * * *", "00:20", "00:40", "01:00"),
        form("a step over a range", "10-30/10 * * * *", "00:10", "00:20", "00:30", "01:10"),
        form("a number with a step runs to the maximum", "50/5 * * * *", "00:50", "00:55", "01:50"),
        form(
            "a list of a number, a range and a step",
            "0,15-16,*/45 * * * *",
            "00:15",
            "00:16",
            "00:45",
            "01:00"),
        form("a step longer than the field picks its start", "5/90 * * * *", "00:05", "01:05"),
        form("an hour range", "0 9-10 * * *", "09:00", "10:00", "01-02T09:00"),
        form("month names in any case", "0 0 1 jan,Jul *", "07-01T00:00", "2027-01-01T00:00"),
        form("a range of month names", "0 0 1 NOV-DEC *", "11-01T00:00", "12-01T00:00"),
        form("day names in any case", "0 0 * * MON,fri", "01-02T00:00", "01-05T00:00"),
        form("a range of day names", "0 0 * * SAT-SUN", "01-03T00:00", "01-04T00:00"),
        form("SUN-SUN is Sunday only", "0 0 * * SUN-SUN", "01-04T00:00", "01-11T00:00"),
        form("0 is Sunday", "0 0 * * 0", "01-04T00:00", "01-11T00:00"),
        form("7 is Sunday", "0 0 * * 7", "01-04T00:00", "01-11T00:00"),
        form("a day range ending in 7", "0 0 * * 5-7", "01-02T00:00", "01-03T00:00", "01-04T00:00"),
        form("a day-of-month step", "0 0 */10 * *", "01-11T00:00", "01-21T00:00", "01-31T00:00"),
        form("@yearly", "@yearly", "2027-01-01T00:00"),
        form("@annually", "@annually", "2027-01-01T00:00"),
        form("@monthly", "@monthly", "02-01T00:00", "03-01T00:00"),
        form("@weekly is Sunday midnight", "@weekly", "01-04T00:00", "01-11T00:00"),
        form("@daily", "@daily", "01-02T00:00", "01-03T00:00"),
        form("@midnight", "@midnight", "01-02T00:00"),
        form("@hourly", "@hourly", "01:00", "02:00"),
        form("macros in any case", "@Daily", "01-02T00:00"),
        form("tabs and repeated spaces between fields", "0\t\t2  * *   *", "02:00", "01-02T02:00"),
        form("whitespace around the expression", " \t0 2 * * *\n", "02:00"));
  }

  /** Times written {@code HH:mm} are on 2026-01-01, {@code MM-ddTHH:mm} in 2026, all UTC. */
  private static Arguments form(String sentence, String cron, String... fires) {
    List<Instant> expected = new ArrayList<>();
    for (String fire : fires) {
      String full =
          fire.length() == 5 ? "2026-01-01T" + fire : fire.length() == 11 ? "2026-" + fire : fire;
      expected.add(Instant.parse(full + ":00Z"));
    }
    return Arguments.of(sentence, cron, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forms")
  void parsesEveryForm(String sentence, String cron, List<Instant> expected) {
    assertThat(fires(cron, ZoneOffset.UTC, NEW_YEAR, expected.size())).isEqualTo(expected);
  }

  static Stream<Arguments> rejections() {
    String longField = "1,".repeat(40) + "99";
    return Stream.of(
        Arguments.of("nothing", "", "schedule is empty"),
        Arguments.of("only whitespace", " \t ", "schedule is empty"),
        Arguments.of(
            "a minute of 60", "60 * * * *", "minute field \"60\": 60 is out of range 0-59"),
        Arguments.of("an hour of 24", "0 24 * * *", "hour field \"24\": 24 is out of range 0-23"),
        Arguments.of(
            "a day of month of 0", "0 0 0 * *", "day-of-month field \"0\": 0 is out of range 1-31"),
        Arguments.of("a month of 13", "0 0 1 13 *", "month field \"13\": 13 is out of range 1-12"),
        Arguments.of(
            "a day of week of 8", "0 0 * * 8", "day-of-week field \"8\": 8 is out of range 0-7"),
        Arguments.of(
            "a range ending out of range",
            "0-60 * * * *",
            "minute field \"0-60\": 60 is out of range 0-59"),
        Arguments.of(
            "a number too long for any range",
            "99999999999 * * * *",
            "minute field \"99999999999\": 99999999999 is out of range 0-59"),
        Arguments.of(
            "a backwards range", "0 5-3 * * *", "hour field \"5-3\": range 5-3 is backwards"),
        Arguments.of("a step of 0", "*/0 * * * *", "minute field \"*/0\": step must be at least 1"),
        Arguments.of(
            "two steps", "*/5/2 * * * *", "minute field \"*/5/2\": \"*/5/2\" has more than one /"),
        Arguments.of(
            "a range of three",
            "1-2-3 * * * *",
            "minute field \"1-2-3\": \"1-2-3\" is not a range"),
        Arguments.of(
            "a range without its end",
            "1- * * * *",
            "minute field \"1-\": \"1-\" is missing a number"),
        Arguments.of(
            "a negative number", "-1 * * * *", "minute field \"-1\": \"-1\" is missing a number"),
        Arguments.of(
            "an empty list element", "1,,2 * * * *", "minute field \"1,,2\": empty list element"),
        Arguments.of("a trailing comma", "1, * * * *", "minute field \"1,\": empty list element"),
        Arguments.of("a word", "x * * * *", "minute field \"x\": \"x\" is not a number"),
        Arguments.of(
            "a month name in the minute field",
            "JAN * * * *",
            "minute field \"JAN\": \"JAN\" is not a number"),
        Arguments.of(
            "an unknown month name",
            "0 0 1 FOO *",
            "month field \"FOO\": \"FOO\" is not a number or month name (JAN-DEC)"),
        Arguments.of(
            "a day name spelled out",
            "0 0 * * MONDAY",
            "day-of-week field \"MONDAY\": \"MONDAY\" is not a number or day name (SUN-SAT)"),
        Arguments.of(
            "Quartz's ?", "0 0 ? * MON", "day-of-month field \"?\": ? is not supported; use *"),
        Arguments.of(
            "Quartz's L", "0 0 L * *", "day-of-month field \"L\": L (last day) is not supported"),
        Arguments.of(
            "Quartz's last weekday",
            "0 0 * * 5L",
            "day-of-week field \"5L\": L (last day) is not supported"),
        Arguments.of(
            "Quartz's W",
            "0 0 15W * *",
            "day-of-month field \"15W\": W (nearest weekday) is not supported"),
        Arguments.of(
            "Quartz's #",
            "0 0 * * 5#3",
            "day-of-week field \"5#3\": # (nth weekday of the month) is not supported"),
        Arguments.of(
            "six fields (seconds)",
            "0 0 0 * * *",
            "schedule has 6 fields, expected 5 (minute hour day-of-month month day-of-week);"
                + " seconds and years are not supported"),
        Arguments.of(
            "seven fields (seconds and years)",
            "0 0 0 * * * 2026",
            "schedule has 7 fields, expected 5 (minute hour day-of-month month day-of-week);"
                + " seconds and years are not supported"),
        Arguments.of(
            "four fields",
            "0 0 * *",
            "schedule has 4 fields, expected 5 (minute hour day-of-month month day-of-week)"),
        Arguments.of(
            "@reboot",
            "@reboot",
            "@reboot is not supported: a rotation runs on a schedule, not at startup"),
        Arguments.of(
            "an unknown macro",
            "@fortnightly",
            "unknown macro \"@fortnightly\"; use @yearly, @annually, @monthly, @weekly, @daily,"
                + " @midnight or @hourly"),
        Arguments.of(
            "a macro with a field after it",
            "@daily 5",
            "unknown macro \"@daily 5\"; use @yearly, @annually, @monthly, @weekly, @daily,"
                + " @midnight or @hourly"),
        Arguments.of(
            "a long field is quoted in part only",
            longField + " * * * *",
            "minute field \"1,1,1,1,1,1,1,1,1,1,1,1,1,1...\": 99 is out of range 0-59"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejections")
  void rejects(String sentence, String cron, String message) {
    assertThatThrownBy(() -> CronExpression.parse(cron))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> CronExpression.parse(null)).hasMessage("schedule is empty");
  }

  /** Fire times as instants: {@code after} and every expected time are UTC. */
  static Stream<Arguments> nextFires() {
    return Stream.of(
        next("every minute: the next whole minute", "* * * * *", "10:00:30", "10:01"),
        next("strictly after: at a fire time, the next one", "0 * * * *", "10:00", "11:00"),
        next("every quarter hour", "*/15 * * * *", "10:07", "10:15", "10:30"),
        next("hourly", "0 * * * *", "10:00:01", "11:00", "12:00"),
        next("daily at 02:30, later that day", "30 2 * * *", "01:00", "02:30", "05-11T02:30"),
        next("daily at 02:30, from 02:30: tomorrow", "30 2 * * *", "02:30", "05-11T02:30"),
        next(
            "day of month and day of week both restricted: the 13th or a Friday",
            "0 0 13 * 5",
            "2026-04-01T00:00",
            "2026-04-03T00:00",
            "2026-04-10T00:00",
            "2026-04-13T00:00",
            "2026-04-17T00:00"),
        next(
            "a day-of-month step is restricted too: the 1st, 11th, 21st, 31st or a Monday",
            "0 0 */10 * 1",
            "2026-04-01T00:00",
            "2026-04-06T00:00",
            "2026-04-11T00:00",
            "2026-04-13T00:00",
            "2026-04-20T00:00",
            "2026-04-21T00:00"),
        next(
            "day of week *: the 13th only",
            "0 0 13 * *",
            "2026-04-01T00:00",
            "2026-04-13T00:00",
            "2026-05-13T00:00"),
        next(
            "day of month *: Fridays only",
            "0 0 * * 5",
            "2026-04-01T00:00",
            "2026-04-03T00:00",
            "2026-04-10T00:00"),
        next(
            "the 31st skips the short months",
            "0 0 31 * *",
            "2026-04-01T00:00",
            "2026-05-31T00:00",
            "2026-07-31T00:00"),
        next(
            "a month name",
            "0 12 1 MAR *",
            "2026-04-01T00:00",
            "2027-03-01T12:00",
            "2028-03-01T12:00"),
        next(
            "February 29 waits for a leap year",
            "0 0 29 2 *",
            "2026-03-01T00:00",
            "2028-02-29T00:00",
            "2032-02-29T00:00"),
        next(
            "February 29 across 2100, which is no leap year",
            "0 0 29 2 *",
            "2097-01-01T00:00",
            "2104-02-29T00:00"),
        next("February 30 never fires", "0 0 30 2 *", "2026-03-01T00:00"),
        next("April 31 never fires", "0 0 31 4 *", "2026-03-01T00:00"),
        next("the 31st of short months never fires", "0 0 31 2,4,6,9,11 *", "2026-01-01T00:00"));
  }

  /** {@code HH:mm[:ss]} is on 2026-05-10, {@code MM-ddTHH:mm} in 2026; all UTC. */
  private static Arguments next(String sentence, String cron, String after, String... fires) {
    List<Instant> expected = new ArrayList<>();
    for (String fire : fires) {
      expected.add(may10(fire));
    }
    return Arguments.of(sentence, cron, may10(after), expected);
  }

  private static Instant may10(String time) {
    String full =
        time.length() <= 8 ? "2026-05-10T" + time : time.length() == 11 ? "2026-" + time : time;
    return Instant.parse(full.length() == 16 ? full + ":00Z" : full + "Z");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nextFires")
  void nextAfter(String sentence, String cron, Instant after, List<Instant> expected) {
    assertThat(fires(cron, ZoneOffset.UTC, after.toString(), Math.max(expected.size(), 1)))
        .isEqualTo(expected);
  }

  /**
   * Daylight saving time. Berlin 2026: 02:00 CET becomes 03:00 CEST on 29 March (01:00Z), 03:00
   * CEST becomes 02:00 CET on 25 October (01:00Z). New York 2026: 02:00 EST becomes 03:00 EDT on 8
   * March (07:00Z), 02:00 EDT becomes 01:00 EST on 1 November (06:00Z). Lord Howe: 02:00 becomes
   * 02:30 (+11:00) on 4 October 2026 (15:30Z the day before). Every time here is UTC.
   */
  static Stream<Arguments> daylightSaving() {
    return Stream.of(
        Arguments.of(
            "Berlin, spring: 02:30 does not exist and fires at 03:30 CEST; the day after at 02:30",
            "30 2 * * *",
            BERLIN,
            "2026-03-28T12:00:00Z",
            List.of("2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z")),
        Arguments.of(
            "Berlin, spring: hourly gives 01:00, 03:00, 04:00 (02:00 becomes 03:00, once)",
            "0 * * * *",
            BERLIN,
            "2026-03-28T23:30:00Z",
            List.of("2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z")),
        Arguments.of(
            "Berlin, spring: from the moved 02:30 (03:30 CEST) the next fire is the next day",
            "30 2 * * *",
            BERLIN,
            "2026-03-29T01:30:00Z",
            List.of("2026-03-30T00:30:00Z")),
        Arguments.of(
            "Berlin, autumn: 02:30 happens twice and fires once, at 02:30 CEST",
            "30 2 * * *",
            BERLIN,
            "2026-10-24T12:00:00Z",
            List.of("2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z")),
        Arguments.of(
            "Berlin, autumn: between the two 02:30s the next fire is the next day",
            "30 2 * * *",
            BERLIN,
            "2026-10-25T00:45:00Z",
            List.of("2026-10-26T01:30:00Z")),
        Arguments.of(
            "Berlin, autumn: hourly fires once per hour label (02:00 CEST, then 03:00 CET)",
            "0 * * * *",
            BERLIN,
            "2026-10-24T22:30:00Z",
            List.of("2026-10-24T23:00:00Z", "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z")),
        Arguments.of(
            "Berlin, autumn: every minute pauses during the repeated hour",
            "* * * * *",
            BERLIN,
            "2026-10-25T00:58:00Z",
            List.of("2026-10-25T00:59:00Z", "2026-10-25T02:00:00Z")),
        Arguments.of(
            "New York, spring: 02:30 fires at 03:30 EDT; the day after at 02:30 EDT",
            "30 2 * * *",
            NEW_YORK,
            "2026-03-07T12:00:00Z",
            List.of("2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z")),
        Arguments.of(
            "New York, autumn: 01:30 fires once, at 01:30 EDT; the day after at 01:30 EST",
            "30 1 * * *",
            NEW_YORK,
            "2026-10-31T12:00:00Z",
            List.of("2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z")),
        Arguments.of(
            "New York, autumn: hourly fires 00:00 EDT, 01:00 EDT, 02:00 EST",
            "0 * * * *",
            NEW_YORK,
            "2026-11-01T03:30:00Z",
            List.of("2026-11-01T04:00:00Z", "2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z")),
        Arguments.of(
            "Lord Howe's half-hour gap: 02:20 moves to 02:50, after 02:40",
            "20,40 2 * * *",
            ZoneId.of("Australia/Lord_Howe"),
            "2026-10-03T12:00:00Z",
            List.of("2026-10-03T15:40:00Z", "2026-10-03T15:50:00Z", "2026-10-04T15:20:00Z")),
        Arguments.of(
            "Lord Howe: from 02:45, the moved 02:20 is still ahead",
            "20,40 2 * * *",
            ZoneId.of("Australia/Lord_Howe"),
            "2026-10-03T15:45:00Z",
            List.of("2026-10-03T15:50:00Z")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("daylightSaving")
  void daylightSaving(
      String sentence, String cron, ZoneId zone, String after, List<String> expected) {
    assertThat(fires(cron, zone, after, expected.size()))
        .isEqualTo(expected.stream().map(Instant::parse).toList());
  }

  static Stream<Arguments> firing() {
    return Stream.of(
        Arguments.of("every minute fires", "* * * * *", true),
        Arguments.of("February 29 fires", "0 0 29 2 *", true),
        Arguments.of("February 30 never fires", "0 0 30 2 *", false),
        Arguments.of("April 31 never fires", "0 0 31 4 *", false),
        Arguments.of("February 30 or any Monday fires", "0 0 30 2 1", true),
        Arguments.of(
            "February 30 with a day of week of */1 (so both must match)", "0 0 30 2 */1", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("firing")
  void fires(String sentence, String cron, boolean fires) {
    assertThat(CronExpression.parse(cron).fires()).isEqualTo(fires);
  }

  @Test
  void keepsItsText() {
    CronExpression cron = CronExpression.parse(" @daily ");
    assertThat(cron.text()).isEqualTo(" @daily ");
    assertThat(cron).hasToString(" @daily ").isEqualTo(CronExpression.parse(" @daily "));
  }

  private static List<Instant> fires(String cron, ZoneId zone, String after, int count) {
    CronExpression expression = CronExpression.parse(cron);
    List<Instant> fires = new ArrayList<>();
    Optional<Instant> next = expression.nextAfter(Instant.parse(after), zone);
    while (next.isPresent() && fires.size() < count) {
      fires.add(next.get());
      next = expression.nextAfter(next.get(), zone);
    }
    return fires;
  }
}
