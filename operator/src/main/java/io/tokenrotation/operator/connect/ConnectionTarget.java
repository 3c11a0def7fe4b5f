package io.tokenrotation.operator.connect;

import io.tokenrotation.operator.api.SecretKeyRef;
import java.util.Optional;

/**
 * Where a resource's upstream connections go, validated: the Vault connection (a TokenRotation
 * always has one, a TokenCleanupPolicy only when its management token is in Vault), the secret a
 * TokenRotation rotates, and the Dynatrace environment with its management token. The resolver in
 * {@code app} turns it into clients.
 */
public record ConnectionTarget(
    Optional<Vault> vault,
    Optional<String> secretPath,
    String environmentUrl,
    ManagementToken managementToken) {

  /** How to reach and log in to Vault. */
  public record Vault(
      String address,
      String namespace,
      String mount,
      String kvVersion,
      VaultLogin login,
      Optional<SecretKeyRef> ca) {}

  /** How the operator logs in to Vault for this resource. */
  public sealed interface VaultLogin permits TokenFromSecret, KubernetesLogin {}

  public record TokenFromSecret(SecretKeyRef secret) implements VaultLogin {}

  public record KubernetesLogin(
      String role, String mountPath, String serviceAccount, Optional<String> audience)
      implements VaultLogin {}

  /** Where the management token is read from. */
  public sealed interface ManagementToken permits ManagementTokenInVault, ManagementTokenInSecret {}

  public record ManagementTokenInVault(String path, String field) implements ManagementToken {}

  public record ManagementTokenInSecret(SecretKeyRef secret) implements ManagementToken {}
}
