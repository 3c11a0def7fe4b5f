package io.tokenrotation.sandbox;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tokenrotation.operator.connect.KubernetesConnectionResolver;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Vault's Kubernetes auth the way the operator is meant to log in (docs): the simulated Vault
 * verifies the service-account JWTs the API server issues (TokenRequest; {@link
 * SandboxKube#verifyVaultLogins}), and a role binds one service account of one namespace to a
 * policy on the given KV paths.
 */
public final class VaultKubernetesLogin {
  /** The audience the operator requests its JWTs for by default, and Vault's role expects. */
  public static final String AUDIENCE = "vault";

  private VaultKubernetesLogin() {}

  /**
   * The role, its policy and the service account (created through {@code client}, opted in); {@code
   * kvPaths} are KV v2 paths under mount {@code secret}. Vault must already know how to verify the
   * JWTs.
   */
  public static void enable(
      VaultSimulator vault,
      KubernetesClient client,
      String namespace,
      String serviceAccount,
      String role,
      String kvPaths) {
    vault.putPolicy(
        "",
        role,
        Map.of(
            "secret/data/" + kvPaths, Set.of("read", "create", "update", "patch"),
            "secret/metadata/" + kvPaths, Set.of("read")));
    vault.kubernetesRole(
        "",
        "kubernetes",
        role,
        Set.of(serviceAccount),
        Set.of(namespace),
        Set.of(role),
        Duration.ofHours(1));
    // Opted in, as a namespace admin would (docs/security.md): otherwise the operator refuses to
    // log in as it.
    client
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(serviceAccount)
                .addToAnnotations(KubernetesConnectionResolver.VAULT_LOGIN_ANNOTATION, "true")
                .endMetadata()
                .build())
        .createOr(existing -> existing.update());
  }
}
