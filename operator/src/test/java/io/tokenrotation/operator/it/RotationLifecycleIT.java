package io.tokenrotation.operator.it;

import static io.tokenrotation.operator.it.Resources.rotation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.dynatrace.TokenView;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Adoption, scheduled rotation end to end, retirement, idle cost: the operator against the
 * simulators.
 */
@ExtendWith(TestWorlds.class)
class RotationLifecycleIT {
  private TestWorld world;

  @BeforeEach
  void world(TestWorld world) {
    this.world = world;
  }

  @Test
  void adoptsTheTokenVaultHoldsAndMakesNoCallWhileNotDue() {
    String path = "dynatrace/automation_script1";
    String seededId = world.seeded.get("secret/" + path);
    world.apply(rotation(world, "script1", path, "24h"));

    TokenRotation tr = world.awaitReady("script1", Reasons.ADOPTED);
    assertThat(tr.getStatus().getTokenId()).isEqualTo(seededId);
    assertThat(tr.getStatus().getTokenName()).isEqualTo("automation_script1");
    assertThat(tr.getStatus().getScopes())
        .containsExactlyInAnyOrderElementsOf(SeedState.SCRIPT_SCOPES);
    TokenView seeded = world.dynatrace.token(seededId).orElseThrow();
    assertThat(tr.getStatus().nextRotationAt())
        .isEqualTo(
            seeded.creationDate().plus(Duration.ofHours(24)).truncatedTo(ChronoUnit.SECONDS));
    assertThat(tr.getStatus().getLastRotationTime()).isNull();
    assertThat(world.vaultToken(path)).startsWith(seededId); // untouched
    await().until(() -> world.eventReasons("script1").contains(Reasons.ADOPTED));

    // A reconcile that is not due (here: triggered by a label change) calls neither Vault nor
    // Dynatrace.
    world.clearJournals();
    // edit the latest version: the operator may have written status since tr was read (a PUT of tr
    // was a 409)
    world
        .client
        .resources(TokenRotation.class)
        .inNamespace(TestWorld.NAMESPACE)
        .withName("script1")
        .edit(
            t -> {
              t.getMetadata().setLabels(Map.of("touched", "yes"));
              return t;
            });
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> world.upstreamCalls() == 0);
  }

  @Test
  void rotatesADueTokenEndToEndThenRetiresTheOldOneAfterTheGracePeriod() {
    String path = "dynatrace/automation_script1";
    String oldId = world.seeded.get("secret/" + path);
    // another field of the secret must survive the rotation
    String oldToken = world.vaultToken(path);
    world.vault.writeKv("", "secret", path, Map.of("token", oldToken, "owner", "team-a"));

    world.apply(rotation(world, "script1", path, "1h")); // seeded token is 2h old: due at once
    TokenRotation tr = world.awaitReady("script1", Reasons.ROTATED);

    String newToken = world.vaultToken(path);
    String newId = TestWorld.idOf(newToken);
    assertThat(newId).isNotEqualTo(oldId).isEqualTo(tr.getStatus().getTokenId());
    assertThat(world.vault.readKv("", "secret", path).orElseThrow())
        .containsEntry("owner", "team-a");
    assertThat(world.dynatrace.authenticates(newToken)).isTrue();
    TokenView created = world.dynatrace.token(newId).orElseThrow();
    assertThat(created.name()).isEqualTo("automation_script1");
    assertThat(created.scopes()).containsExactlyInAnyOrderElementsOf(SeedState.SCRIPT_SCOPES);
    assertThat(created.owner()).isEqualTo(SeedState.OWNER);
    assertThat(tr.getStatus().getLastRotationTime()).isNotNull();
    assertThat(tr.getStatus().nextRotationAt()).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
    assertThat(tr.getStatus().getPendingRotation()).isNull();
    assertThat(tr.getStatus().getVaultSecretVersion())
        .isEqualTo(world.vault.currentVersion("", "secret", path));

    // the old token lives through the grace period, then is deleted
    assertThat(world.dynatrace.token(oldId)).isPresent();
    assertThat(tr.getStatus().getRetiredTokens()).extracting("id").containsExactly(oldId);
    world.passTime(Resources.GRACE);
    world.await("script1", "old token retired", r -> r.getStatus().getRetiredTokens() == null);
    assertThat(world.dynatrace.token(oldId)).isEmpty();
    assertThat(world.dynatrace.authenticates(newToken)).isTrue();
    await()
        .until(
            () ->
                world
                    .eventReasons("script1")
                    .containsAll(List.of(Reasons.ROTATED, Reasons.TOKEN_RETIRED)));
  }

  @Test
  void pointingTheResourceAtAnotherSecretAdoptsThatSecretsTokenAndLeavesTheFirstAlone() {
    String first = "dynatrace/automation_script1";
    String second = "dynatrace/automation_script2";
    String firstToken = world.vaultToken(first);
    String secondId = world.seeded.get("secret/" + second);
    // both secrets are at KV version 1: the version alone cannot tell them apart
    assertThat(world.vault.currentVersion("", "secret", first))
        .isEqualTo(world.vault.currentVersion("", "secret", second));
    world.apply(rotation(world, "script", first, "24h"));
    world.awaitReady("script", Reasons.ADOPTED);

    world.edit(
        "script",
        tr -> {
          tr.getSpec().getVault().setPath(second);
          return tr;
        });
    TokenRotation moved =
        world.await(
            "script", "adopted " + second, tr -> secondId.equals(tr.getStatus().getTokenId()));
    assertThat(moved.getStatus().getVaultSecret()).endsWith("secret/" + second + "#token");

    world.annotate("script", TokenRotation.ROTATE_REQUESTED_AT, "move-then-rotate");
    world.await(
        "script",
        "rotated",
        tr -> "move-then-rotate".equals(tr.getStatus().getLastHandledRotateRequest()));
    world.passTime(Resources.GRACE);
    TokenRotation rotated =
        world.await("script", "old token retired", tr -> tr.getStatus().getRetiredTokens() == null);
    assertThat(world.vaultToken(second)).startsWith(rotated.getStatus().getTokenId() + ".");
    assertThat(world.dynatrace.token(secondId))
        .isEmpty(); // the second secret's old token was the one retired
    assertThat(world.vaultToken(first))
        .isEqualTo(firstToken); // the first secret and its token are untouched
    assertThat(world.dynatrace.authenticates(firstToken)).isTrue();
  }
}
