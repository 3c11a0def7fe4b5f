package io.tokenrotation.sandbox;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.tokenrotation.operator.app.DefaultUpstreamResolver;
import io.tokenrotation.sim.kubernetes.EmbeddedKubernetes;
import io.tokenrotation.sim.vault.ServiceAccountIdentity;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Vault's Kubernetes auth wired to the embedded API server, the way the operator is meant to log in (docs): the
 * simulated Vault verifies the service-account JWTs the embedded API server issues (TokenRequest), and a role binds
 * one service account of one namespace to a policy on the given KV paths.
 */
public final class VaultKubernetesLogin {
  private VaultKubernetesLogin() {}

  /** Enables the login and creates the service account; {@code kvPaths} are KV v2 paths under mount {@code secret}. */
  public static void enable(VaultSimulator vault, EmbeddedKubernetes kube, String namespace, String serviceAccount,
      String role, String kvPaths) {
    vault.jwtVerifier(jwt -> kube.serviceAccountJwts().verify(jwt, "vault")
        .map(id -> new ServiceAccountIdentity(id.namespace(), id.serviceAccount(), id.uid())));
    vault.putPolicy("", role, Map.of(
        "secret/data/" + kvPaths, Set.of("read", "create", "update", "patch"),
        "secret/metadata/" + kvPaths, Set.of("read")));
    vault.kubernetesRole("", "kubernetes", role, Set.of(serviceAccount), Set.of(namespace), Set.of(role),
        Duration.ofHours(1));
    // Opted in, as a namespace admin would (docs/security.md): otherwise the operator refuses to log in as it.
    kube.client().serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
        .withName(serviceAccount).addToAnnotations(DefaultUpstreamResolver.VAULT_LOGIN_ANNOTATION, "true")
        .endMetadata().build()).createOr(existing -> existing.update());
  }
}
