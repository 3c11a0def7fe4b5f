package io.tokenrotation.sim.vault;

import io.tokenrotation.sim.http.FaultInjector;
import io.tokenrotation.sim.http.RequestJournal;
import io.tokenrotation.sim.http.SimHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An in-memory HashiCorp Vault on 127.0.0.1, faithful to shared/reference/vault-api.md: KV v1/v2,
 * token, Kubernetes and AppRole auth, ACL policies, namespaces, seal and sys/health. Starts like
 * {@code vault server -dev}: root token "root" and KV v2 at {@code secret/}. Thread-safe.
 *
 * <p>Simplifications: a token works only in the namespace it was issued in (the root token
 * everywhere); the default JWT verifier does not check signatures (see {@link
 * UnsignedClaimsJwtVerifier}); no leases, wrapping, identity store or replication.
 */
public final class VaultSimulator implements AutoCloseable {
  private final VaultState state;
  private final SimHttpServer server;

  private VaultSimulator(int port, Clock clock) throws IOException {
    this.state = new VaultState(clock);
    state.namespace("").mounts().mountKv("secret/", 2);
    this.server =
        new SimHttpServer(
                "vault",
                SimHttpServer.loopback(port),
                new VaultRouter(state),
                new VaultAdminRoutes(state),
                VaultErrors::forStatus,
                clock)
            .start();
  }

  /** Port 0 picks a free port. */
  public static VaultSimulator start(int port) {
    return start(port, Clock.systemUTC());
  }

  public static VaultSimulator start(int port, Clock clock) {
    try {
      return new VaultSimulator(port, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Vault simulator on port " + port, e);
    }
  }

  /** e.g. {@code http://127.0.0.1:8200}, no trailing slash, the value for VAULT_ADDR. */
  public String baseUrl() {
    return server.baseUrl();
  }

  public int port() {
    return server.port();
  }

  public FaultInjector faults() {
    return server.faults();
  }

  public RequestJournal journal() {
    return server.journal();
  }

  public String rootToken() {
    return TokenStore.ROOT_TOKEN;
  }

  /**
   * The root token's accessor: what the journal records for requests made with {@link
   * #rootToken()}.
   */
  public String rootTokenAccessor() {
    return state.tokens.root().accessor();
  }

  /** Mounts a KV engine; namespace "" is the root namespace; idempotent for the same version. */
  public void mountKv(String namespace, String mountPath, int kvVersion) {
    state.namespace(namespace).mounts().mountKv(mountPath, kvVersion);
  }

  public void seal() {
    state.sealed(true);
  }

  public void unseal() {
    state.sealed(false);
  }

  public boolean sealed() {
    return state.sealed();
  }

  /** Writes without auth or CAS; returns the new version (v2) or 0 (v1). */
  public long writeKv(String namespace, String mount, String path, Map<String, String> data) {
    return engine(namespace, mount).write(stripSlashes(path), data);
  }

  /** The live data of the current version; empty if absent, soft-deleted or destroyed. */
  public Optional<Map<String, String>> readKv(String namespace, String mount, String path) {
    return engine(namespace, mount).read(stripSlashes(path));
  }

  /** KV v2 metadata current_version; 0 if the key is absent or the mount is v1. */
  public long currentVersion(String namespace, String mount, String path) {
    return engine(namespace, mount).currentVersion(stripSlashes(path));
  }

  /**
   * Creates or replaces a policy. Paths are policy paths (API path without /v1/, e.g. {@code
   * secret/data/dt/*}); capabilities: create, read, update, patch, delete, list, sudo, deny.
   */
  public void putPolicy(String namespace, String name, Map<String, Set<String>> pathCapabilities) {
    state.namespace(namespace).putPolicy(new AclPolicy(name, pathCapabilities));
  }

  /** Issues a service token ("default" is added to the policies); ttl zero = never expires. */
  public String createToken(
      String namespace, Set<String> policies, Duration ttl, boolean renewable) {
    String ns = VaultNamespace.normalize(namespace);
    state.namespace(ns);
    return state
        .tokens
        .issue(ns, policies, Map.of(), "auth/token/create", "token", "", ttl, renewable, false)
        .id();
  }

  /**
   * Configures a role of the Kubernetes auth method at {@code auth/<authMountPath>}; "*" in a bound
   * list = any.
   */
  public void kubernetesRole(
      String namespace,
      String authMountPath,
      String role,
      Set<String> boundServiceAccountNames,
      Set<String> boundServiceAccountNamespaces,
      Set<String> policies,
      Duration ttl) {
    state
        .namespace(namespace)
        .kubernetes(stripSlashes(authMountPath))
        .putRole(
            new KubernetesAuthMethod.Role(
                role,
                Set.copyOf(boundServiceAccountNames),
                Set.copyOf(boundServiceAccountNamespaces),
                Set.copyOf(policies),
                ttl));
  }

  /**
   * Replaces how Kubernetes logins verify JWTs (default: {@link UnsignedClaimsJwtVerifier} on this
   * clock); against a real kube-apiserver use {@link TokenReviewJwtVerifier#forApiServer}.
   */
  public void jwtVerifier(JwtVerifier verifier) {
    state.jwtVerifier.set(Objects.requireNonNull(verifier));
  }

  /** Configures an AppRole role at {@code auth/approle} with exactly one valid secret_id. */
  public void appRole(
      String namespace,
      String roleName,
      String roleId,
      String secretId,
      Set<String> policies,
      Duration ttl) {
    state
        .namespace(namespace)
        .appRole()
        .putRole(new AppRoleAuthMethod.Role(roleName, roleId, secretId, Set.copyOf(policies), ttl));
  }

  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return server.toString();
  }

  private KvEngine engine(String namespace, String mount) {
    return state
        .existing(namespace)
        .flatMap(ns -> ns.mounts().exact(mount))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no KV mount " + mount + " in namespace '" + namespace + "'"))
        .engine();
  }

  private static String stripSlashes(String path) {
    return path.replaceAll("^/+|/+$", "");
  }
}
