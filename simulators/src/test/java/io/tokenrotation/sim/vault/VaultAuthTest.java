package io.tokenrotation.sim.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotation.sim.http.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tokens, ACL policies, Kubernetes and AppRole login, namespaces (reference §4). */
class VaultAuthTest {
  private static final String SCRIPT = "/v1/secret/data/dynatrace/script1";
  private static final ServiceAccountIdentity OPERATOR =
      new ServiceAccountIdentity("ops", "rotator", "uid-1");

  private final SettableClock clock = new SettableClock();
  private VaultSimulator vault;

  @BeforeEach
  void start() {
    clock.fix(Instant.parse("2024-05-01T10:00:00Z"));
    vault = VaultSimulator.start(0, clock);
    vault.putPolicy(
        "",
        "rotator",
        Map.of(
            "secret/data/dynatrace/*", Set.of("read", "create", "update", "patch"),
            "secret/metadata/dynatrace/*", Set.of("read", "list"),
            "secret/data/dynatrace/forbidden", Set.of("deny")));
    vault.kubernetesRole(
        "",
        "kubernetes",
        "rotator",
        Set.of("rotator"),
        Set.of("ops"),
        Set.of("rotator"),
        Duration.ofHours(1));
    vault.writeKv("", "secret", "dynatrace/script1", Map.of("token", "a"));
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  private VaultHttp anonymous() {
    return new VaultHttp(vault.baseUrl());
  }

  private VaultHttp.Reply kubernetesLogin(String role, String jwt) {
    return anonymous()
        .send(
            "POST",
            "/v1/auth/kubernetes/login",
            "{\"role\":\"" + role + "\",\"jwt\":\"" + jwt + "\"}");
  }

  private String jwt(ServiceAccountIdentity sa, Duration validFor) {
    return UnsignedClaimsJwtVerifier.unsignedToken(
        sa, clock.instant().plus(validFor), List.of("vault"));
  }

  private static void assertPermissionDenied(VaultHttp.Reply reply) {
    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.body()).isEqualTo("{\"errors\":[\"permission denied\"]}");
  }

  @Test
  void missingInvalidOrExpiredTokenIs403() {
    assertPermissionDenied(anonymous().get(SCRIPT));
    assertPermissionDenied(anonymous().token("hvs.nonsense").get(SCRIPT));
    String token = vault.createToken("", Set.of("rotator"), Duration.ofMinutes(5), false);
    assertThat(anonymous().token(token).get(SCRIPT).status()).isEqualTo(200);
    assertThat(anonymous().header("Authorization", "Bearer " + token).get(SCRIPT).status())
        .isEqualTo(200);
    clock.advance(Duration.ofMinutes(5));
    assertPermissionDenied(anonymous().token(token).get(SCRIPT));
  }

  @Test
  void policiesAllowTheirPathsAndDenyOthers() {
    String token = vault.createToken("", Set.of("rotator"), Duration.ofHours(1), true);
    VaultHttp client = anonymous().token(token);
    assertThat(client.get(SCRIPT).status()).isEqualTo(200);
    assertThat(client.send("PUT", SCRIPT, "{\"data\":{\"token\":\"b\"}}").status()).isEqualTo(200);
    assertThat(client.send("LIST", "/v1/secret/metadata/dynatrace", null).status()).isEqualTo(200);
    assertPermissionDenied(client.send("DELETE", SCRIPT, null));
    assertPermissionDenied(client.get("/v1/secret/data/other/x"));
    assertPermissionDenied(
        client.send("PUT", "/v1/secret/data/dynatrace/forbidden", "{\"data\":{\"a\":\"b\"}}"));
    assertPermissionDenied(
        client.send("POST", "/v1/secret/destroy/dynatrace/script1", "{\"versions\":[1]}"));
    assertPermissionDenied(client.get("/v1/sys/mounts"));
    assertThat(vault.readKv("", "secret", "dynatrace/script1")).contains(Map.of("token", "b"));
  }

  @Test
  void createAndUpdateAreDistinctCapabilities() {
    vault.putPolicy("", "update-only", Map.of("secret/data/*", Set.of("update", "read")));
    vault.putPolicy("", "create-only", Map.of("secret/data/*", Set.of("create")));
    VaultHttp updater =
        anonymous().token(vault.createToken("", Set.of("update-only"), Duration.ZERO, false));
    VaultHttp creator =
        anonymous().token(vault.createToken("", Set.of("create-only"), Duration.ZERO, false));
    assertThat(updater.send("PUT", SCRIPT, "{\"data\":{\"token\":\"b\"}}").status()).isEqualTo(200);
    assertPermissionDenied(
        updater.send("PUT", "/v1/secret/data/new", "{\"data\":{\"token\":\"b\"}}"));
    assertThat(creator.send("PUT", "/v1/secret/data/new", "{\"data\":{\"token\":\"b\"}}").status())
        .isEqualTo(200);
    assertPermissionDenied(creator.send("PUT", SCRIPT, "{\"data\":{\"token\":\"c\"}}"));
    // PATCH needs the patch capability, which update-only lacks.
    assertPermissionDenied(
        updater.send(
            "PATCH", SCRIPT, "{\"data\":{\"token\":\"c\"}}", "application/merge-patch+json"));
  }

