package io.tokenrotation.operator.connect;

import io.tokenrotation.operator.failure.StalledException;
import io.tokenrotation.operator.status.Reasons;
import java.util.Optional;

/**
 * What must hold before a resource's connections are resolved, checked with no call made and no
 * Secret read: the endpoints and audience are ones the cluster admin allows, and a service account
 * a Vault login would act as has opted in (docs/security.md).
 */
final class ConnectionGuards {
  private final ConnectionPolicy config;
  private final NamespaceCredentials credentials;

  ConnectionGuards(ConnectionPolicy config, NamespaceCredentials credentials) {
    this.config = config;
    this.credentials = credentials;
  }

  /**
   * No confused deputy (docs/security.md): before any Secret is read, any token requested or any
   * call made, the endpoints and the service-account audience must be ones the cluster admin
   * allows. The resource author chooses them, but the credentials the operator would carry there
   * are not the author's to send.
   */
  void refuseWhatTheAdminDoesNotAllow(ConnectionTarget connection) {
    Optional<String> refusal =
        connection
            .vault()
            .flatMap(
                vault ->
                    config
                        .vaultAddresses()
                        .refusal(vault.address())
                        .map(why -> "spec.vault.address: " + why))
            .or(
                () ->
                    config
                        .dynatraceUrls()
                        .refusal(connection.environmentUrl())
                        .map(why -> "spec.dynatrace.environmentUrl: " + why));
    if (refusal.isPresent()) {
      throw new StalledException(Reasons.ENDPOINT_NOT_ALLOWED, refusal.get());
    }
    connection
        .vault()
        .map(ConnectionTarget.Vault::login)
        .filter(ConnectionTarget.KubernetesLogin.class::isInstance)
        .map(ConnectionTarget.KubernetesLogin.class::cast)
        .flatMap(login -> config.vaultAudiences().refusal(login.audience()))
        .ifPresent(
            why -> {
              throw new StalledException(
                  Reasons.AUDIENCE_NOT_ALLOWED, "spec.vault.auth.kubernetes.audience: " + why);
            });
  }

  /**
   * The service account a Kubernetes-auth login would act as must have opted in (a Kubernetes read
   * only).
   */
  void requireOptInForKubernetesLogin(String namespace, ConnectionTarget connection) {
    connection
        .vault()
        .map(ConnectionTarget.Vault::login)
        .filter(ConnectionTarget.KubernetesLogin.class::isInstance)
        .map(ConnectionTarget.KubernetesLogin.class::cast)
        .ifPresent(login -> credentials.requireOptIn(namespace, login.serviceAccount()));
  }
}
