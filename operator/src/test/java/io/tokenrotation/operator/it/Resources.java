package io.tokenrotation.operator.it;

import io.tokenrotation.operator.api.DynatraceSpec;
import io.tokenrotation.operator.api.SecretKeyRef;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.VaultAuthSpec;
import io.tokenrotation.operator.testing.ControllerHarness;
import io.tokenrotation.operator.testing.Fixtures;
import java.time.Duration;

/**
 * TokenRotations for the integration tests: {@link Fixtures} with the world's simulators, a grace
 * period of {@value #GRACE_PERIOD} and the Vault token from a Secret.
 */
public final class Resources {
  public static final String VAULT_TOKEN_SECRET = ControllerHarness.VAULT_TOKEN_SECRET;

  /**
   * Long enough that no test sees an old token retired unless it lets the time pass ({@link
   * TestWorld#passTime}): the world's clock, not the wall clock, ends a grace period.
   */
  public static final String GRACE_PERIOD = "10m";

  /** {@link #GRACE_PERIOD} as a duration. */
  public static final Duration GRACE = Duration.ofMinutes(10);

  private Resources() {}

  /**
   * Rotates secret/&lt;path&gt; field token; management token from secret/dynatrace/master; Vault
   * token Secret.
   */
  public static TokenRotation rotation(TestWorld world, String name, String path, String interval) {
    return Fixtures.rotation(
        name,
        world.vault.baseUrl(),
        world.dynatrace.baseUrl(),
        Fixtures.path(path),
        Fixtures.interval(interval),
        Fixtures.gracePeriod(GRACE_PERIOD));
  }

  public static VaultAuthSpec vaultTokenAuth() {
    return Fixtures.vaultTokenAuth();
  }

  public static DynatraceSpec dynatrace(TestWorld world) {
    return Fixtures.dynatrace(world.dynatrace.baseUrl());
  }

  public static TokenRotation withKubernetesAuth(
      TokenRotation tr, String role, String serviceAccount) {
    Fixtures.kubernetesAuth(role, serviceAccount).accept(tr);
    return tr;
  }

  /** Management token from a Secret key of the namespace instead of Vault. */
  public static TokenRotation withManagementTokenSecret(
      TokenRotation tr, String secret, String key) {
    Fixtures.managementTokenSecret(secret, key).accept(tr);
    return tr;
  }

  /** Vault token from another Secret (key token). */
  public static TokenRotation withVaultTokenSecret(TokenRotation tr, String secret) {
    Fixtures.vaultTokenSecret(secret, "token").accept(tr);
    return tr;
  }

  public static SecretKeyRef ref(String name, String key) {
    return Fixtures.ref(name, key);
  }
}
