package io.tokenrotation.sim.realkube;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.tokenrotation.sim.vault.TokenReviewJwtVerifier;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Vault's Kubernetes auth pointed at a real API server, configured the way the docs tell users to:
 * a reviewer service account ({@code vault/vault-token-reviewer}) bound to {@code
 * system:auth-delegator}, its TokenRequest token as {@code token_reviewer_jwt}, the server's CA as
 * {@code kubernetes_ca_cert}, and the role audience. From then on every login's JWT is judged by
 * the API server's TokenReview (signature, expiry, audience, issuer).
 */
public final class VaultTokenReview {
  public static final String REVIEWER_NAMESPACE = "vault";
  public static final String REVIEWER = "vault-token-reviewer";

  private VaultTokenReview() {}

  /**
   * Creates the reviewer (idempotent) and makes {@code vault} verify Kubernetes logins through it.
   */
  public static TokenReviewJwtVerifier install(
      RealKubernetes kube, VaultSimulator vault, String audience) {
    kube.admin()
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(REVIEWER_NAMESPACE)
                .endMetadata()
                .build())
        .createOr(existing -> existing.update());
    kube.admin()
        .serviceAccounts()
        .inNamespace(REVIEWER_NAMESPACE)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName(REVIEWER).endMetadata().build())
        .createOr(existing -> existing.update());
    kube.admin()
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(REVIEWER)
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("ClusterRole")
                .withName("system:auth-delegator")
                .endRoleRef()
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(REVIEWER)
                .withNamespace(REVIEWER_NAMESPACE)
                .endSubject()
                .build())
        .createOr(existing -> existing.update());
    // One reviewer token for the verifier's life (2 h, longer than any test or sandbox session
    // needs).
    AtomicReference<String> reviewerJwt = new AtomicReference<>();
    TokenReviewJwtVerifier verifier =
        TokenReviewJwtVerifier.forApiServer(
            URI.create(kube.url()),
            kube.caPem(),
            () ->
                reviewerJwt.updateAndGet(
                    current ->
                        current != null
                            ? current
                            : kube.serviceAccountToken(
                                REVIEWER_NAMESPACE, REVIEWER, List.of(), Duration.ofHours(2))),
            Optional.of(audience));
    vault.jwtVerifier(verifier);
    return verifier;
  }
}
