package io.tokenrotation.operator.it;

import static io.tokenrotation.operator.it.Resources.rotation;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.status.Conditions;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.dynatrace.IssuedToken;
import io.tokenrotation.sim.http.JournalEntry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * KV v1 mounts, Kubernetes auth with namespace-bound roles, and Vault policies that deny the path.
 */
@ExtendWith(TestWorlds.class)
class VaultAccessIT {
  private static final String PATH = "dynatrace/automation_script1";
  private TestWorld world;

  @BeforeEach
  void world(TestWorld world) {
    this.world = world;
  }

  @ParameterizedTest(name = "kvVersion {0}")
  @ValueSource(strings = {"auto", "1"})
  void rotatesATokenInAKvV1MountKeepingTheOtherFields(String kvVersion) {
    world.vault.mountKv("", "kv", 1);
    // A token two hours old (due with interval 1h), and the management token on the same mount.
    world.dynatraceClock.advance(Duration.ofHours(-2));
    IssuedToken script =
        world.dynatrace.createToken("kv_script", SeedState.SCRIPT_SCOPES, SeedState.OWNER, null);
    world.dynatraceClock.advance(Duration.ofHours(2));
    world.vault.writeKv(
        "", "kv", "dynatrace/master", Map.of("token", world.vaultToken(SeedState.MASTER_PATH)));
    world.vault.writeKv(
        "",
        "kv",
        "dynatrace/kv_script",
        Map.of("token", script.token(), "owner", "team-a", "url", "https://example.invalid"));

    TokenRotation resource = rotation(world, "kv-script", "dynatrace/kv_script", "1h");
    resource.getSpec().getVault().setMount("kv");
    resource.getSpec().getVault().setKvVersion(kvVersion);
    world.apply(resource);

    TokenRotation tr = world.awaitReady("kv-script", Reasons.ROTATED);
    Map<String, String> stored = world.vault.readKv("", "kv", "dynatrace/kv_script").orElseThrow();
    assertThat(stored)
        .containsEntry("owner", "team-a")
        .containsEntry("url", "https://example.invalid")
        .containsOnlyKeys("token", "owner", "url");
    String newToken = stored.get("token");
    assertThat(TestWorld.idOf(newToken))
        .isNotEqualTo(script.id())
        .isEqualTo(tr.getStatus().getTokenId());
    assertThat(world.dynatrace.authenticates(newToken)).isTrue();
    assertThat(world.dynatrace.token(tr.getStatus().getTokenId()).orElseThrow().name())
        .isEqualTo("kv_script");
    // KV v1 requests only: no /data/ path on the kv mount
    assertThat(world.vault.journal().count("*", "/v1/kv/data/.*")).isZero();
    assertThat(
            world.vault.journal().count("PUT", "/v1/kv/dynatrace/kv_script")
                + world.vault.journal().count("POST", "/v1/kv/dynatrace/kv_script"))
        .isEqualTo(1);
    // the old token is retired after the grace period
    world.passTime(Resources.GRACE);
    world.await("kv-script", "old token retired", r -> r.getStatus().getRetiredTokens() == null);
    assertThat(world.dynatrace.token(script.id())).isEmpty();
  }

  @Test
  void kubernetesAuthLogsInAsTheNamespacesServiceAccount() {
    world.vault.putPolicy(
        "",
        "rotator",
        Map.of("secret/data/dynatrace/*", Set.of("read", "patch", "update", "create")));
    world.vault.kubernetesRole(
        "",
        "kubernetes",
        "rotator",
        Set.of("token-rotator"),
        Set.of(TestWorld.NAMESPACE),
        Set.of("rotator"),
        Duration.ofMinutes(10));
    world.serviceAccount("token-rotator");
    String oldId = world.seeded.get("secret/" + PATH);

    world.apply(
        Resources.withKubernetesAuth(
            rotation(world, "script1", PATH, "1h"), "rotator", "token-rotator"));

    TokenRotation tr = world.awaitReady("script1", Reasons.ROTATED);
    assertThat(tr.getStatus().getTokenId())
        .isNotEqualTo(oldId)
        .isEqualTo(TestWorld.idOf(world.vaultToken(PATH)));
    assertThat(world.dynatrace.authenticates(world.vaultToken(PATH))).isTrue();
    assertThat(
            world
                .vault
                .journal()
                .count(e -> e.matches("POST", "/v1/auth/kubernetes/login") && e.status() == 200))
        .isGreaterThanOrEqualTo(1);
    // every KV call went with the login token, never with the root token
    assertThat(
            world.vault.journal().entries().stream()
                .filter(e -> e.path().startsWith("/v1/secret/"))
                .map(JournalEntry::principal))
        .isNotEmpty()
        .doesNotContain(world.vault.rootTokenAccessor());
  }

  @Test
  void aRoleBoundToAnotherNamespaceStallsWithVaultAuthFailed() {
    world.vault.putPolicy(
        "",
        "rotator",
        Map.of("secret/data/dynatrace/*", Set.of("read", "patch", "update", "create")));
    world.vault.kubernetesRole(
        "",
        "kubernetes",
        "rotator",
        Set.of("token-rotator"),
        Set.of("team-b"),
        Set.of("rotator"),
        Duration.ofMinutes(10));
    world.serviceAccount("token-rotator");
    String oldToken = world.vaultToken(PATH);

    world.apply(
        Resources.withKubernetesAuth(
            rotation(world, "script1", PATH, "1h"), "rotator", "token-rotator"));

    TokenRotation tr = world.awaitStalled("script1", Reasons.VAULT_AUTH_FAILED);
    assertReadyFalse(tr, Reasons.VAULT_AUTH_FAILED);
    world.awaitWarning("script1", Reasons.VAULT_AUTH_FAILED);
    assertThat(world.dynatrace.journal().size()).isZero();
    assertThat(world.vault.journal().count(e -> e.path().startsWith("/v1/secret/"))).isZero();
    assertThat(world.vaultToken(PATH)).isEqualTo(oldToken);
  }

  @Test
  void aVaultTokenWhosePolicyDoesNotCoverThePathStallsWithVaultPermissionDenied() {
    world.vault.putPolicy(
        "", "other-team", Map.of("secret/data/other/*", Set.of("read", "patch", "update")));
    String limited = world.vault.createToken("", Set.of("other-team"), Duration.ZERO, false);
    world.secret("limited-vault-token", Map.of("token", limited));
    String oldToken = world.vaultToken(PATH);

    world.apply(
        Resources.withVaultTokenSecret(
            rotation(world, "script1", PATH, "1h"), "limited-vault-token"));

    TokenRotation tr = world.awaitStalled("script1", Reasons.VAULT_PERMISSION_DENIED);
    assertReadyFalse(tr, Reasons.VAULT_PERMISSION_DENIED);
    world.awaitWarning("script1", Reasons.VAULT_PERMISSION_DENIED);
    assertThat(world.vault.journal().count(e -> e.status() == 403)).isGreaterThanOrEqualTo(1);
    assertThat(world.dynatrace.journal().size()).isZero();
    assertThat(world.vaultToken(PATH)).isEqualTo(oldToken);
    assertThat(world.dynatrace.authenticates(oldToken)).isTrue();
  }

  static void assertReadyFalse(TokenRotation tr, String reason) {
    Condition ready =
        Conditions.find(tr.getStatus().getConditions(), Conditions.READY).orElseThrow();
    assertThat(ready.getStatus()).isEqualTo(Conditions.FALSE);
    assertThat(ready.getReason()).isEqualTo(reason);
    assertThat(ready.getMessage()).isNotBlank();
  }
}
