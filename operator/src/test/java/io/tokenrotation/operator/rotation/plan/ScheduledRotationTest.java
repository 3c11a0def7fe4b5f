package io.tokenrotation.operator.rotation.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.api.ScheduleSpec;
import io.tokenrotation.operator.api.TokenRotationSpec;
import io.tokenrotation.operator.rotation.plan.schedule.RotationWindows;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * spec.schedule from the spec to the due time: validation messages, and when a rotation is due for
 * a token created at a given instant (daylight-saving transitions included; the cases without a
 * window have no jitter, so their instants are exact).
 */
class ScheduledRotationTest {
  private static TokenRotationSpec spec(String interval, String cron, String zone, String window) {
    TokenRotationSpec spec = Specs.minimal();
    spec.setInterval(interval);
    if (cron != null) {
      ScheduleSpec schedule = new ScheduleSpec();
      schedule.setCron(cron);
      schedule.setTimeZone(zone);
      schedule.setWindow(window);
      spec.setSchedule(schedule);
    }
    return spec;
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            "a cron that never fires",
            spec(null, "0 0 30 2 *", null, null),
            "spec.schedule.cron: schedule \"0 0 30 2 *\" never fires"),
        Arguments.of(
            "a minute out of range",
            spec(null, "61 2 * * *", null, null),
            "spec.schedule.cron: minute field \"61\""),
        Arguments.of(
            "an unknown time zone",
            spec(null, "0 2 * * *", "Mars/Olympus", null),
            "spec.schedule.timeZone: \"Mars/Olympus\" is not an IANA time zone"),
        Arguments.of(
            "a window as long as the time between runs",
            spec(null, "0 * * * *", null, "1h"),
            "spec.schedule.window: window 1h is not shorter than the 1h between runs"),
        Arguments.of(
            "neither interval nor schedule", spec(null, null, null, null), "spec.interval: "));
  }

  @ParameterizedTest(name = "{0} is refused")
  @MethodSource("invalid")
  void refused(String sentence, TokenRotationSpec spec, String problem) {
    assertThat(SpecValidator.validate(spec).problems())
        .anySatisfy(p -> assertThat(p).startsWith(problem));
  }

  static Stream<Arguments> due() {
    return Stream.of(
        Arguments.of(
            "an interval alone: creation plus the interval",
            spec("24h", null, null, null),
            "2026-06-01T10:00:00Z",
            null,
            "2026-06-01T10:00:00Z",
            "2026-06-02T10:00:00Z",
            false),
        Arguments.of(
            "a daily schedule alone: the first run after the token's creation",
            spec(null, "@daily", "UTC", null),
            "2026-06-01T10:00:00Z",
            null,
            "2026-06-01T10:00:00Z",
            "2026-06-02T00:00:00Z",
            false),
        Arguments.of(
            "a missed run without a window is caught up: due in the past means now",
            spec(null, "@daily", "UTC", null),
            "2026-06-01T10:00:00Z",
            null,
            "2026-06-05T10:00:00Z",
            "2026-06-02T00:00:00Z",
            false),
        Arguments.of(
            "02:30 Berlin on the night clocks jump from 02:00 to 03:00 runs at 03:30 CEST",
            spec(null, "30 2 * * *", "Europe/Berlin", null),
            "2026-03-28T12:00:00Z",
            null,
            "2026-03-28T12:00:00Z",
            "2026-03-29T01:30:00Z",
            false),
        Arguments.of(
            "01:30 New York on the night it happens twice runs once, at the first (EDT)",
            spec(null, "30 1 * * *", "America/New_York", null),
            "2026-10-31T12:00:00Z",
            null,
            "2026-10-31T12:00:00Z",
            "2026-11-01T05:30:00Z",
            false),
        Arguments.of(
            "and the day after, at 01:30 EST",
            spec(null, "30 1 * * *", "America/New_York", null),
            "2026-11-01T05:30:00Z",
            null,
            "2026-11-01T05:30:00Z",
            "2026-11-02T06:30:00Z",
            false),
        Arguments.of(
            "an interval with a schedule: the first run after the interval is over",
            spec("1h", "0 2 * * *", "UTC", null),
            "2026-06-01T10:00:00Z",
            null,
            "2026-06-01T10:00:00Z",
            "2026-06-02T02:00:00Z",
            false),
        Arguments.of(
            "a weekly schedule and a token that expires on Wednesday: a tenth of the week before",
            spec(null, "0 2 * * SUN", "UTC", null),
            "2026-06-01T10:00:00Z",
            "2026-06-03T12:00:00Z",
            "2026-06-01T10:00:00Z",
            "2026-06-02T19:12:00Z",
            true),
        Arguments.of(
            "a token that expires after the next run: the run",
            spec(null, "0 2 * * SUN", "UTC", null),
            "2026-06-01T10:00:00Z",
            "2026-06-30T00:00:00Z",
            "2026-06-01T10:00:00Z",
            "2026-06-07T02:00:00Z",
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("due")
  void dueAt(
      String sentence,
      TokenRotationSpec spec,
      String created,
      String expires,
      String now,
      String expected,
      boolean outsideWindow) {
    RotationWindows.Due due =
        RotationSchedule.due(
            Instant.parse(created),
            EffectiveSpec.of(spec),
            expires == null ? null : Instant.parse(expires),
            Instant.parse(now));
    assertThat(due.at()).isEqualTo(Instant.parse(expected));
    assertThat(due.outsideWindowBecauseOfExpiry()).isEqualTo(outsideWindow);
  }

  static Stream<Arguments> windows() {
    return Stream.of(
        Arguments.of(
            "inside an open window, after this resource's jitter: may start now",
            "2026-06-02T03:30:00Z",
            "2026-06-02T02:00:00Z",
            true),
        Arguments.of(
            "the window was missed: the next day's window",
            "2026-06-02T05:00:00Z",
            "2026-06-03T02:00:00Z",
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("windows")
  void windowed(String sentence, String now, String windowOpens, boolean startsNow) {
    EffectiveSpec spec = EffectiveSpec.of(spec(null, "0 2 * * *", "UTC", "2h"));
    Instant at =
        RotationSchedule.next(
            Instant.parse("2026-06-01T10:00:00Z"), spec, null, Instant.parse(now));
    Instant opens = Instant.parse(windowOpens);
    if (startsNow) {
      assertThat(at).isBeforeOrEqualTo(Instant.parse(now));
    } else {
      assertThat(at).isBetween(opens, opens.plusSeconds(3600));
    }
  }
}
