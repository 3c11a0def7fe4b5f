package io.tokenrotation.operator.rotation.plan.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrotation.operator.api.Durations;
import io.tokenrotation.operator.rotation.plan.schedule.RotationWindows.Due;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RotationWindowsTest {
  private static final CronExpression TWO_AM = CronExpression.parse("0 2 * * *");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Duration TWO_HOURS = Duration.ofHours(2);
  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

  /** {@code 0 2 * * *} in UTC; {@code HH:mm} is on 2026-05-10, {@code +1 HH:mm} the day after. */
  static Stream<Arguments> starts() {
    return Stream.of(
        start("before the window: its start", TWO_HOURS, null, "01:00", "00:30", "02:00"),
        start(
            "inside the window: notBefore, which is before now (start now)",
            TWO_HOURS,
            null,
            "02:30",
            "02:40",
            "02:30"),
        start(
            "inside the window, notBefore before it: the window's start (start now)",
            TWO_HOURS,
            null,
            "01:00",
            "02:30",
            "02:00"),
        start("the window was missed: the next one", TWO_HOURS, null, "01:00", "05:00", "+1 02:00"),
        start("notBefore after today's window", TWO_HOURS, null, "05:00", "05:00", "+1 02:00"),
        start("a window's end is not in it", TWO_HOURS, null, "01:00", "04:00", "+1 02:00"),
        start("the last minute of a window", TWO_HOURS, null, "01:00", "03:59", "02:00"),
        start(
            "notBefore later today, inside the window: notBefore",
            TWO_HOURS,
            null,
            "03:00",
            "00:00",
            "03:00"),
        start("no window: a missed start catches up", null, null, "01:00", "05:00", "02:00"),
        start("no window: at the fire time", null, null, "02:00", "00:00", "02:00"),
        start(
            "no window: notBefore after the fire waits for the next",
            null,
            null,
            "02:30",
            "02:40",
            "+1 02:00"),
        start("jitter delays the start", TWO_HOURS, TEN_MINUTES, "01:00", "00:00", "02:10"),
        start(
            "jitter: between the fire time and the jittered start",
            TWO_HOURS,
            TEN_MINUTES,
            "02:05",
            "02:05",
            "02:10"),
        start(
            "jitter: inside the jittered window, notBefore",
            TWO_HOURS,
            TEN_MINUTES,
            "02:30",
            "02:40",
            "02:30"),
        start(
            "jitter does not move the window's end",
            TWO_HOURS,
            TEN_MINUTES,
            "01:00",
            "04:00",
            "+1 02:10"),
        start(
            "no window, jitter: a missed jittered start catches up",
            null,
            TEN_MINUTES,
            "01:00",
            "05:00",
            "02:10"),
        start(
            "no window, jitter: notBefore between fire time and jittered start",
            null,
            TEN_MINUTES,
            "02:05",
            "02:05",
            "02:10"));
  }

  private static Arguments start(
      String sentence,
      Duration window,
      Duration jitter,
      String notBefore,
      String now,
      String expected) {
    return Arguments.of(
        sentence,
        window,
        jitter == null ? Duration.ZERO : jitter,
        at(notBefore),
        at(now),
        at(expected));
  }

  private static Instant at(String time) {
    boolean nextDay = time.startsWith("+1 ");
    String clock = nextDay ? time.substring(3) : time;
    return Instant.parse((nextDay ? "2026-05-11T" : "2026-05-10T") + clock + ":00Z");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("starts")
  void nextStart(
      String sentence,
      Duration window,
      Duration jitter,
      Instant notBefore,
      Instant now,
      Instant expected) {
    RotationWindows windows = new RotationWindows(TWO_AM, ZoneOffset.UTC, window, jitter);
    assertThat(windows.nextStart(notBefore, now)).isEqualTo(expected);
  }

  @Test
  void nextStartFollowsTheScheduleThroughAGap() {
    // 02:30 does not exist in Berlin on 2026-03-29: its window opens at 03:30 CEST (01:30Z).
    RotationWindows windows =
        new RotationWindows(
            CronExpression.parse("30 2 * * *"), BERLIN, Duration.ofHours(1), Duration.ZERO);
    Instant midnightUtc = Instant.parse("2026-03-29T00:00:00Z");
    assertThat(windows.nextStart(midnightUtc, midnightUtc))
        .isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
  }

  static Stream<Arguments> expiries() {
    Instant next = Instant.parse("2026-05-11T02:00:00Z");
    Duration margin = Duration.ofHours(1);
    return Stream.of(
        Arguments.of("no expiry: the window", null, next, margin, new Due(next, false)),
        Arguments.of(
            "expiry long after the window: the window",
            next.plus(Duration.ofDays(30)),
            next,
            margin,
            new Due(next, false)),
        Arguments.of(
            "expiry minus margin exactly at the window: the window",
            next.plus(margin),
            next,
            margin,
            new Due(next, false)),
        Arguments.of(
            "expiry minus margin before the window: rotate before it, outside any window",
            next.plus(Duration.ofMinutes(30)),
            next,
            margin,
            new Due(next.minus(Duration.ofMinutes(30)), true)),
        Arguments.of(
            "already expired: due in the past, so at once",
            next.minus(Duration.ofDays(1)),
            next,
            margin,
            new Due(next.minus(Duration.ofDays(1)).minus(margin), true)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expiries")
  void expiryFallback(
      String sentence, Instant expiration, Instant nextStart, Duration margin, Due expected) {
    assertThat(RotationWindows.expiryFallback(expiration, nextStart, margin)).isEqualTo(expected);
  }

  static Stream<Arguments> problems() {
    return Stream.of(
        problem("a daily schedule and a 2h window", "0 2 * * *", "UTC", "2h", null),
        problem("no window", "0 * * * *", "UTC", null, null),
        problem(
            "a schedule that never fires",
            "0 0 30 2 *",
            "UTC",
            "1h",
            "schedule \"0 0 30 2 *\" never fires"),
        problem(
            "a schedule that never fires, without a window",
            "0 0 31 4 *",
            "UTC",
            null,
            "schedule \"0 0 31 4 *\" never fires"),
        problem(
            "a window longer than the period",
            "0 * * * *",
            "UTC",
            "2h",
            "window 2h is not shorter than the 1h between runs of \"0 * * * *\""),
        problem(
            "a window as long as the period",
            "0 * * * *",
            "UTC",
            "1h",
            "window 1h is not shorter than the 1h between runs of \"0 * * * *\""),
        problem("a window just shorter than the period", "0 * * * *", "UTC", "59m", null),
        problem(
            "the shortest period counts, not the usual one",
            "0 2 * * 1,2",
            "UTC",
            "2d",
            "window 2d is not shorter than the 1d between runs of \"0 2 * * 1,2\""),
        problem(
            "daylight saving time shortens a period: 01:00 to 03:00 is 1h on 2026-03-29",
            "0 1,3 * * *",
            "Europe/Berlin",
            "90m",
            "window 1h30m is not shorter than the 1h between runs of \"0 1,3 * * *\""),
        problem("the same schedule in UTC is 2h apart", "0 1,3 * * *", "UTC", "90m", null),
        problem(
            "a window under a minute", "0 2 * * *", "UTC", "30s", "window 30s is shorter than 1m"),
        problem("a window of zero", "0 2 * * *", "UTC", "0s", "window 0ms is shorter than 1m"),
        problem(
            "a window of a minute",
            "* * * * *",
            "UTC",
            "1m",
            "window 1m is not shorter than the 1m between runs of \"* * * * *\""));
  }

  private static Arguments problem(
      String sentence, String cron, String zone, String window, String expected) {
    return Arguments.of(
        sentence,
        CronExpression.parse(cron),
        ZoneId.of(zone),
        window == null ? null : Durations.parse(window),
        Optional.ofNullable(expected));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void problem(
      String sentence,
      CronExpression cron,
      ZoneId zone,
      Duration window,
      Optional<String> expected) {
    assertThat(RotationWindows.problem(cron, zone, window)).isEqualTo(expected);
  }

  @Test
  void aNegativeWindowIsAProblem() {
    assertThat(RotationWindows.problem(TWO_AM, ZoneOffset.UTC, Duration.ofMinutes(-5)))
        .contains("window must not be negative");
  }

  static Stream<Arguments> periods() {
    return Stream.of(
        Arguments.of("hourly", "0 * * * *", "UTC", Optional.of(Duration.ofHours(1))),
        Arguments.of(
            "every quarter hour", "*/15 * * * *", "UTC", Optional.of(Duration.ofMinutes(15))),
        Arguments.of("weekdays at 02:00", "0 2 * * 1-5", "UTC", Optional.of(Duration.ofDays(1))),
        Arguments.of(
            "February 29: four years", "0 0 29 2 *", "UTC", Optional.of(Duration.ofDays(1461))),
        Arguments.of(
            "hourly in Berlin: the repeated hour makes a gap, never a shorter period",
            "0 * * * *",
            "Europe/Berlin",
            Optional.of(Duration.ofHours(1))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("periods")
  void shortestPeriod(String sentence, String cron, String zone, Optional<Duration> expected) {
    RotationWindows windows =
        new RotationWindows(CronExpression.parse(cron), ZoneId.of(zone), null, Duration.ZERO);
    assertThat(windows.shortestPeriod()).isEqualTo(expected);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            "a negative jitter",
            TWO_AM,
            TWO_HOURS,
            Duration.ofSeconds(-1),
            "jitter PT-1S is negative"),
        Arguments.of(
            "a jitter as long as the window",
            TWO_AM,
            TWO_HOURS,
            TWO_HOURS,
            "jitter PT2H is not shorter than PT2H"),
        Arguments.of(
            "a schedule that never fires",
            CronExpression.parse("0 0 30 2 *"),
            null,
            Duration.ZERO,
            "schedule \"0 0 30 2 *\" never fires"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejects(
      String sentence, CronExpression cron, Duration window, Duration jitter, String message) {
    assertThatThrownBy(() -> new RotationWindows(cron, ZoneOffset.UTC, window, jitter))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  static Stream<Arguments> jitters() {
    return Stream.of(
        Arguments.of("a 2h window", "team-a/dynatrace-token", TWO_HOURS, Duration.ofSeconds(8)),
        Arguments.of("another key", "b", TWO_HOURS, Duration.ofSeconds(25 * 60 + 46)),
        Arguments.of("no window: none", "b", null, Duration.ZERO),
        Arguments.of("a 1s window: none", "b", Duration.ofSeconds(1), Duration.ZERO),
        Arguments.of("a 2s window: only 0 is under 1s", "b", Duration.ofSeconds(2), Duration.ZERO));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jitters")
  void jitterFor(String sentence, String key, Duration window, Duration expected) {
    assertThat(RotationWindows.jitterFor(key, window)).isEqualTo(expected);
    assertThat(RotationWindows.jitterFor(key, window)).as("stable").isEqualTo(expected);
  }

  @Test
  void jitterStaysInTheFirstHalfOfTheWindowInWholeSecondsAndSpreadsOut() {
    Duration window = Duration.ofHours(1);
    Set<Duration> seen = new HashSet<>();
    IntStream.range(0, 1000)
        .mapToObj(i -> RotationWindows.jitterFor("namespace-" + i % 7 + "/token-" + i, window))
        .forEach(
            jitter -> {
              assertThat(jitter).isBetween(Duration.ZERO, Duration.ofMinutes(30).minusSeconds(1));
              assertThat(jitter.getNano()).isZero();
              seen.add(jitter);
            });
    // 1000 keys onto 1800 seconds: about 770 distinct values if spread evenly.
    assertThat(seen).hasSizeGreaterThan(600);
  }

  @Test
  void jitterOfAShortOddWindowCanBeOneSecond() {
    Set<Duration> seen = new HashSet<>();
    IntStream.range(0, 100)
        .forEach(i -> seen.add(RotationWindows.jitterFor("key-" + i, Duration.ofSeconds(3))));
    assertThat(seen).containsExactlyInAnyOrder(Duration.ZERO, Duration.ofSeconds(1));
  }
}
