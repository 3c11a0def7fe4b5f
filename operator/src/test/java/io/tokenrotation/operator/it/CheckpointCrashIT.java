package io.tokenrotation.operator.it;

import static io.tokenrotation.operator.it.Resources.rotation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.rotation.Checkpoint;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.testing.CrashOnce;
import io.tokenrotation.sim.dynatrace.TokenView;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The operator dies in the middle of a rotation (an Error thrown at a checkpoint, then the process
 * is stopped); a fresh operator must finish or undo it: Vault holds a working token, no orphan
 * survives, the rotation completes.
 */
@ExtendWith(TestWorlds.class)
@TestWorlds.OperatorStartedByTest
class CheckpointCrashIT {
  private static final String PATH = "dynatrace/automation_script1";
  private static final String NAME = "automation_script1";
  private TestWorld world;

  @BeforeEach
  void world(TestWorld world) {
    this.world = world;
  }

  @ParameterizedTest
  @EnumSource(
      value = Checkpoint.class,
      names = {"AFTER_TOKEN_CREATED", "AFTER_NEW_ID_PERSISTED", "AFTER_VAULT_WRITTEN"})
  void aFreshOperatorCompletesARotationInterruptedAt(Checkpoint point) {
    String oldId = world.seeded.get("secret/" + PATH);
    CrashOnce crash = new CrashOnce(point);
    world.startOperator(TestWorld.testOptions().withCheckpoints(crash));
    world.apply(rotation(world, "script1", PATH, "1h"));
    await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(20)).untilTrue(crash.crashed());
    world.stopOperator();

    String vaultAtCrash = world.vaultToken(PATH);
    List<String> createdBeforeCrash =
        world.tokensNamed(NAME).stream()
            .map(TokenView::id)
            .filter(id -> !id.equals(oldId))
            .toList();
    assertThat(createdBeforeCrash).hasSize(1);
    String successor = createdBeforeCrash.get(0);
    boolean reachedVault = point == Checkpoint.AFTER_VAULT_WRITTEN;
    assertThat(TestWorld.idOf(vaultAtCrash)).isEqualTo(reachedVault ? successor : oldId);
    assertThat(world.dynatrace.authenticates(vaultAtCrash)).isTrue();

    world.startOperator();
    TokenRotation tr = world.awaitReady("script1", Reasons.ROTATED);
    String inVault = world.vaultToken(PATH);
    assertThat(world.dynatrace.authenticates(inVault)).isTrue();
    assertThat(tr.getStatus().getTokenId()).isEqualTo(TestWorld.idOf(inVault)).isNotEqualTo(oldId);
    assertThat(tr.getStatus().getPendingRotation()).isNull();
    if (reachedVault) {
      // Vault already held the successor: the rotation is finished, not redone
      assertThat(TestWorld.idOf(inVault)).isEqualTo(successor);
      assertThat(world.dynatraceCreates()).isEqualTo(1);
    } else {
      // the successor never reached Vault: it was deleted and the rotation started over
      assertThat(world.dynatrace.token(successor)).isEmpty();
      assertThat(TestWorld.idOf(inVault)).isNotEqualTo(successor);
      assertThat(world.dynatraceCreates()).isEqualTo(2);
      world.awaitWarning("script1", Reasons.ROTATION_ABORTED);
    }

    // No orphan: once the old token's grace period is over, the only token of that name is the one
    // in Vault.
    world.passTime(Resources.GRACE);
    world.await("script1", "old token retired", r -> r.getStatus().getRetiredTokens() == null);
    assertThat(world.tokensNamed(NAME))
        .extracting(TokenView::id)
        .containsExactly(TestWorld.idOf(inVault));
    assertThat(world.vaultToken(PATH)).isEqualTo(inVault);
  }

  /**
   * spec.vault edited while a rotation is interrupted: finishing or undoing it needs the secret it
   * wrote to, so the resource stalls and touches nothing until the spec names that secret again;
   * then the rotation completes there.
   */
  @Test
  void aSecretChangedDuringAnInterruptedRotationStallsUntilItIsSetBack() {
    String other = "dynatrace/automation_script2";
    String otherToken = world.vaultToken(other);
    CrashOnce crash = new CrashOnce(Checkpoint.AFTER_VAULT_WRITTEN);
    world.startOperator(TestWorld.testOptions().withCheckpoints(crash));
    world.apply(rotation(world, "script1", PATH, "1h"));
    await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(20)).untilTrue(crash.crashed());
    world.stopOperator();
    String successorInVault = world.vaultToken(PATH);

    world.edit(
        "script1",
        tr -> {
          tr.getSpec().getVault().setPath(other);
          return tr;
        });
    world.clearJournals();
    world.startOperator();
    TokenRotation stalled =
        world.awaitStalled("script1", Reasons.VAULT_SECRET_CHANGED_MID_ROTATION);
    assertThat(stalled.getStatus().getPendingRotation()).isNotNull();
    assertThat(
            world.dynatrace.journal().count("DELETE", ".*")
                + world.dynatrace.journal().count("PUT", ".*"))
        .isZero();
    assertThat(world.vaultToken(PATH)).isEqualTo(successorInVault);
    assertThat(world.vaultToken(other)).isEqualTo(otherToken);
    assertThat(world.dynatrace.authenticates(successorInVault)).isTrue();

    world.edit(
        "script1",
        tr -> {
          tr.getSpec().getVault().setPath(PATH);
          return tr;
        });
    TokenRotation done =
        world.await(
            "script1",
            "rotation finished",
            tr ->
                tr.getStatus().getPendingRotation() == null
                    && TestWorld.idOf(successorInVault).equals(tr.getStatus().getTokenId()));
    assertThat(done.getStatus().getVaultSecret()).endsWith("secret/" + PATH + "#token");
    assertThat(world.vaultToken(other)).isEqualTo(otherToken);
  }
}
