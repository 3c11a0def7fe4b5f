package io.tokenrotation.operator.rotation.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RotationScheduleTest {
  private static final Instant ANCHOR = Instant.parse("2025-03-01T12:00:00Z");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "no expiry: anchor + interval",
            Duration.ofHours(24),
            null,
            ANCHOR.plus(Duration.ofHours(24))),
        Arguments.of(
            "expiry long after the schedule: anchor + interval",
            Duration.ofDays(1),
            ANCHOR.plus(Duration.ofDays(30)),
            ANCHOR.plus(Duration.ofDays(1))),
        Arguments.of(
            "expiry exactly interval*1.1 away: schedule and margin coincide",
            Duration.ofDays(10),
            ANCHOR.plus(Duration.ofDays(11)),
            ANCHOR.plus(Duration.ofDays(10))),
        Arguments.of(
            "expiry just after the schedule: a tenth of the interval before expiry",
            Duration.ofDays(10),
            ANCHOR.plus(Duration.ofHours(246)),
            ANCHOR.plus(Duration.ofHours(222))),
        Arguments.of(
            "expiry before anchor + interval: a tenth of the interval before expiry",
            Duration.ofDays(10),
            ANCHOR.plus(Duration.ofDays(5)),
            ANCHOR.plus(Duration.ofDays(4))),
        Arguments.of(
            "already expired: in the past, so due at once",
            Duration.ofHours(10),
            ANCHOR.minus(Duration.ofHours(1)),
            ANCHOR.minus(Duration.ofHours(2))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void next(String name, Duration interval, Instant expiration, Instant expected) {
    assertThat(RotationSchedule.next(ANCHOR, interval, expiration)).isEqualTo(expected);
  }
}
