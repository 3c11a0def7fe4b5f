package io.tokenrotation.sim.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Seal status and sys/health (reference §5, §6), through the Java API and the admin routes. */
class VaultSealHealthTest {
  private VaultSimulator vault;
  private VaultHttp http;

  @BeforeEach
  void start() {
    vault = VaultSimulator.start(0);
    http = new VaultHttp(vault.baseUrl()).token(vault.rootToken());
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  @Test
  void healthIsUnenvelopedAnd200WhenActive() {
    VaultHttp.Reply health = new VaultHttp(vault.baseUrl()).get("/v1/sys/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("sealed").asBoolean()).isFalse();
    assertThat(health.json().get("initialized").asBoolean()).isTrue();
    assertThat(health.json().has("cluster_id")).isTrue();
    assertThat(health.json().has("request_id")).isFalse();
    assertThat(http.send("HEAD", "/v1/sys/health", null).status()).isEqualTo(200);
    assertThat(http.get("/v1/sys/health?activecode=299").status()).isEqualTo(299);
  }

  @Test
  void sealedVaultAnswers503EverywhereButHealth() {
    vault.seal();
    assertThat(vault.sealed()).isTrue();
    VaultHttp.Reply read = http.get("/v1/secret/data/x");
    assertThat(read.status()).isEqualTo(503);
    assertThat(read.body()).isEqualTo("{\"errors\":[\"Vault is sealed\"]}");
    assertThat(
            new VaultHttp(vault.baseUrl()).send("POST", "/v1/auth/kubernetes/login", "{}").status())
        .isEqualTo(503);
    VaultHttp.Reply health = http.get("/v1/sys/health");
    assertThat(health.status()).isEqualTo(503);
    assertThat(health.json().get("sealed").asBoolean()).isTrue();
    assertThat(health.json().has("cluster_id")).isFalse();
    assertThat(http.get("/v1/sys/health?sealedcode=200").status()).isEqualTo(200);
    vault.unseal();
    assertThat(http.send("PUT", "/v1/secret/data/x", "{\"data\":{\"a\":\"b\"}}").status())
        .isEqualTo(200);
  }

  @Test
  void adminRoutesSealUnsealAndShowStateWithoutSecrets() {
    vault.writeKv("", "secret", "dynatrace/script1", Map.of("token", "very-secret-value"));
    VaultHttp admin = new VaultHttp(vault.baseUrl());
    assertThat(admin.send("POST", "/__sim/seal", null).status()).isEqualTo(204);
    assertThat(http.get("/v1/secret/data/dynatrace/script1").status()).isEqualTo(503);
    VaultHttp.Reply state = admin.get("/__sim/state");
    assertThat(state.status()).isEqualTo(200);
    assertThat(state.json().get("sealed").asBoolean()).isTrue();
    assertThat(
            state
                .json()
                .at("/namespaces//mounts/secret~1/keys/dynatrace~1script1/current_version")
                .asLong())
        .isEqualTo(1);
    assertThat(state.body())
        .doesNotContain("very-secret-value")
        .doesNotContain(vault.rootToken() + "\"");
    assertThat(admin.send("POST", "/__sim/unseal", null).status()).isEqualTo(204);
    assertThat(http.get("/v1/secret/data/dynatrace/script1").status()).isEqualTo(200);
  }
}
