package io.tokenrotation.operator.rotation;

import static io.tokenrotation.operator.testing.Fixtures.path;
import static io.tokenrotation.operator.testing.Fixtures.rotation;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.api.ScheduleSpec;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationBuilder.Option;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.testing.ControllerHarness;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.dynatrace.IssuedToken;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * spec.schedule driven through the controller on a simulated clock: rotations start inside the
 * windows only, NEXT ROTATION follows the schedule, and a token that would expire before the next
 * window is rotated anyway, with an event saying why.
 */
class ScheduleControllerTest {
  /** A Monday, 10:00 UTC; the seed's tokens were created ten minutes earlier. */
  private static final Instant MONDAY = Instant.parse("2026-06-01T10:00:00Z");

  private ControllerHarness world;

  @BeforeEach
  void seed() {
    world = new ControllerHarness().withRootTokenSecret();
    world.clock.fix(MONDAY);
    world.seedTenMinutesAgo();
  }

  @AfterEach
  void close() {
    world.close();
  }

  private static Option schedule(String cron, String zone, String window, String interval) {
    return tr -> {
      ScheduleSpec schedule = new ScheduleSpec();
      schedule.setCron(cron);
      schedule.setTimeZone(zone);
      schedule.setWindow(window);
      tr.getSpec().setSchedule(schedule);
      tr.getSpec().setInterval(interval);
    };
  }

  private long creates() {
    return world.dynatrace.journal().count("POST", "/api/v2/apiTokens");
  }

  private Instant next(String name) {
    return world.get(name).getStatus().nextRotationAt();
  }

  @Test
  void aDailyWindowRotatesOnlyInsideItAndShowsTheNextWindowAsTheNextRotation() {
    world.apply(rotation("a", world, schedule("0 2 * * *", "Europe/Berlin", "2h", null)));
    world.settle();
    // the first run after the token's creation: Tuesday 02:00 in Berlin = 00:00 UTC, plus this
    // resource's jitter (less than half the window)
    Instant tuesday = Instant.parse("2026-06-02T00:00:00Z");
    assertThat(next("a")).isBetween(tuesday, tuesday.plus(Duration.ofHours(1)));
    world.clearJournals();

    world.runFor(Duration.between(world.clock.instant(), tuesday.minusSeconds(60)));
    assertThat(creates()).as("nothing before the window opens").isZero();

    world.runFor(Duration.ofHours(2));
    assertThat(creates()).as("one rotation inside the window").isEqualTo(1);
    Instant wednesday = Instant.parse("2026-06-03T00:00:00Z");
    assertThat(next("a")).isBetween(wednesday, wednesday.plus(Duration.ofHours(1)));
  }

  @Test
  void withAnIntervalADueRotationWaitsForTheNextWindow() {
    world.apply(rotation("a", world, schedule("0 2 * * *", "UTC", "1h", "1h")));
    world.settle();
    world.clearJournals();
    // due at 10:50 by the interval, but the window opens at 02:00 the next day
    world.runFor(Duration.ofHours(15));
    assertThat(creates()).isZero();
    assertThat(next("a"))
        .isBetween(Instant.parse("2026-06-02T02:00:00Z"), Instant.parse("2026-06-02T02:30:00Z"));
    world.runFor(Duration.ofHours(2));
    assertThat(creates()).isEqualTo(1);
  }

  @Test
  void aTokenThatExpiresBeforeTheNextWindowIsRotatedOutsideItWithAnEvent() {
    // weekly on Sunday, 2h window; the token in Vault expires on Wednesday
    IssuedToken expiring =
        world.dynatrace.createToken(
            "expiring",
            List.of("metrics.ingest"),
            SeedState.OWNER,
            Instant.parse("2026-06-03T12:00:00Z"));
    world.vault.writeKv("", "secret", "dynatrace/expiring", Map.of("token", expiring.token()));
    world.apply(
        rotation(
            "a", world, path("dynatrace/expiring"), schedule("0 2 * * SUN", "UTC", "2h", null)));
    world.settle();
    // a tenth of the week (16.8h) before the expiry, not Sunday
    Instant fallback = Instant.parse("2026-06-03T12:00:00Z").minus(Duration.ofMinutes(1008));
    assertThat(next("a")).isEqualTo(fallback);
    world.clearJournals();

    world.runFor(Duration.between(world.clock.instant(), fallback.plusSeconds(1)));
    assertThat(creates()).isEqualTo(1);
    assertThat(world.events("a"))
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo(Reasons.ROTATING_BEFORE_EXPIRY);
              assertThat(e.getMessage()).contains("outside the maintenance window");
            });
    TokenRotation rotated = world.get("a");
    assertThat(rotated.getStatus().getTokenId()).isNotEqualTo(expiring.id());
  }

  @Test
  void aFleetOnOneScheduleSpreadsItsStartsInsideTheWindow() {
    for (int i = 1; i <= 2; i++) {
      world.apply(
          rotation(
              "r" + i,
              world,
              path("dynatrace/automation_script" + i),
              schedule("0 2 * * *", "UTC", "2h", null)));
    }
    world.settle();
    Instant opens = Instant.parse("2026-06-02T02:00:00Z");
    List<Instant> starts = List.of(next("r1"), next("r2"));
    assertThat(starts).allSatisfy(t -> assertThat(t).isBetween(opens, opens.plusSeconds(3600)));
    assertThat(starts).doesNotHaveDuplicates();
  }
}
