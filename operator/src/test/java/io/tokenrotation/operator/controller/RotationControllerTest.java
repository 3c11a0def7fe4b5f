package io.tokenrotation.operator.controller;

import static io.tokenrotation.operator.testing.Fixtures.interval;
import static io.tokenrotation.operator.testing.Fixtures.rotation;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.testing.ControllerHarness;
import io.tokenrotation.sim.SeedState;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The observed problems of issue 12, each driven through the controller on a simulated clock. */
class RotationControllerTest {
  private ControllerHarness world;

  @BeforeEach
  void seed() {
    world = new ControllerHarness().withRootTokenSecret();
    world.clock.advance(Duration.ofMinutes(-10));
    SeedState.apply(world.vault, world.dynatrace);
    world.clock.advance(Duration.ofMinutes(10));
  }

  @AfterEach
  void close() {
    world.close();
  }

  @Test
  void aRefusedCreateCostsOneAttemptPerRecheck() {
    world.apply(rotation("a", world, interval("1h")));
    world.settle();
    world.runFor(Duration.ofMinutes(49));
    world.dynatrace.faults().failNext(-1, "POST", "/api/v2/apiTokens", 403,
        "{\"error\":{\"code\":403,\"message\":\"Token is missing required scope\"}}", Map.of());
    world.clearJournals();
    world.runFor(Duration.ofMinutes(31));
    long creates = world.dynatrace.journal().count("POST", "/api/v2/apiTokens");
    assertThat(creates).isBetween(6L, 7L);
  }
}
