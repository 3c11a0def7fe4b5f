package io.tokenrotation.operator.it;

import static io.tokenrotation.operator.it.Resources.rotation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.status.Conditions;
import io.tokenrotation.operator.status.Reasons;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The rotate-requested-at annotation and spec.suspend, as a user drives them with kubectl. */
@ExtendWith(TestWorlds.class)
class ManualTriggerAndSuspendIT {
  private static final String PATH = "dynatrace/automation_script1";
  private TestWorld world;

  @BeforeEach
  void world(TestWorld world) {
    this.world = world;
  }

  @Test
  void aRotateRequestRotatesANotDueTokenExactlyOncePerValue() {
    String seededId = world.seeded.get("secret/" + PATH);
    world.apply(rotation(world, "script1", PATH, "24h"));
    world.awaitReady("script1", Reasons.ADOPTED);
    assertThat(world.dynatraceCreates()).isZero();

    world.annotate("script1", TokenRotation.ROTATE_REQUESTED_AT, "2026-01-01T00:00:00Z");
    TokenRotation tr =
        world.await(
            "script1",
            "manual rotation handled",
            r -> "2026-01-01T00:00:00Z".equals(r.getStatus().getLastHandledRotateRequest()));
    assertThat(tr.getStatus().getTokenId())
        .isNotEqualTo(seededId)
        .isEqualTo(TestWorld.idOf(world.vaultToken(PATH)));
    assertThat(
            Conditions.find(tr.getStatus().getConditions(), Conditions.READY)
                .orElseThrow()
                .getReason())
        .isEqualTo(Reasons.ROTATED);
    assertThat(world.dynatraceCreates()).isEqualTo(1);
    String firstRotated = tr.getStatus().getTokenId();

    // An unrelated change (a label) with the same annotation value: no second rotation.
    world.edit(
        "script1",
        r -> {
          r.getMetadata().setLabels(Map.of("team", "a"));
          return r;
        });
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> world.dynatraceCreates() == 1);
    assertThat(world.get("script1").getStatus().getTokenId()).isEqualTo(firstRotated);

    // A new value: one more rotation.
    world.annotate("script1", TokenRotation.ROTATE_REQUESTED_AT, "second");
    tr =
        world.await(
            "script1",
            "second request handled",
            r -> "second".equals(r.getStatus().getLastHandledRotateRequest()));
    assertThat(tr.getStatus().getTokenId())
        .isNotEqualTo(firstRotated)
        .isEqualTo(TestWorld.idOf(world.vaultToken(PATH)));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> world.dynatraceCreates() == 2);
    assertThat(world.dynatrace.authenticates(world.vaultToken(PATH))).isTrue();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        world.eventReasons("script1").stream()
                            .filter(Reasons.ROTATED::equals)
                            .count())
                    .isEqualTo(2));
  }

  @Test
  void aSuspendedDueResourceDoesNotRotateUntilResumed() {
    String seededId = world.seeded.get("secret/" + PATH);
    TokenRotation resource =
        rotation(world, "script1", PATH, "1h"); // due: the seeded token is 2h old
    resource.getSpec().setSuspend(true);
    world.apply(resource);

    // Never adopted: nothing is known about the token yet, so Ready is False, but the reason says
    // why.
    world.awaitCondition("script1", Conditions.READY, Conditions.FALSE, Reasons.SUSPENDED);
    world.passTime(Duration.ofHours(3)); // three more intervals pass while it is suspended
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> world.dynatraceCreates() == 0);
    assertThat(world.dynatrace.journal().size()).isZero();
    assertThat(TestWorld.idOf(world.vaultToken(PATH))).isEqualTo(seededId);

    world.edit(
        "script1",
        r -> {
          r.getSpec().setSuspend(false);
          return r;
        });
    TokenRotation tr = world.awaitReady("script1", Reasons.ROTATED);
    assertThat(tr.getStatus().getTokenId())
        .isNotEqualTo(seededId)
        .isEqualTo(TestWorld.idOf(world.vaultToken(PATH)));
    assertThat(world.dynatraceCreates()).isEqualTo(1);
  }

  @Test
  void suspendingAnAdoptedResourceStopsDueAndRequestedRotations() {
    world.apply(rotation(world, "script1", PATH, "24h"));
    String adopted = world.awaitReady("script1", Reasons.ADOPTED).getStatus().getTokenId();

    world.edit(
        "script1",
        r -> {
          r.getSpec().setSuspend(true);
          r.getSpec().setInterval("1h"); // now due
          r.getMetadata().setAnnotations(Map.of(TokenRotation.ROTATE_REQUESTED_AT, "please"));
          return r;
        });
    world.awaitReady("script1", Reasons.SUSPENDED);
    world.passTime(Duration.ofHours(3)); // due three times over while suspended
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> world.dynatraceCreates() == 0);
    assertThat(world.get("script1").getStatus().getTokenId()).isEqualTo(adopted);

    world.edit(
        "script1",
        r -> {
          r.getSpec().setSuspend(false);
          return r;
        });
    TokenRotation tr =
        world.await(
            "script1",
            "rotated after resume",
            r -> "please".equals(r.getStatus().getLastHandledRotateRequest()));
    assertThat(tr.getStatus().getTokenId()).isNotEqualTo(adopted);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> world.dynatraceCreates() == 1);
  }
}
