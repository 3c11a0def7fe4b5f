package io.tokenrotation.operator.connect;

import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.time.Clock;
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
  private final NamespaceCredentials credentials;
  private final ManagementTokenCache managementTokens;
  private final ConnectionGuards guards;

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
    this.credentials = new NamespaceCredentials(kubernetes, config);
    this.managementTokens = new ManagementTokenCache(clock, ManagementTokenCache.TTL);
    this.guards = new ConnectionGuards(config, credentials);
  }

  /**
   * Checks every Secret reference first (Kubernetes reads only), so a missing Secret or key stalls
   * the resource before any call to Vault or Dynatrace; the connections themselves are built on
   * first use. For a TokenRotation and a TokenCleanupPolicy alike (the latter has no rotated
   * secret).
   */
  @Override
  public Connection resolve(String namespace, ConnectionTarget connection) {
    guards.refuseWhatTheAdminDoesNotAllow(connection);
    guards.requireOptInForKubernetesLogin(namespace, connection);
    Optional<ConnectionTarget.Vault> vault = connection.vault();
    Optional<SecretValue> ca =
        vault
            .flatMap(ConnectionTarget.Vault::ca)
            .map(ref -> credentials.secretKey(namespace, ref, "spec.vault.caSecretRef"));
    Optional<SecretValue> vaultToken =
        vault
            .map(ConnectionTarget.Vault::login)
            .filter(ConnectionTarget.TokenFromSecret.class::isInstance)
            .map(ConnectionTarget.TokenFromSecret.class::cast)
            .map(
                fromSecret ->
                    credentials.secretKey(
                        namespace, fromSecret.secret(), "spec.vault.auth.tokenSecretRef"));
    Optional<SecretValue> managementToken =
        connection.managementToken() instanceof ConnectionTarget.ManagementTokenInSecret inSecret
            ? Optional.of(
                credentials.secretKey(
                    namespace, inSecret.secret(), "spec.dynatrace.managementToken.secretRef"))
            : Optional.empty();
    return new Lazy(namespace, connection, ca, vaultToken, managementToken);
  }

  /** Resolves each connection on first use and keeps it for the rest of the reconcile step. */
  private final class Lazy implements Connection {
    private final String namespace;
    private final ConnectionTarget connection;
    private final Optional<SecretValue> ca;
    private final Optional<SecretValue> vaultToken;
    private final Optional<SecretValue> managementTokenFromSecret;
    private VaultClient vault;
    private String vaultIdentity;
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
                      () ->
                          credentials.serviceAccountToken(
                              namespace, k8s.serviceAccount(), audience),
                      clock);
        }
        vaultIdentity = identity;
        vault =
            new WriteReportingVaultClient(
                vaultClients.forConnection(spec.address(), spec.namespace(), identity, auth, ca),
                written ->
                    managementTokens.secretWritten(
                        spec.address(), spec.namespace(), written.mount(), written.path()));
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
        if (managementTokenFromSecret.isPresent()) {
          managementToken = managementTokenFromSecret.get();
          dynatrace = dynatraceClients.forEnvironment(connection.environmentUrl(), managementToken);
        } else {
          ManagementTokenCache.Key key = managementTokenKey();
          managementToken = managementTokens.get(key, () -> managementTokenFromVault(key));
          dynatrace =
              new RefreshingDynatraceClient(
                  dynatraceClients.forEnvironment(connection.environmentUrl(), managementToken),
                  () -> {
                    managementTokens.forget(key);
                    SecretValue now =
                        managementTokens.get(key, () -> managementTokenFromVault(key));
                    if (now.equals(managementToken)) {
                      return Optional.empty();
                    }
                    managementToken = now;
                    managementTokenMetadata = null;
                    return Optional.of(
                        dynatraceClients.forEnvironment(connection.environmentUrl(), now));
                  });
        }
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

    /** Where the management token lives in Vault, as read by this resource's Vault identity. */
    private ManagementTokenCache.Key managementTokenKey() {
      ConnectionTarget.Vault spec = connection.vault().orElseThrow();
      KvLocation where = managementTokenLocation();
      vault(); // its identity is part of the key
      return new ManagementTokenCache.Key(
          spec.address(),
          spec.namespace(),
          vaultIdentity,
          where.mount(),
          where.path(),
          managementTokenInVault().field());
    }

    private ConnectionTarget.ManagementTokenInVault managementTokenInVault() {
      return (ConnectionTarget.ManagementTokenInVault) connection.managementToken();
    }

    private KvLocation managementTokenLocation() {
      String path = managementTokenInVault().path();
      return connection.secretPath().filter(path::equals).isPresent()
          ? secretLocation()
          : locationOf(path);
    }

    private SecretValue managementTokenFromVault(ManagementTokenCache.Key key) {
      KvLocation where = managementTokenLocation();
      return vault()
          .read(where)
          .flatMap(secret -> secret.field(key.field()))
          .orElseThrow(
              () ->
                  new StalledException(
                      Reasons.MANAGEMENT_TOKEN_NOT_FOUND,
                      "no field \""
                          + key.field()
                          + "\" at "
                          + where.display()
                          + " in Vault (spec.dynatrace.managementToken.vault)"));
    }
  }
}
