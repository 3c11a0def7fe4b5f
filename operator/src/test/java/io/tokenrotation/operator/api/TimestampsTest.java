package io.tokenrotation.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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
}
