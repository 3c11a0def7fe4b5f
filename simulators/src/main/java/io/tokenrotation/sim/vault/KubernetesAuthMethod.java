package io.tokenrotation.sim.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotation.sim.http.SimResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The Kubernetes auth method mounted at one path (reference §4, vault-plugin-auth-kubernetes
 * path_login.go).
 *
 * <p>Check order differs slightly from the plugin: the plugin checks the bound name and namespace
 * from the (unverified) claims before the TokenReview, here the pluggable {@link JwtVerifier} runs
 * first, because it is what yields the identity. A token that is both forged and for a wrong
 * account therefore gets "permission denied" here.
 */
final class KubernetesAuthMethod {
  record Role(
      String name,
      Set<String> boundServiceAccountNames,
      Set<String> boundServiceAccountNamespaces,
      Set<String> policies,
      Duration ttl) {}

  private final String namespace;
  private final String mountPath;
  private final Map<String, Role> roles = new ConcurrentHashMap<>();

  KubernetesAuthMethod(String namespace, String mountPath) {
    this.namespace = namespace;
    this.mountPath = mountPath;
  }

  void putRole(Role role) {
    roles.put(role.name(), role);
  }

  Set<String> roleNames() {
    return Set.copyOf(roles.keySet());
  }

  SimResponse login(
      JsonNode body,
      Supplier<JwtVerifier> verifier,
      TokenStore tokens,
      Instant now,
      Consumer<String> principal) {
    String roleName = body.path("role").asText("");
    if (roleName.isEmpty()) {
      throw VaultApiException.badRequest("missing role");
    }
    String jwt = body.path("jwt").asText("");
    if (jwt.isEmpty()) {
      throw VaultApiException.badRequest("missing jwt");
    }
    Role role = roles.get(roleName);
    if (role == null) {
      throw VaultApiException.badRequest("invalid role name \"" + roleName + "\"");
    }
    Optional<ServiceAccountIdentity> identity = verifier.get().verify(jwt);
    if (identity.isEmpty()) {
      throw VaultApiException.permissionDenied();
    }
    ServiceAccountIdentity sa = identity.get();
    if (!bound(role.boundServiceAccountNames(), sa.name())) {
      throw VaultApiException.error(403, "service account name not authorized");
    }
    if (!bound(role.boundServiceAccountNamespaces(), sa.namespace())) {
      throw VaultApiException.error(403, "namespace not authorized");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("role", roleName);
    metadata.put("service_account_name", sa.name());
    metadata.put("service_account_namespace", sa.namespace());
    metadata.put("service_account_secret_name", "");
    metadata.put("service_account_uid", sa.uid());
    // One stable entity per service account, as Vault's identity store would create on first login.
    String entityId =
        UUID.nameUUIDFromBytes(
                (namespace + "|" + mountPath + "|" + sa.namespace() + "|" + sa.name())
                    .getBytes(StandardCharsets.UTF_8))
            .toString();
    // orphan:true is marked (?) in the reference; login tokens have no parent token, so true is the
    // consistent value.
    TokenEntry token =
        tokens.issue(
            namespace,
            role.policies(),
            metadata,
            "auth/" + mountPath + "/login",
            mountPath.replace('/', '-') + "-" + sa.namespace() + "-" + sa.name(),
            entityId,
            role.ttl(),
            true,
            true);
    principal.accept(token.accessor());
    return VaultEnvelope.of("kubernetes").auth(token.authBlock(now)).ok();
  }

  /**
   * A bound list matches "*" or the exact value (the plugin also allows globs with a flag; not
   * simulated).
   */
  private static boolean bound(Set<String> allowed, String value) {
    return allowed.contains("*") || allowed.contains(value);
  }
}