  @Test
  void segmentWildcardPolicy() {
    vault.putPolicy("", "plus", Map.of("secret/data/+/script1", Set.of("read")));
    VaultHttp client =
        anonymous().token(vault.createToken("", Set.of("plus"), Duration.ZERO, false));
    assertThat(client.get(SCRIPT).status()).isEqualTo(200);
    vault.writeKv("", "secret", "a/b/script1", Map.of("k", "v"));
    assertPermissionDenied(client.get("/v1/secret/data/a/b/script1"));
  }

  @Test
  void kubernetesLoginIssuesARenewableTokenWithTheRoleTtl() {
    VaultHttp.Reply login = kubernetesLogin("rotator", jwt(OPERATOR, Duration.ofMinutes(10)));
    assertThat(login.status()).isEqualTo(200);
    JsonNode auth = login.json().get("auth");
    assertThat(login.json().get("data").isNull()).isTrue();
    assertThat(auth.get("client_token").asText()).startsWith("hvs.");
    assertThat(auth.get("accessor").asText())
        .isNotEmpty()
        .isNotEqualTo(auth.get("client_token").asText());
    assertThat(auth.get("policies"))
        .extracting(JsonNode::asText)
        .containsExactly("default", "rotator");
    assertThat(auth.get("token_policies"))
        .extracting(JsonNode::asText)
        .containsExactly("default", "rotator");
    assertThat(auth.get("lease_duration").asLong()).isEqualTo(3600);
    assertThat(auth.get("renewable").asBoolean()).isTrue();
    assertThat(auth.get("token_type").asText()).isEqualTo("service");
    assertThat(auth.get("orphan").asBoolean()).isTrue();
    assertThat(auth.get("entity_id").asText()).isNotEmpty();
    JsonNode meta = auth.get("metadata");
    assertThat(meta.get("role").asText()).isEqualTo("rotator");
    assertThat(meta.get("service_account_name").asText()).isEqualTo("rotator");
    assertThat(meta.get("service_account_namespace").asText()).isEqualTo("ops");
    assertThat(meta.get("service_account_uid").asText()).isEqualTo("uid-1");
    assertThat(meta.get("service_account_secret_name").asText()).isEmpty();

    VaultHttp client = anonymous().token(auth.get("client_token").asText());
    assertThat(client.get(SCRIPT).status()).isEqualTo(200);
    JsonNode self = client.get("/v1/auth/token/lookup-self").json().get("data");
    assertThat(self.get("ttl").asLong()).isEqualTo(3600);
    assertThat(self.get("accessor").asText()).isEqualTo(auth.get("accessor").asText());
    assertThat(self.get("expire_time").asText()).isEqualTo("2024-05-01T11:00:00Z");

    clock.advance(Duration.ofMinutes(50));
    assertThat(client.get("/v1/auth/token/lookup-self").json().at("/data/ttl").asLong())
        .isEqualTo(600);
    VaultHttp.Reply renewed =
        client.send("POST", "/v1/auth/token/renew-self", "{\"increment\":\"1h\"}");
    assertThat(renewed.status()).isEqualTo(200);
    assertThat(renewed.json().at("/auth/lease_duration").asLong()).isEqualTo(3600);
    clock.advance(Duration.ofMinutes(59));
    assertThat(client.get(SCRIPT).status()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(1));
    assertPermissionDenied(client.get(SCRIPT));
  }

  @Test
  void kubernetesLoginRejections() {
    String good = jwt(OPERATOR, Duration.ofMinutes(10));
    VaultHttp.Reply wrongName =
        kubernetesLogin(
            "rotator",
            jwt(new ServiceAccountIdentity("ops", "intruder", "u"), Duration.ofMinutes(10)));
    assertThat(wrongName.status()).isEqualTo(403);
    assertThat(wrongName.body())
        .isEqualTo("{\"errors\":[\"service account name not authorized\"]}");

    VaultHttp.Reply wrongNamespace =
        kubernetesLogin(
            "rotator",
            jwt(new ServiceAccountIdentity("default", "rotator", "u"), Duration.ofMinutes(10)));
    assertThat(wrongNamespace.status()).isEqualTo(403);
    assertThat(wrongNamespace.body()).isEqualTo("{\"errors\":[\"namespace not authorized\"]}");

    assertPermissionDenied(kubernetesLogin("rotator", jwt(OPERATOR, Duration.ofMinutes(-1))));
    assertPermissionDenied(kubernetesLogin("rotator", "not-a-jwt"));

    VaultHttp.Reply unknownRole = kubernetesLogin("nobody", good);
    assertThat(unknownRole.status()).isEqualTo(400);
    assertThat(unknownRole.body()).isEqualTo("{\"errors\":[\"invalid role name \\\"nobody\\\"\"]}");
    assertThat(
            anonymous()
                .send("POST", "/v1/auth/kubernetes/login", "{\"jwt\":\"" + good + "\"}")
                .body())
        .isEqualTo("{\"errors\":[\"missing role\"]}");
    assertThat(
            anonymous().send("POST", "/v1/auth/kubernetes/login", "{\"role\":\"rotator\"}").body())
        .isEqualTo("{\"errors\":[\"missing jwt\"]}");

    // A stricter verifier plugged in by a test decides instead of the claims reader.
    vault.jwtVerifier(jwt -> Optional.empty());
    assertPermissionDenied(kubernetesLogin("rotator", good));
    vault.jwtVerifier(new UnsignedClaimsJwtVerifier(clock, "other-audience"));
    assertPermissionDenied(kubernetesLogin("rotator", good));
    vault.jwtVerifier(new UnsignedClaimsJwtVerifier(clock, "vault"));
    assertThat(kubernetesLogin("rotator", good).status()).isEqualTo(200);
  }

