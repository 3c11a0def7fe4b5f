package io.tokenrotation.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("minutes", "90m", Duration.ofMinutes(90)),
        Arguments.of("hours", "24h", Duration.ofHours(24)),
        Arguments.of("days", "7d", Duration.ofDays(7)),
        Arguments.of("week", "1w", Duration.ofDays(7)),
        Arguments.of("compound", "1h30m", Duration.ofMinutes(90)),
        Arguments.of("fraction", "1.5h", Duration.ofMinutes(90)),
        Arguments.of("milliseconds", "500ms", Duration.ofMillis(500)),
        Arguments.of("seconds", "45s", Duration.ofSeconds(45)),
        Arguments.of("microseconds (us)", "1500us", Duration.ofNanos(1_500_000)),
        Arguments.of("microseconds (µs)", "2µs", Duration.ofNanos(2_000)),
        Arguments.of("nanoseconds", "7ns", Duration.ofNanos(7)),
        Arguments.of("week and days", "1w2d", Duration.ofDays(9)),
        Arguments.of("zero", "0s", Duration.ZERO));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("valid")
  void parses(String name, String text, Duration expected) {
    assertThat(Durations.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "rejects \"{0}\"")
  @ValueSource(
      strings = {"", "1", "h", "-1h", "1y", "10 m", " 1h", "1h ", "1.h", ".5h", "1H", "1hh", "P1D"})
  void rejects(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a duration");
  }

  @ParameterizedTest(name = "rejects null")
  @NullSource
  void rejectsNull(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "rejects absurdly long {0}")
  @ValueSource(strings = {"36501d", "100000w", "99999999999999h"})
  void rejectsMoreThanAHundredYears(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than 100 years");
  }

  static Stream<Arguments> formatted() {
    return Stream.of(
        Arguments.of("hours and minutes", Duration.ofMinutes(90), "1h30m"),
        Arguments.of("whole days", Duration.ofDays(7), "7d"),
        Arguments.of("seconds", Duration.ofSeconds(45), "45s"),
        Arguments.of("minute", Duration.ofMinutes(1), "1m"),
        Arguments.of("every unit", Duration.ofSeconds(86_400 + 3600 + 60 + 1), "1d1h1m1s"),
        Arguments.of("sub-second", Duration.ofMillis(500), "500ms"),
        Arguments.of("zero", Duration.ZERO, "0ms"));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("formatted")
  void formats(String name, Duration duration, String expected) {
    assertThat(Durations.format(duration)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "round trip {0}")
  @ValueSource(strings = {"90m", "24h", "7d", "1h30m", "45s", "1d1h1m1s"})
  void formatParsesBack(String text) {
    Duration d = Durations.parse(text);
    assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
  }
}
