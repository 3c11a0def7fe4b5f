package io.tokenrotation.operator.connect;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tokenrotation.operator.api.SecretKeyRef;
import io.tokenrotation.operator.dynatrace.ApiToken;
import io.tokenrotation.operator.dynatrace.DynatraceClient;
import io.tokenrotation.operator.dynatrace.DynatraceClients;
import io.tokenrotation.operator.failure.StalledException;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.vault.KvLocation;
import io.tokenrotation.operator.vault.KvVersion;
import io.tokenrotation.operator.vault.LoginAuth;
import io.tokenrotation.operator.vault.StaticTokenAuth;
import io.tokenrotation.operator.vault.VaultAuth;
import io.tokenrotation.operator.vault.VaultClient;
import io.tokenrotation.operator.vault.VaultClients;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Resolves a resource's connections. Tenancy: every Secret is read from the resource's own
 * namespace, and Kubernetes auth logs in as a service account of that namespace (JWT from the
 * TokenRequest API), so a Vault role bound to namespaces isolates tenants: the operator never
 * reaches Vault with an identity of its own.
 */
public final class KubernetesConnectionResolver implements ConnectionResolver {
  /**
   * On a ServiceAccount: {@code "true"} lets the operator log in to Vault as it (Kubernetes auth).
   */
  public static final String VAULT_LOGIN_ANNOTATION = "tokenrotation.io/vault-login";

  private final KubernetesClient kubernetes;
  private final ConnectionPolicy config;
  private final VaultClients vaultClients;
  private final DynatraceClients dynatraceClients;
  private final Clock clock;

  public KubernetesConnectionResolver(
      KubernetesClient kubernetes,
      ConnectionPolicy config,
      VaultClients vaultClients,
      DynatraceClients dynatraceClients,
      Clock clock) {
    this.kubernetes = kubernetes;
    this.config = config;
    this.vaultClients = vaultClients;
    this.dynatraceClients = dynatraceClients;
    this.clock = clock;
  }

  /**
   * Checks every Secret reference first (Kubernetes reads only), so a missing Secret or key stalls
   * the resource before any call to Vault or Dynatrace; the connections themselves are built on
   * first use. For a TokenRotation and a TokenCleanupPolicy alike (the latter has no rotated
   * secret).
   */
  @Override
  public Connection resolve(String namespace, ConnectionTarget connection) {
    refuseWhatTheAdminDoesNotAllow(connection);
    requireOptInForKubernetesLogin(namespace, connection);
    Optional<ConnectionTarget.Vault> vault = connection.vault();
    Optional<SecretValue> ca =
        vault
            .flatMap(ConnectionTarget.Vault::ca)
            .map(ref -> secretKey(namespace, ref, "spec.vault.caSecretRef"));
    Optional<SecretValue> vaultToken =
        vault
            .map(ConnectionTarget.Vault::login)
            .filter(ConnectionTarget.TokenFromSecret.class::isInstance)
            .map(ConnectionTarget.TokenFromSecret.class::cast)
            .map(
                fromSecret ->
                    secretKey(namespace, fromSecret.secret(), "spec.vault.auth.tokenSecretRef"));
    Optional<SecretValue> managementToken =
        connection.managementToken() instanceof ConnectionTarget.ManagementTokenInSecret inSecret
            ? Optional.of(
                secretKey(namespace, inSecret.secret(), "spec.dynatrace.managementToken.secretRef"))
            : Optional.empty();
    return new Lazy(namespace, connection, ca, vaultToken, managementToken);
  }

