package io.tokenrotation.sim.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotation.sim.http.SimResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The AppRole auth method at {@code auth/approle} (reference §4): one secret_id per role, no bind
 * CIDRs.
 */
final class AppRoleAuthMethod {
  static final String MOUNT = "approle";

  record Role(String name, String roleId, String secretId, Set<String> policies, Duration ttl) {}

  private final String namespace;
  private final Map<String, Role> byRoleId = new ConcurrentHashMap<>();

  AppRoleAuthMethod(String namespace) {
    this.namespace = namespace;
  }

  void putRole(Role role) {
    byRoleId.values().removeIf(r -> r.name().equals(role.name()));
    byRoleId.put(role.roleId(), role);
  }

  SimResponse login(JsonNode body, TokenStore tokens, Instant now, Consumer<String> principal) {
    String roleId = body.path("role_id").asText("");
    if (roleId.isEmpty()) {
      throw VaultApiException.badRequest("missing role_id");
    }
    String secretId = body.path("secret_id").asText("");
    if (secretId.isEmpty()) {
      throw VaultApiException.badRequest("missing secret_id");
    }
    Role role = byRoleId.get(roleId);
    if (role == null
        || !MessageDigest.isEqual(
            role.secretId().getBytes(StandardCharsets.UTF_8),
            secretId.getBytes(StandardCharsets.UTF_8))) {
      throw VaultApiException.badRequest("invalid role or secret ID");
    }
    TokenEntry token =
        tokens.issue(
            namespace,
            role.policies(),
            Map.of("role_name", role.name()),
            "auth/approle/login",
            "approle",
            VaultIds.uuid(),
            role.ttl(),
            true,
            true);
    principal.accept(token.accessor());
    return VaultEnvelope.of("approle").auth(token.authBlock(now)).ok();
  }

  boolean isEmpty() {
    return byRoleId.isEmpty();
  }
}
