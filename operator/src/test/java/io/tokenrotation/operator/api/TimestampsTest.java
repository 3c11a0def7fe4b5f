package io.tokenrotation.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimestampsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "2025-03-01T12:00:00Z, 2025-03-01T12:00:00Z",
    "2025-03-01T12:00:00.999Z, 2025-03-01T12:00:00Z",
    "2025-03-01T12:00:00.123456789Z, 2025-03-01T12:00:00Z"
  })
  void formatsWholeSecondsUtc(String instant, String expected) {
    assertThat(Timestamps.format(Instant.parse(instant))).isEqualTo(expected);
  }

  @Test
  void nullAndBlankStayNull() {
    assertThat(Timestamps.format(null)).isNull();
    assertThat(Timestamps.parse(null)).isNull();
    assertThat(Timestamps.parse(" ")).isNull();
  }

  @Test
  void parsesWhatItFormats() {
    Instant t = Instant.parse("2025-03-01T12:00:00Z");
    assertThat(Timestamps.parse(Timestamps.format(t))).isEqualTo(t);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a whole second in UTC | 2025-03-01T12:00:00Z",
        "the first second of the epoch | 1970-01-01T00:00:00Z",
        "a leap day | 2024-02-29T23:59:59Z",
        "before the epoch | 1969-12-31T23:59:59Z",
        "a fraction | 2025-03-01T12:00:00.5Z",
        "a leap second | 2016-12-31T23:59:60Z",
        "midnight as hour 24 | 2025-03-01T24:00:00Z",
        "lower-case separators | 2025-03-01t12:00:00z",
      })
  void readsEveryInstantAsTheStandardParserDoes(String sentence, String text) {
    assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(text));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "February 30th | 2025-02-30T12:00:00Z",
        "February 29th outside a leap year | 2025-02-29T12:00:00Z",
        "month 13 | 2025-13-01T12:00:00Z",
        "minute 60 | 2025-03-01T12:60:00Z",
        "a letter in the year | 20x5-03-01T12:00:00Z",
        "a space for the T | 2025-03-01 12:00:00Z",
      })
  void refusesWhatTheStandardParserRefuses(String sentence, String text) {
    assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(DateTimeParseException.class);
  }
}
