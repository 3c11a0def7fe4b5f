package io.tokenrotation.operator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrotation.operator.dynatrace.DynatraceLimits;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Settings from the environment (README "Configuration"). */
class OperatorConfigTest {

  @Test
  void fourRequestsInFlightPerEnvironmentAndNoPerMinuteRateByDefault() {
    assertThat(OperatorConfig.defaults().dynatraceLimits()).isEqualTo(new DynatraceLimits(4, 0));
  }

  @Test
  void bothLimitsAreSetByTheirVariablesAndZeroMeansNone() {
    assertThat(
            OperatorConfig.fromEnvironment(
                    Map.of(
                        "DYNATRACE_MAX_IN_FLIGHT", "12", "DYNATRACE_RATE_LIMIT_PER_MINUTE", "600"))
                .dynatraceLimits())
        .isEqualTo(new DynatraceLimits(12, 600));
    assertThat(
            OperatorConfig.fromEnvironment(Map.of("DYNATRACE_MAX_IN_FLIGHT", "0"))
                .dynatraceLimits())
        .isEqualTo(DynatraceLimits.NONE);
  }

  @Test
  void aBadValueNamesTheVariable() {
    assertThatThrownBy(
            () -> OperatorConfig.fromEnvironment(Map.of("DYNATRACE_MAX_IN_FLIGHT", "-1")))
        .hasMessageStartingWith("DYNATRACE_MAX_IN_FLIGHT:");
    assertThatThrownBy(
            () -> OperatorConfig.fromEnvironment(Map.of("DYNATRACE_MAX_IN_FLIGHT", "four")))
        .hasMessageStartingWith("DYNATRACE_MAX_IN_FLIGHT:");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "tokenrotation.io/shard=a|true",
        "shard==b|true",
        "shard!=b|true",
        "shard=a, tier=gold|true",
        "!legacy|true",
        "tier in (gold,silver)|true",
        "shard=a b|false",
        "shard=(a)|false",
        "shard=a;rm|false"
      })
  void aShardsLabelSelectorIsCheckedAtStart(String selector, boolean accepted) {
    if (accepted) {
      assertThat(
              OperatorConfig.fromEnvironment(Map.of("WATCH_LABEL_SELECTOR", selector))
                  .watchLabelSelector())
          .contains(selector);
    } else {
      assertThatThrownBy(
              () -> OperatorConfig.fromEnvironment(Map.of("WATCH_LABEL_SELECTOR", selector)))
          .hasMessageStartingWith("WATCH_LABEL_SELECTOR:");
    }
  }

  @Test
  void noSelectorMeansEveryResource() {
    assertThat(OperatorConfig.defaults().watchLabelSelector()).isEmpty();
    assertThat(
            OperatorConfig.fromEnvironment(Map.of("WATCH_LABEL_SELECTOR", " "))
                .watchLabelSelector())
        .isEmpty();
  }
}
