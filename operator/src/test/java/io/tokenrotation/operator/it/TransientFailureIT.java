package io.tokenrotation.operator.it;

import static io.tokenrotation.operator.it.Resources.rotation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.status.Conditions;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.sim.dynatrace.TokenView;
import io.tokenrotation.sim.http.JournalEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Failures that heal by themselves: retried with backoff, visible in status, cleared on success.
 */
@ExtendWith(TestWorlds.class)
class TransientFailureIT {
  private static final String PATH = "dynatrace/automation_script1";
  private static final String CREATE = "/api/v2/apiTokens";
  private TestWorld world;

  @BeforeEach
  void world(TestWorld world) {
    this.world = world;
  }

  @Test
  void dynatrace503sAreRetriedThenTheRotationCompletesAndFailuresAreCleared() {
    world.dynatrace.faults().failNext(2, "POST", CREATE, 503);
    String oldId = world.seeded.get("secret/" + PATH);
    try (StatusHistory history = world.history("script1")) {
      world.apply(rotation(world, "script1", PATH, "1h"));

      TokenRotation tr = world.awaitReady("script1", Reasons.ROTATED);
      assertThat(history.maxFailedAttempts()).isEqualTo(2);
      assertThat(history.readyReasons()).contains(Reasons.RETRY_SCHEDULED);
      assertThat(history.statuses())
          .anySatisfy(s -> assertThat(s.getLastFailureTime()).isNotNull());
      assertThat(tr.getStatus().getFailedAttempts()).isNull();
      assertThat(tr.getStatus().getLastFailureTime()).isNull();
      assertThat(tr.getStatus().getTokenId())
          .isNotEqualTo(oldId)
          .isEqualTo(TestWorld.idOf(world.vaultToken(PATH)));
    }
    world.awaitWarning("script1", Reasons.DYNATRACE_UNAVAILABLE);
    assertThat(world.dynatrace.journal().count(e -> e.matches("POST", CREATE) && e.injected()))
        .isEqualTo(2);
    world.passTime(Resources.GRACE);
    world.await("script1", "old token retired", r -> r.getStatus().getRetiredTokens() == null);
    assertThat(world.tokensNamed("automation_script1"))
        .extracting(TokenView::id)
        .containsExactly(TestWorld.idOf(world.vaultToken(PATH)));
  }

  @Test
  void aSealedVaultDelaysTheRotationUntilItIsUnsealed() throws InterruptedException {
    world.vault.seal();
    String oldId = world.seeded.get("secret/" + PATH);
    world.apply(rotation(world, "script1", PATH, "1h"));

    TokenRotation waiting =
        world.await(
            "script1",
            "retrying while sealed",
            r ->
                r.getStatus() != null
                    && r.getStatus().getFailedAttempts() != null
                    && r.getStatus().getFailedAttempts() >= 2);
    assertThat(
            Conditions.find(waiting.getStatus().getConditions(), Conditions.READY)
                .orElseThrow()
                .getReason())
        .isEqualTo(Reasons.RETRY_SCHEDULED);
    assertThat(Conditions.isTrue(waiting.getStatus().getConditions(), Conditions.STALLED))
        .isFalse();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                world.warnings("script1").stream()
                    .anyMatch(e -> Reasons.VAULT_SEALED.equals(e.getReason())));
    assertThat(world.dynatraceCreates()).isZero();

    world.vault.unseal();
    TokenRotation tr = world.awaitReady("script1", Reasons.ROTATED);
    assertThat(tr.getStatus().getTokenId())
        .isNotEqualTo(oldId)
        .isEqualTo(TestWorld.idOf(world.vaultToken(PATH)));
    assertThat(tr.getStatus().getFailedAttempts()).isNull();
    assertThat(world.dynatraceCreates()).isEqualTo(1);
  }

  @Test
  void a429sRateLimitResetIsHonouredEvenWhenTheResourceChangesMeanwhile() {
    Instant reset = Instant.now().plusSeconds(5);
    long resetMicros = reset.getEpochSecond() * 1_000_000L + reset.getNano() / 1_000;
    world
        .dynatrace
        .faults()
        .failNext(
            1, "POST", CREATE, 429, null, Map.of("X-RateLimit-Reset", Long.toString(resetMicros)));
    world.apply(rotation(world, "script1", PATH, "1h"));

    world.await(
        "script1",
        "rate limited",
        r -> r.getStatus() != null && r.getStatus().getFailedAttempts() != null);
    world.awaitWarning("script1", Reasons.DYNATRACE_RATE_LIMITED);
    // A user labels the resource during the wait: that reconcile must not call Dynatrace before the
    // reset either.
    world.edit(
        "script1",
        r -> {
          r.getMetadata().setLabels(Map.of("touched", "during-rate-limit"));
          return r;
        });

    TokenRotation tr = world.awaitReady("script1", Reasons.ROTATED);
    List<JournalEntry> creates =
        world.dynatrace.journal().entries().stream()
            .filter(e -> e.matches("POST", CREATE))
            .toList();
    assertThat(creates).hasSize(2);
    assertThat(creates.get(0).status()).isEqualTo(429);
    assertThat(creates.get(1).time()).isAfterOrEqualTo(reset.minusMillis(200));
    // nothing at all reached Dynatrace between the 429 and the reset
    assertThat(
            world.dynatrace.journal().entries().stream()
                .filter(
                    e ->
                        e.time().isAfter(creates.get(0).time())
                            && e.time().isBefore(reset.minusMillis(200))))
        .isEmpty();
    assertThat(tr.getStatus().getFailedAttempts()).isNull();
  }
}
