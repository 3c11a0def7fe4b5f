package io.tokenrotation.sim.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** KV v1 (reference §2). */
class KvV1HttpTest {
  private VaultSimulator vault;
  private VaultHttp http;

  @BeforeEach
  void start() {
    vault = VaultSimulator.start(0);
    vault.mountKv("", "kv", 1);
    http = new VaultHttp(vault.baseUrl()).token(vault.rootToken());
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  @Test
  void writeReadListDelete() {
    assertThat(
            http.send("PUT", "/v1/kv/dynatrace/script1", "{\"token\":\"a\",\"owner\":\"ops\"}")
                .status())
        .isEqualTo(204);
    assertThat(http.send("POST", "/v1/kv/dynatrace/team/x", "{\"token\":\"b\"}").status())
        .isEqualTo(204);

    VaultHttp.Reply read = http.get("/v1/kv/dynatrace/script1");
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().get("data"))
        .isEqualTo(new ObjectMapper().valueToTree(Map.of("token", "a", "owner", "ops")));
    assertThat(read.json().get("lease_duration").asLong()).isEqualTo(2_764_800);
    assertThat(read.json().get("renewable").asBoolean()).isFalse();
    assertThat(vault.readKv("", "kv", "dynatrace/script1"))
        .contains(Map.of("token", "a", "owner", "ops"));
    assertThat(vault.currentVersion("", "kv", "dynatrace/script1")).isZero();

    VaultHttp.Reply list = http.send("LIST", "/v1/kv/dynatrace", null);
    assertThat(list.json().at("/data/keys"))
        .extracting(JsonNode::asText)
        .containsExactly("script1", "team/");
    assertThat(http.get("/v1/kv/dynatrace/?list=true").json().at("/data/keys")).hasSize(2);

    assertThat(http.send("DELETE", "/v1/kv/dynatrace/script1", null).status()).isEqualTo(204);
    VaultHttp.Reply gone = http.get("/v1/kv/dynatrace/script1");
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.body()).isEqualTo("{\"errors\":[]}");
  }

  @Test
  void emptyWriteIsMissingDataFields() {
    VaultHttp.Reply empty = http.send("PUT", "/v1/kv/a", "{}");
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.json().get("errors").get(0).asText()).isEqualTo("missing data fields");
  }

  @Test
  void seededWriteReturnsZeroAndTtlFieldSetsLease() {
    assertThat(vault.writeKv("", "kv", "a", Map.of("token", "x", "ttl", "1h"))).isZero();
    assertThat(http.get("/v1/kv/a").json().get("lease_duration").asLong()).isEqualTo(3600);
  }
}
