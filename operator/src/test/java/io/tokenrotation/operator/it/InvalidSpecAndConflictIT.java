package io.tokenrotation.operator.it;

import static io.tokenrotation.operator.it.Resources.rotation;
import static io.tokenrotation.operator.it.VaultAccessIT.assertReadyFalse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokenrotation.operator.api.KubernetesAuthSpec;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.status.Conditions;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.http.JournalEntry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Specs the embedded API server accepts (it validates no schema) but the operator must refuse
 * without a single upstream call, and two resources fighting over one secret.
 */
@ExtendWith(TestWorlds.class)
class InvalidSpecAndConflictIT {
  private static final String PATH = "dynatrace/automation_script1";
  private TestWorld world;

  @BeforeEach
  void world(TestWorld world) {
    this.world = world;
  }

  static Stream<Arguments> invalidSpecs() {
    Consumer<TokenRotation> shortInterval = tr -> tr.getSpec().setInterval("30s");
    Consumer<TokenRotation> bothAuth =
        tr -> {
          KubernetesAuthSpec k8s = new KubernetesAuthSpec();
          k8s.setRole("rotator");
          tr.getSpec().getVault().getAuth().setKubernetes(k8s);
        };
    Consumer<TokenRotation> dotDot =
        tr -> tr.getSpec().getVault().setPath("dynatrace/../dynatrace/master");
    return Stream.of(
        Arguments.of("interval 30s", shortInterval, "spec.interval"),
        Arguments.of("both auth methods", bothAuth, "spec.vault.auth"),
        Arguments.of("path with ..", dotDot, "spec.vault.path"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void anInvalidSpecStallsWithoutAnyUpstreamCall(
      String what, Consumer<TokenRotation> breakIt, String field) {
    TokenRotation resource = rotation(world, "bad", PATH, "1h");
    breakIt.accept(resource);
    world.apply(resource);

    TokenRotation tr = world.awaitStalled("bad", Reasons.INVALID_SPEC);
    assertReadyFalse(tr, Reasons.INVALID_SPEC);
    assertThat(
            Conditions.find(tr.getStatus().getConditions(), Conditions.READY)
                .orElseThrow()
                .getMessage())
        .contains(field);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                world.warnings("bad").stream()
                    .anyMatch(
                        e ->
                            Reasons.INVALID_SPEC.equals(e.getReason())
                                && e.getMessage().contains(field)));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> world.upstreamCalls() == 0);
    assertThat(world.vault.journal().entries()).isEmpty();
    assertThat(world.dynatrace.journal().entries()).isEmpty();
    assertThat(tr.getStatus().getTokenId()).isNull();

    // fixing the spec makes it work
    world.edit(
        "bad",
        r -> {
          TokenRotation good = rotation(world, "bad", PATH, "24h");
          r.setSpec(good.getSpec());
          return r;
        });
    world.awaitReady("bad", Reasons.ADOPTED);
  }

  @Test
  void twoResourcesOnOneSecretFieldOnlyTheOlderRotates() {
    // The younger uses its own Vault token and management token, so any call it made would show in
    // the journals.
    world.vault.putPolicy(
        "",
        "rotator",
        Map.of("secret/data/dynatrace/*", Set.of("read", "patch", "update", "create")));
    String youngerVaultToken = world.vault.createToken("", Set.of("rotator"), Duration.ZERO, false);
    world.secret("younger-vault", Map.of("token", youngerVaultToken));
    var youngerManagement =
        world.dynatrace.createToken(
            "younger-management", SeedState.MASTER_SCOPES, SeedState.OWNER, null);
    world.secret("younger-dt", Map.of("token", youngerManagement.token()));
    String oldId = world.seeded.get("secret/" + PATH);

    world.apply(rotation(world, "a-older", PATH, "1h"));
    // Created in the same second (creationTimestamp has second precision), the two are ordered by
    // name: "a-older" is the older either way, so nothing needs to wait for the clock.
    world.apply(
        Resources.withManagementTokenSecret(
            Resources.withVaultTokenSecret(
                rotation(world, "b-younger", PATH, "1h"), "younger-vault"),
            "younger-dt",
            "token"));

    TokenRotation older = world.awaitReady("a-older", Reasons.ROTATED);
    TokenRotation younger = world.awaitStalled("b-younger", Reasons.CONFLICT);
    assertReadyFalse(younger, Reasons.CONFLICT);
    assertThat(
            Conditions.find(younger.getStatus().getConditions(), Conditions.STALLED)
                .orElseThrow()
                .getMessage())
        .contains("a-older");
    world.awaitWarning("b-younger", Reasons.CONFLICT);
    assertThat(younger.getStatus().getTokenId()).isNull();

    assertThat(older.getStatus().getTokenId())
        .isNotEqualTo(oldId)
        .isEqualTo(TestWorld.idOf(world.vaultToken(PATH)));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> world.dynatraceCreates() == 1);
    assertThat(world.dynatrace.journal().entries())
        .extracting(JournalEntry::principal)
        .doesNotContain(youngerManagement.id());
    assertThat(world.vault.journal().entries())
        .extracting(JournalEntry::principal)
        .containsOnly(world.vault.rootTokenAccessor());
    assertThat(world.vault.currentVersion("", "secret", PATH)).isEqualTo(2); // exactly one write
  }

  @Test
  void whenTheOwnerIsDeletedTheStalledYoungerOneTakesOver() {
    world.apply(rotation(world, "a-older", PATH, "24h"));
    world.awaitReady("a-older", Reasons.ADOPTED);
    world.apply(rotation(world, "b-younger", PATH, "24h"));
    world.awaitStalled("b-younger", Reasons.CONFLICT);

    world.delete("a-older");
    world.awaitGone("a-older");
    TokenRotation younger = world.awaitReady("b-younger", Reasons.ADOPTED);
    assertThat(younger.getStatus().getTokenId()).isEqualTo(TestWorld.idOf(world.vaultToken(PATH)));
    assertThat(Conditions.isTrue(younger.getStatus().getConditions(), Conditions.STALLED))
        .isFalse();
  }
}
