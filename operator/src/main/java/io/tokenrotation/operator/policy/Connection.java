package io.tokenrotation.operator.policy;

import io.tokenrotation.operator.api.SecretKeyRef;
import java.util.Optional;

/**
 * Where a resource's upstream connections go, validated: the Vault connection (a TokenRotation always has one, a
 * TokenCleanupPolicy only when its management token is in Vault), the secret a TokenRotation rotates, and the
 * Dynatrace environment with its management token. The resolver in {@code app} turns it into clients.
 */
public record Connection(Optional<Vault> vault, Optional<String> secretPath, String environmentUrl,
    EffectiveSpec.ManagementToken managementToken) {

  /** How to reach and log in to Vault. */
  public record Vault(String address, String namespace, String mount, String kvVersion,
      EffectiveSpec.VaultLogin login, Optional<SecretKeyRef> ca) {}
}
