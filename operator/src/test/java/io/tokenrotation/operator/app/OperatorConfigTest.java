package io.tokenrotation.operator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrotation.operator.dynatrace.DynatraceLimits;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Dynatrace client-side limits from the environment (README "Configuration"). */
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
}
