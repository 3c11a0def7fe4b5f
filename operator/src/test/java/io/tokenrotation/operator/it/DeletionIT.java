package io.tokenrotation.operator.it;

import static io.tokenrotation.operator.it.Resources.rotation;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.api.DeletionPolicy;
import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.sim.dynatrace.TokenView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What deleting a TokenRotation does to the tokens (the finalizer). */
@ExtendWith(TestWorlds.class)
class DeletionIT {
  private static final String PATH = "dynatrace/automation_script1";
  private TestWorld world;

  @BeforeEach
  void world(TestWorld world) {
    this.world = world;
  }

  @Test
  void revokeDeletesTheCurrentToken() {
    TokenRotation resource = rotation(world, "script1", PATH, "24h");
    resource.getSpec().setDeletionPolicy(DeletionPolicy.Revoke);
    world.apply(resource);
    String current = world.awaitReady("script1", Reasons.ADOPTED).getStatus().getTokenId();

    world.delete("script1");
    world.awaitGone("script1");
    assertThat(world.dynatrace.token(current)).isEmpty();
    assertThat(
            world
                .dynatrace
                .journal()
                .count(
                    e -> e.matches("DELETE", "/api/v2/apiTokens/" + current) && e.status() == 204))
        .isEqualTo(1);
    world.awaitEvent("script1", Reasons.TOKEN_RETIRED);
  }

  @Test
  void retainKeepsTheCurrentToken() {
    world.apply(rotation(world, "script1", PATH, "24h")); // Retain is the default
    String current = world.awaitReady("script1", Reasons.ADOPTED).getStatus().getTokenId();

    world.delete("script1");
    world.awaitGone("script1");
    assertThat(world.dynatrace.token(current)).isPresent();
    assertThat(world.dynatrace.authenticates(world.vaultToken(PATH))).isTrue();
    assertThat(world.dynatrace.journal().count("DELETE", ".*")).isZero();
  }

  @Test
  void retiredTokensNotYetDueAreRetiredByTheFinalizer() {
    TokenRotation resource = rotation(world, "script1", PATH, "1h");
    resource.getSpec().getOldToken().setGracePeriod("1h");
    world.apply(resource);
    TokenRotation tr = world.awaitReady("script1", Reasons.ROTATED);
    String oldId = world.seeded.get("secret/" + PATH);
    String current = tr.getStatus().getTokenId();
    assertThat(tr.getStatus().getRetiredTokens()).extracting("id").containsExactly(oldId);
    assertThat(world.dynatrace.token(oldId)).isPresent();

    world.delete("script1");
    world.awaitGone("script1");
    assertThat(world.dynatrace.token(oldId)).isEmpty();
    assertThat(world.dynatrace.token(current)).isPresent(); // Retain
    assertThat(world.dynatrace.authenticates(world.vaultToken(PATH))).isTrue();
  }

  @Test
  void retiredTokensWithDisableThenDeleteAreDisabledByTheFinalizer() {
    TokenRotation resource = rotation(world, "script1", PATH, "1h");
    resource.getSpec().getOldToken().setGracePeriod("1h");
    resource.getSpec().getOldToken().setAction(RetireAction.DisableThenDelete);
    resource.getSpec().setDeletionPolicy(DeletionPolicy.Revoke);
    world.apply(resource);
    String current = world.awaitReady("script1", Reasons.ROTATED).getStatus().getTokenId();
    String oldId = world.seeded.get("secret/" + PATH);

    world.delete("script1");
    world.awaitGone("script1");
    TokenView old = world.dynatrace.token(oldId).orElseThrow();
    assertThat(old.enabled()).isFalse(); // the reversible choice
    assertThat(world.dynatrace.token(current)).isEmpty(); // Revoke
  }
}
