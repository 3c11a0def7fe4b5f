package io.tokenrotation.operator.connect;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tokenrotation.operator.api.SecretKeyRef;
import io.tokenrotation.operator.failure.StalledException;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.operator.status.Reasons;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * What a resource's connections read from Kubernetes, always in the resource's own namespace
 * (tenancy): Secret keys, and service-account tokens from the TokenRequest API — only for a service
 * account whose namespace admin opted in with {@link
 * KubernetesConnectionResolver#VAULT_LOGIN_ANNOTATION}. Missing objects or keys are {@link
 * StalledException}s a human must fix.
 */
final class NamespaceCredentials {
  private final KubernetesClient kubernetes;
  private final ConnectionPolicy config;

  NamespaceCredentials(KubernetesClient kubernetes, ConnectionPolicy config) {
    this.kubernetes = kubernetes;
    this.config = config;
  }

  /** A key of a Secret in the resource's own namespace (never elsewhere). */
  SecretValue secretKey(String namespace, SecretKeyRef ref, String field) {
    Secret secret;
    try {
      secret = kubernetes.secrets().inNamespace(namespace).withName(ref.getName()).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        throw new StalledException(
            Reasons.SECRET_REF_NOT_FOUND,
            "the operator may not read Secret " + ref.getName() + " (" + field + ")");
      }
      throw e;
    }
    if (secret == null) {
      throw new StalledException(
          Reasons.SECRET_REF_NOT_FOUND,
          "Secret " + namespace + "/" + ref.getName() + " not found (" + field + ")");
    }
    String value = null;
    if (secret.getData() != null && secret.getData().get(ref.getKey()) != null) {
      value =
          new String(
              Base64.getDecoder().decode(secret.getData().get(ref.getKey()).trim()),
              StandardCharsets.UTF_8);
    } else if (secret.getStringData() != null) {
      value = secret.getStringData().get(ref.getKey());
    }
    if (value == null || value.isBlank()) {
      throw new StalledException(
          Reasons.SECRET_REF_KEY_MISSING,
          "Secret "
              + namespace
              + "/"
              + ref.getName()
              + " has no key \""
              + ref.getKey()
              + "\" ("
              + field
              + ")");
    }
    return SecretValue.of(value.trim());
  }

  /**
   * A short-lived JWT for {@code namespace/serviceAccount} through the TokenRequest API. {@link
   * KubernetesConnectionResolver#resolve} checked the opt-in ({@link
   * KubernetesConnectionResolver#VAULT_LOGIN_ANNOTATION}): whoever may create a TokenRotation must
   * not be able to borrow every identity of the namespace (docs/security.md).
   */
  SecretValue serviceAccountToken(String namespace, String serviceAccount, String audience) {
    TokenRequest request =
        new TokenRequestBuilder()
            .withNewSpec()
            .withAudiences(List.of(audience))
            .withExpirationSeconds(config.serviceAccountTokenTtl().getSeconds())
            .endSpec()
            .build();
    try {
      TokenRequest answer =
          kubernetes
              .serviceAccounts()
              .inNamespace(namespace)
              .withName(serviceAccount)
              .tokenRequest(request);
      if (answer == null || answer.getStatus() == null || answer.getStatus().getToken() == null) {
        throw new StalledException(
            Reasons.VAULT_AUTH_FAILED,
            "no token for service account "
                + namespace
                + "/"
                + serviceAccount
                + " from the TokenRequest API");
      }
      return SecretValue.of(answer.getStatus().getToken());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || e.getCode() == 403) {
        throw new StalledException(
            Reasons.VAULT_AUTH_FAILED,
            "cannot get a token for service account "
                + namespace
                + "/"
                + serviceAccount
                + " (HTTP "
                + e.getCode()
                + "): does it exist?");
      }
      throw e;
    }
  }

  void requireOptIn(String namespace, String serviceAccount) {
    ServiceAccount account;
    try {
      account = kubernetes.serviceAccounts().inNamespace(namespace).withName(serviceAccount).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        throw new StalledException(
            Reasons.VAULT_AUTH_FAILED,
            "the operator may not read service account " + namespace + "/" + serviceAccount);
      }
      throw e;
    }
    if (account == null) {
      throw new StalledException(
          Reasons.VAULT_AUTH_FAILED,
          "service account "
              + namespace
              + "/"
              + serviceAccount
              + " not found (spec.vault.auth.kubernetes.serviceAccount)");
    }
    Map<String, String> annotations = account.getMetadata().getAnnotations();
    if (annotations == null
        || !"true".equals(annotations.get(KubernetesConnectionResolver.VAULT_LOGIN_ANNOTATION))) {
      throw new StalledException(
          Reasons.SERVICE_ACCOUNT_NOT_ALLOWED,
          "service account "
              + namespace
              + "/"
              + serviceAccount
              + " does not allow Vault logins by the operator: a namespace admin annotates it with "
              + KubernetesConnectionResolver.VAULT_LOGIN_ANNOTATION
              + "=true");
    }
  }
}
