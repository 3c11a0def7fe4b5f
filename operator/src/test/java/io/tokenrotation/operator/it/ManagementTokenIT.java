package io.tokenrotation.operator.it;

import static io.tokenrotation.operator.it.Resources.rotation;
import static io.tokenrotation.operator.it.VaultAccessIT.assertReadyFalse;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.tokenrotation.operator.api.RotationState;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.VaultFieldRef;
import io.tokenrotation.operator.status.Conditions;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.dynatrace.IssuedToken;
import io.tokenrotation.sim.dynatrace.TokenView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where the management token comes from, what happens when Dynatrace refuses it, and rotating it
 * itself.
 */
@ExtendWith(TestWorlds.class)
@TestWorlds.OperatorStartedByTest
class ManagementTokenIT {
  private static final String PATH = "dynatrace/automation_script1";
  private TestWorld world;
  private String masterToken;

  @BeforeEach
  void world(TestWorld world) {
    this.world = world;
    masterToken = world.vaultToken(SeedState.MASTER_PATH);
    world.startOperator();
  }

  @Test
  void managementTokenFromASecretRotates() {
    world.secret("dt-management", Map.of("api-token", masterToken));
    String oldId = world.seeded.get("secret/" + PATH);
    world.apply(
        Resources.withManagementTokenSecret(
            rotation(world, "script1", PATH, "1h"), "dt-management", "api-token"));

    TokenRotation tr = world.awaitReady("script1", Reasons.ROTATED);
    assertThat(tr.getStatus().getTokenId())
        .isNotEqualTo(oldId)
        .isEqualTo(TestWorld.idOf(world.vaultToken(PATH)));
    String masterId = world.seeded.get("secret/" + SeedState.MASTER_PATH);
    assertThat(world.dynatrace.journal().entries())
        .allSatisfy(e -> assertThat(e.principal()).isEqualTo(masterId));
    // Vault was never asked for the management token
    assertThat(world.vault.journal().count("GET", "/v1/secret/data/dynatrace/master")).isZero();
  }

  @Test
  void aMissingManagementSecretStallsWithSecretRefNotFoundAndNoDynatraceCall() {
    world.apply(
        Resources.withManagementTokenSecret(
            rotation(world, "script1", PATH, "1h"), "absent", "token"));

    TokenRotation tr = world.awaitStalled("script1", Reasons.SECRET_REF_NOT_FOUND);
    assertReadyFalse(tr, Reasons.SECRET_REF_NOT_FOUND);
    world.awaitWarning("script1", Reasons.SECRET_REF_NOT_FOUND);
    assertThat(world.dynatrace.journal().size()).isZero();
  }

  @Test
  void aMissingKeyStallsWithSecretRefKeyMissingAndNoDynatraceCall() {
    world.secret("dt-management", Map.of("api-token", masterToken));
    world.apply(
        Resources.withManagementTokenSecret(
            rotation(world, "script1", PATH, "1h"), "dt-management", "token"));

    TokenRotation tr = world.awaitStalled("script1", Reasons.SECRET_REF_KEY_MISSING);
    assertReadyFalse(tr, Reasons.SECRET_REF_KEY_MISSING);
    world.awaitWarning("script1", Reasons.SECRET_REF_KEY_MISSING);
    assertThat(world.dynatrace.journal().size()).isZero();
  }

  @Test
  void aDisabledManagementTokenStallsWithDynatraceUnauthorizedAndVaultKeepsTheWorkingToken() {
    // An administrator disables the management token with another admin token.
    IssuedToken admin =
        world.dynatrace.createToken("admin", SeedState.MASTER_SCOPES, SeedState.OWNER, null);
    String masterId = world.seeded.get("secret/" + SeedState.MASTER_PATH);
    assertThat(
            world.dynatraceApi(
                "PUT", "/api/v2/apiTokens/" + masterId, admin.token(), "{\"enabled\":false}"))
        .isEqualTo(204);
    world.clearJournals();
    String oldToken = world.vaultToken(PATH);

    world.apply(rotation(world, "script1", PATH, "1h"));

    TokenRotation tr = world.awaitStalled("script1", Reasons.DYNATRACE_UNAUTHORIZED);
    assertReadyFalse(tr, Reasons.DYNATRACE_UNAUTHORIZED);
    world.awaitWarning("script1", Reasons.DYNATRACE_UNAUTHORIZED);
    assertThat(world.dynatraceCreates()).isZero();
    assertThat(world.vaultToken(PATH)).isEqualTo(oldToken);
    assertThat(world.dynatrace.authenticates(oldToken)).isTrue();
  }