  @Test
  void nonRenewableTokenCannotRenew() {
    VaultHttp client =
        anonymous().token(vault.createToken("", Set.of("rotator"), Duration.ofHours(1), false));
    VaultHttp.Reply renew = client.send("POST", "/v1/auth/token/renew-self", "{}");
    assertThat(renew.status()).isEqualTo(400);
    assertThat(renew.json().get("errors").get(0).asText()).isEqualTo("lease is not renewable");
  }

  @Test
  void appRoleLogin() {
    vault.appRole("", "ci", "role-123", "secret-456", Set.of("rotator"), Duration.ofMinutes(20));
    VaultHttp.Reply login =
        anonymous()
            .send(
                "POST",
                "/v1/auth/approle/login",
                "{\"role_id\":\"role-123\",\"secret_id\":\"secret-456\"}");
    assertThat(login.status()).isEqualTo(200);
    assertThat(login.json().at("/auth/lease_duration").asLong()).isEqualTo(1200);
    assertThat(login.json().at("/auth/metadata/role_name").asText()).isEqualTo("ci");
    assertThat(
            anonymous().token(login.json().at("/auth/client_token").asText()).get(SCRIPT).status())
        .isEqualTo(200);

    VaultHttp.Reply wrongSecret =
        anonymous()
            .send(
                "POST",
                "/v1/auth/approle/login",
                "{\"role_id\":\"role-123\",\"secret_id\":\"guess\"}");
    assertThat(wrongSecret.status()).isEqualTo(400);
    assertThat(wrongSecret.body()).isEqualTo("{\"errors\":[\"invalid role or secret ID\"]}");
    assertThat(anonymous().send("POST", "/v1/auth/approle/login", "{\"secret_id\":\"x\"}").body())
        .isEqualTo("{\"errors\":[\"missing role_id\"]}");
    assertThat(anonymous().send("POST", "/v1/auth/approle/login", "{\"role_id\":\"x\"}").body())
        .isEqualTo("{\"errors\":[\"missing secret_id\"]}");
  }

  @Test
  void namespacesAreSeparateTrees() {
    vault.mountKv("team-a", "secret", 2);
    vault.putPolicy("team-a", "reader", Map.of("secret/data/*", Set.of("read")));
    vault.writeKv("team-a", "secret", "dynatrace/script1", Map.of("token", "team-a-value"));
    String teamToken = vault.createToken("team-a", Set.of("reader"), Duration.ofHours(1), false);

    VaultHttp team = anonymous().token(teamToken).header("X-Vault-Namespace", "team-a/");
    assertThat(team.get(SCRIPT).json().at("/data/data/token").asText()).isEqualTo("team-a-value");
    // The path prefix form is equivalent to the header.
    assertThat(
            anonymous()
                .token(teamToken)
                .get("/v1/team-a/secret/data/dynatrace/script1")
                .json()
                .at("/data/data/token")
                .asText())
        .isEqualTo("team-a-value");
    // The team token does not work in the root namespace, even for a path its policy names.
    assertPermissionDenied(anonymous().token(teamToken).get(SCRIPT));
    // The root token works everywhere and sees each namespace's own data.
    VaultHttp root = anonymous().token(vault.rootToken());
    assertThat(root.get(SCRIPT).json().at("/data/data/token").asText()).isEqualTo("a");
    assertThat(
            root.header("X-Vault-Namespace", "team-a")
                .get(SCRIPT)
                .json()
                .at("/data/data/token")
                .asText())
        .isEqualTo("team-a-value");
    // Roles and logins are per namespace too.
    vault.kubernetesRole(
        "team-a",
        "kubernetes",
        "rotator",
        Set.of("*"),
        Set.of("*"),
        Set.of("reader"),
        Duration.ofMinutes(5));
    VaultHttp.Reply login =
        anonymous()
            .header("X-Vault-Namespace", "team-a")
            .send(
                "POST",
                "/v1/auth/kubernetes/login",
                "{\"role\":\"rotator\",\"jwt\":\"" + jwt(OPERATOR, Duration.ofHours(1)) + "\"}");
    assertThat(login.status()).isEqualTo(200);
    assertThat(login.json().at("/auth/lease_duration").asLong()).isEqualTo(300);
    assertPermissionDenied(
        anonymous().header("X-Vault-Namespace", "no-such-ns").token(vault.rootToken()).get(SCRIPT));
  }
}
