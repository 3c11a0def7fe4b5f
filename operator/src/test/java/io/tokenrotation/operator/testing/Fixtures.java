package io.tokenrotation.operator.testing;

import io.tokenrotation.operator.api.DynatraceSpec;
import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.SecretKeyRef;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationBuilder;
import io.tokenrotation.operator.api.TokenRotationBuilder.Option;
import io.tokenrotation.operator.api.VaultAuthSpec;

/**
 * TokenRotations for tests: {@link TokenRotationBuilder} with the seed's setup by default (secret
 * path dynatrace/automation_script1, Vault token from the Secret vault-token, management token from
 * secret/dynatrace/master, interval 1h, old token deleted after a grace period of 2m), and each
 * test states only what differs: {@code rotation("a", world, path("x"), interval("1h"),
 * scopes("ReadConfig"))} with the builder's options.
 */
public final class Fixtures {
  private Fixtures() {}

  public static TokenRotation rotation(
      String name, String vaultUrl, String environmentUrl, Option... options) {
    TokenRotation tr =
        TokenRotationBuilder.rotation(
            name,
            vaultUrl,
            "dynatrace/automation_script1",
            environmentUrl,
            TokenRotationBuilder.interval("1h"),
            TokenRotationBuilder.vaultTokenSecret(ControllerHarness.VAULT_TOKEN_SECRET, "token"),
            // the seed deleted the old token; the operator's default (DisableThenDelete) is
            // tested on its own (DisableThenDeleteTest), tests that need it say so
            TokenRotationBuilder.retire(RetireAction.Delete, "2m"));
    for (Option option : options) {
      option.accept(tr);
    }
    return tr;
  }

  public static TokenRotation rotation(String name, ControllerHarness world, Option... options) {
    return rotation(name, world.vault.baseUrl(), world.dynatrace.baseUrl(), options);
  }

  /**
   * Vault login with the token in the Secret {@link ControllerHarness#VAULT_TOKEN_SECRET} (key
   * token).
   */
  public static VaultAuthSpec vaultTokenAuth() {
    return TokenRotationBuilder.tokenSecretAuth(ControllerHarness.VAULT_TOKEN_SECRET, "token");
  }

  /** The environment, with the seed's management token from Vault (secret/dynatrace/master). */
  public static DynatraceSpec dynatrace(String environmentUrl) {
    DynatraceSpec dynatrace = new DynatraceSpec();
    dynatrace.setEnvironmentUrl(environmentUrl);
    dynatrace.setManagementToken(TokenRotationBuilder.managementTokenFromVault("dynatrace/master"));
    return dynatrace;
  }

  public static Option gracePeriod(String gracePeriod) {
    return TokenRotationBuilder.gracePeriod(gracePeriod);
  }

  public static Option path(String path) {
    return TokenRotationBuilder.path(path);
  }

  /** The KV mount of the rotated secret (the simulator's {@code secret} is KV v2). */
  public static Option mount(String mount) {
    return TokenRotationBuilder.mount(mount);
  }

  public static Option interval(String interval) {
    return TokenRotationBuilder.interval(interval);
  }

  public static Option scopes(String... scopes) {
    return TokenRotationBuilder.scopes(scopes);
  }

  public static Option retire(RetireAction action, String gracePeriod) {
    return TokenRotationBuilder.retire(action, gracePeriod);
  }

  public static Option vaultTokenSecret(String secret, String key) {
    return TokenRotationBuilder.vaultTokenSecret(secret, key);
  }

  public static Option kubernetesAuth(String role, String serviceAccount) {
    return TokenRotationBuilder.kubernetesAuth(role, serviceAccount);
  }

  public static Option managementTokenSecret(String secret, String key) {
    return TokenRotationBuilder.managementTokenSecret(secret, key);
  }

  public static Option annotation(String key, String value) {
    return TokenRotationBuilder.annotation(key, value);
  }

  public static Option rotateRequest(String value) {
    return TokenRotationBuilder.rotateRequest(value);
  }

  public static SecretKeyRef ref(String name, String key) {
    return TokenRotationBuilder.ref(name, key);
  }
}