  @Test
  void aManagementTokenWithoutWriteScopeStallsWithDynatraceForbiddenAndVaultKeepsTheWorkingToken() {
    IssuedToken readOnly =
        world.dynatrace.createToken("read-only", List.of("apiTokens.read"), SeedState.OWNER, null);
    world.secret("dt-read-only", Map.of("token", readOnly.token()));
    String oldToken = world.vaultToken(PATH);
    String oldId = TestWorld.idOf(oldToken);

    world.apply(
        Resources.withManagementTokenSecret(
            rotation(world, "script1", PATH, "1h"), "dt-read-only", "token"));

    TokenRotation tr = world.awaitStalled("script1", Reasons.DYNATRACE_FORBIDDEN);
    // Adopted (a lookup needs only apiTokens.read), then the create was refused: Vault still holds
    // a working token,
    // so Ready stays True and its reason says why nothing rotates; nothing was created, so nothing
    // is pending.
    Condition ready =
        Conditions.find(tr.getStatus().getConditions(), Conditions.READY).orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getReason()).isEqualTo(Reasons.DYNATRACE_FORBIDDEN);
    assertThat(tr.getStatus().getState()).isEqualTo(RotationState.STALLED);
    assertThat(tr.getStatus().getPendingRotation()).isNull();
    assertThat(Conditions.isTrue(tr.getStatus().getConditions(), Conditions.ROTATING)).isFalse();
    world.awaitWarning("script1", Reasons.DYNATRACE_FORBIDDEN);
    assertThat(world.vaultToken(PATH)).isEqualTo(oldToken);
    assertThat(world.dynatrace.authenticates(oldToken)).isTrue();
    assertThat(world.tokensNamed("automation_script1"))
        .extracting(TokenView::id)
        .containsExactly(oldId);
  }

  @Test
  void rotatesItsOwnManagementTokenAndRetiresTheOldOneWithTheNewOne() {
    String oldMasterId = world.seeded.get("secret/" + SeedState.MASTER_PATH);
    TokenRotation resource = rotation(world, "master", SeedState.MASTER_PATH, "1h");
    VaultFieldRef self = new VaultFieldRef();
    self.setPath(SeedState.MASTER_PATH);
    resource.getSpec().getDynatrace().getManagementToken().setVault(self);
    world.apply(resource);

    TokenRotation tr = world.awaitReady("master", Reasons.ROTATED);
    String newMaster = world.vaultToken(SeedState.MASTER_PATH);
    String newMasterId = TestWorld.idOf(newMaster);
    assertThat(newMasterId).isNotEqualTo(oldMasterId).isEqualTo(tr.getStatus().getTokenId());
    assertThat(world.dynatrace.token(newMasterId).orElseThrow().scopes())
        .containsExactlyInAnyOrderElementsOf(SeedState.MASTER_SCOPES);

    world.passTime(Resources.GRACE);

    world.await("master", "old master retired", r -> r.getStatus().getRetiredTokens() == null);
    assertThat(world.dynatrace.token(oldMasterId)).isEmpty();
    // the new master is in Vault and works: it deleted the old one, and it can still list tokens
    assertThat(
            world
                .dynatrace
                .journal()
                .count(
                    e ->
                        e.matches("DELETE", "/api/v2/apiTokens/" + oldMasterId)
                            && e.status() == 204
                            && newMasterId.equals(e.principal())))
        .isEqualTo(1);
    assertThat(world.dynatrace.authenticates(newMaster)).isTrue();
    assertThat(world.dynatraceApi("GET", "/api/v2/apiTokens", newMaster, null)).isEqualTo(200);
  }
}
