package io.tokenrotation.operator.it;

import static io.tokenrotation.operator.it.Resources.rotation;
import static io.tokenrotation.operator.it.VaultAccessIT.assertReadyFalse;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.api.NewTokenSpec;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.sim.dynatrace.TokenView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The first token when the secret (or its field) does not exist yet. */
@ExtendWith(TestWorlds.class)
class BootstrapIT {
  private static final String PATH = "dynatrace/new_script";
  private TestWorld world;

  @BeforeEach
  void world(TestWorld world) {
    this.world = world;
  }

  private static TokenRotation withNewToken(TokenRotation tr, String name, List<String> scopes) {
    NewTokenSpec newToken = new NewTokenSpec();
    newToken.setName(name);
    newToken.setScopes(scopes);
    tr.getSpec().setNewToken(newToken);
    return tr;
  }

  @Test
  void createsTheFirstTokenWithTheGivenNameAndScopes() {
    world.apply(
        withNewToken(
            rotation(world, "new-script", PATH, "24h"),
            "reporting",
            List.of("ReadConfig", "metrics.read")));

    TokenRotation tr = world.awaitReady("new-script", Reasons.ROTATED);
    String token = world.vaultToken(PATH);
    assertThat(token).isNotNull();
    assertThat(world.vault.currentVersion("", "secret", PATH)).isEqualTo(1);
    assertThat(world.vault.readKv("", "secret", PATH).orElseThrow()).containsOnlyKeys("token");
    TokenView created = world.dynatrace.token(TestWorld.idOf(token)).orElseThrow();
    assertThat(created.name()).isEqualTo("reporting");
    assertThat(created.scopes()).containsExactlyInAnyOrder("ReadConfig", "metrics.read");
    assertThat(world.dynatrace.authenticates(token)).isTrue();
    assertThat(tr.getStatus().getTokenId()).isEqualTo(created.id());
    assertThat(tr.getStatus().getTokenName()).isEqualTo("reporting");
    assertThat(tr.getStatus().getVaultSecretVersion()).isEqualTo(1);
    assertThat(tr.getStatus().getRetiredTokens()).isNullOrEmpty();
    assertThat(world.dynatraceCreates()).isEqualTo(1);
    world.awaitEvent("new-script", Reasons.ROTATED);
  }

  @Test
  void withoutANameTheTokenIsNamedAfterTheResource() {
    world.apply(
        withNewToken(rotation(world, "new-script", PATH, "24h"), null, List.of("ReadConfig")));

    world.awaitReady("new-script", Reasons.ROTATED);
    TokenView created = world.dynatrace.token(TestWorld.idOf(world.vaultToken(PATH))).orElseThrow();
    assertThat(created.name()).isEqualTo("new-script");
    assertThat(created.scopes()).containsExactly("ReadConfig");
  }

  @Test
  void aMissingSecretWithoutScopesStallsWithSecretNotFound() {
    world.apply(rotation(world, "new-script", PATH, "24h"));

    TokenRotation tr = world.awaitStalled("new-script", Reasons.SECRET_NOT_FOUND);
    assertReadyFalse(tr, Reasons.SECRET_NOT_FOUND);
    world.awaitWarning("new-script", Reasons.SECRET_NOT_FOUND);
    assertThat(world.vault.readKv("", "secret", PATH)).isEmpty();
    assertThat(world.dynatrace.journal().size()).isZero();
  }

  @Test
  void aSecretWithoutTheFieldStallsWithSecretFieldMissing() {
    world.vault.writeKv("", "secret", PATH, Map.of("owner", "team-a"));
    world.apply(rotation(world, "new-script", PATH, "24h"));

    TokenRotation tr = world.awaitStalled("new-script", Reasons.SECRET_FIELD_MISSING);
    assertReadyFalse(tr, Reasons.SECRET_FIELD_MISSING);
    assertThat(world.vault.readKv("", "secret", PATH).orElseThrow())
        .isEqualTo(Map.of("owner", "team-a"));
    assertThat(world.dynatrace.journal().size()).isZero();
  }

  @Test
  void aSecretWithoutTheFieldAndScopesGetsTheFieldAddedKeepingTheOthers() {
    world.vault.writeKv("", "secret", PATH, Map.of("owner", "team-a"));
    world.apply(
        withNewToken(rotation(world, "new-script", PATH, "24h"), null, List.of("ReadConfig")));

    world.awaitReady("new-script", Reasons.ROTATED);
    Map<String, String> stored = world.vault.readKv("", "secret", PATH).orElseThrow();
    assertThat(stored).containsEntry("owner", "team-a").containsKey("token");
    assertThat(world.dynatrace.authenticates(stored.get("token"))).isTrue();
    assertThat(world.vault.currentVersion("", "secret", PATH)).isEqualTo(2);
  }
}