  /**
   * No confused deputy (docs/security.md): before any Secret is read, any token requested or any
   * call made, the endpoints and the service-account audience must be ones the cluster admin
   * allows. The resource author chooses them, but the credentials the operator would carry there
   * are not the author's to send.
   */
  private void refuseWhatTheAdminDoesNotAllow(ConnectionTarget connection) {
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
  private void requireOptInForKubernetesLogin(String namespace, ConnectionTarget connection) {
    connection
        .vault()
        .map(ConnectionTarget.Vault::login)
        .filter(ConnectionTarget.KubernetesLogin.class::isInstance)
        .map(ConnectionTarget.KubernetesLogin.class::cast)
        .ifPresent(login -> requireOptIn(namespace, login.serviceAccount()));
  }

  /** Resolves each connection on first use and keeps it for the rest of the reconcile step. */
  private final class Lazy implements Connection {
    private final String namespace;
    private final ConnectionTarget connection;
    private final Optional<SecretValue> ca;
    private final Optional<SecretValue> vaultToken;
    private final Optional<SecretValue> managementTokenFromSecret;
    private VaultClient vault;
    private KvLocation location;
    private DynatraceClient dynatrace;
    private SecretValue managementToken;
    private ApiToken managementTokenMetadata;

    Lazy(
        String namespace,
        ConnectionTarget connection,
        Optional<SecretValue> ca,
        Optional<SecretValue> vaultToken,
        Optional<SecretValue> managementTokenFromSecret) {
      this.namespace = namespace;
      this.connection = connection;
      this.ca = ca;
      this.vaultToken = vaultToken;
      this.managementTokenFromSecret = managementTokenFromSecret;
    }

    @Override
    public synchronized VaultClient vault() {
      if (vault == null) {
        ConnectionTarget.Vault spec =
            connection.vault().orElseThrow(() -> new IllegalStateException("no spec.vault"));
        String identity;
        Supplier<VaultAuth> auth;
        if (vaultToken.isPresent()) {
          SecretValue token = vaultToken.get();
          identity = "token:" + token.fingerprint();
          auth = () -> new StaticTokenAuth(token);
        } else {
          ConnectionTarget.KubernetesLogin k8s = (ConnectionTarget.KubernetesLogin) spec.login();
          String audience = config.vaultAudiences().audience(k8s.audience());
          identity =
              "kubernetes:"
                  + k8s.mountPath()
                  + "|"
                  + k8s.role()
                  + "|"
                  + namespace
                  + "/"
                  + k8s.serviceAccount()
                  + "|"
                  + audience;
          auth =
              () ->
                  LoginAuth.kubernetes(
                      k8s.mountPath(),
                      k8s.role(),
                      () -> serviceAccountToken(namespace, k8s.serviceAccount(), audience),
                      clock);
        }
        vault = vaultClients.forConnection(spec.address(), spec.namespace(), identity, auth, ca);
      }
      return vault;
    }

    @Override
    public synchronized KvLocation secretLocation() {
      if (location == null) {
        location =
            locationOf(
                connection.secretPath().orElseThrow(() -> new IllegalStateException("no secret")));
      }
      return location;
    }

    private KvLocation locationOf(String path) {
      ConnectionTarget.Vault spec =
          connection.vault().orElseThrow(() -> new IllegalStateException("no spec.vault"));
      KvVersion requested =
          switch (spec.kvVersion()) {
            case "1" -> KvVersion.V1;
            case "2" -> KvVersion.V2;
            default -> KvVersion.AUTO;
          };
      return new KvLocation(
          spec.mount(), path, vault().resolveVersion(spec.mount(), path, requested));
    }

    @Override
    public synchronized DynatraceClient dynatrace() {
      if (dynatrace == null) {
        managementToken = managementToken();
        dynatrace = dynatraceClients.forEnvironment(connection.environmentUrl(), managementToken);
      }
      return dynatrace;
    }

    @Override
    public synchronized ApiToken lookupManagementToken() {
      if (managementTokenMetadata == null) {
        DynatraceClient client = dynatrace();
        managementTokenMetadata = client.lookup(managementToken);
      }
      return managementTokenMetadata;
    }

    private SecretValue managementToken() {
      if (managementTokenFromSecret.isPresent()) {
        return managementTokenFromSecret.get();
      }
      ConnectionTarget.ManagementTokenInVault inVault =
          (ConnectionTarget.ManagementTokenInVault) connection.managementToken();
      KvLocation where =
          connection.secretPath().filter(inVault.path()::equals).isPresent()
              ? secretLocation()
              : locationOf(inVault.path());
      return vault()
          .read(where)
          .flatMap(secret -> secret.field(inVault.field()))
          .orElseThrow(
              () ->
                  new StalledException(
                      Reasons.MANAGEMENT_TOKEN_NOT_FOUND,
                      "no field \""
                          + inVault.field()
                          + "\" at "
                          + where.display()
                          + " in Vault (spec.dynatrace.managementToken.vault)"));
    }
  }

  /** A key of a Secret in the resource's own namespace (never elsewhere). */
  private SecretValue secretKey(String namespace, SecretKeyRef ref, String field) {
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
   * #resolve} checked the opt-in ({@link #VAULT_LOGIN_ANNOTATION}): whoever may create a
   * TokenRotation must not be able to borrow every identity of the namespace (docs/security.md).
   */
  private SecretValue serviceAccountToken(
      String namespace, String serviceAccount, String audience) {
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

  private void requireOptIn(String namespace, String serviceAccount) {
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
    if (annotations == null || !"true".equals(annotations.get(VAULT_LOGIN_ANNOTATION))) {
      throw new StalledException(
          Reasons.SERVICE_ACCOUNT_NOT_ALLOWED,
          "service account "
              + namespace
              + "/"
              + serviceAccount
              + " does not allow Vault logins by the operator: a namespace admin annotates it with "
              + VAULT_LOGIN_ANNOTATION
              + "=true");
    }
  }
}
