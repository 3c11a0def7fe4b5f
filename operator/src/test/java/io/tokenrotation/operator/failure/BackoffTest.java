package io.tokenrotation.operator.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class BackoffTest {

  @ParameterizedTest(name = "attempt {0} waits {1}s")
  @CsvSource({
    "0, 5", // no failure yet: never below the initial delay
    "1, 5",
    "2, 10",
    "3, 20",
    "4, 40",
    "5, 80",
    "6, 160",
    "7, 320",
    "8, 600", // 640s capped at 10m
    "9, 600",
    "31, 600",
    "1000, 600",
    "2147483647, 600"
  })
  void doublesFromFiveSecondsUpToTenMinutes(int attempts, long seconds) {
    assertThat(Backoff.DEFAULT.delay(attempts, Optional.empty()))
        .isEqualTo(Duration.ofSeconds(seconds));
  }

  static Stream<Arguments> upstream() {
    return Stream.of(
        Arguments.of(
            "upstream longer than backoff wins", 1, Duration.ofSeconds(30), Duration.ofSeconds(30)),
        Arguments.of(
            "upstream shorter than backoff loses",
            3,
            Duration.ofSeconds(2),
            Duration.ofSeconds(20)),
        Arguments.of(
            "upstream equal to backoff", 2, Duration.ofSeconds(10), Duration.ofSeconds(10)),
        Arguments.of(
            "upstream longer than the cap wins",
            20,
            Duration.ofMinutes(15),
            Duration.ofMinutes(15)),
        Arguments.of(
            "upstream shorter than the cap loses",
            20,
            Duration.ofMinutes(9),
            Duration.ofMinutes(10)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("upstream")
  void upstreamWait(String name, int attempts, Duration upstream, Duration expected) {
    assertThat(Backoff.DEFAULT.delay(attempts, Optional.of(upstream))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "custom backoff attempt {0} waits {1}ms")
  @CsvSource({"1, 100", "2, 200", "3, 400", "4, 500", "10, 500"})
  void customBackoff(int attempts, long millis) {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500));
    assertThat(backoff.delay(attempts, Optional.empty())).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest(name = "stalled recheck {0} s: a Conflict is rechecked every {1} s")
  @CsvSource({"300, 10", "10, 10", "1, 1"})
  void aConflictIsRecheckedEveryTenSecondsOrAsOftenAsAStallWhenThatIsSooner(
      long stalledRecheckSeconds, long conflictRecheckSeconds) {
    Backoff backoff =
        new Backoff(
            Duration.ofSeconds(5),
            Duration.ofMinutes(10),
            Duration.ofSeconds(stalledRecheckSeconds));
    assertThat(backoff.conflictRecheck()).isEqualTo(Duration.ofSeconds(conflictRecheckSeconds));
  }
}
