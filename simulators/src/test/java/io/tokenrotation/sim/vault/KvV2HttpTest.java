package io.tokenrotation.sim.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotation.sim.http.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** KV v2 over HTTP as the KV plugin answers it (reference §1). */
class KvV2HttpTest {
  private static final String KEY = "/v1/secret/data/dynatrace/script1";
  private static final String META = "/v1/secret/metadata/dynatrace/script1";

  private final SettableClock clock = new SettableClock();
  private VaultSimulator vault;
  private VaultHttp http;

  @BeforeEach
  void start() {
    clock.fix(Instant.parse("2024-05-01T10:00:00.123456789Z"));
    vault = VaultSimulator.start(0, clock);
    http = new VaultHttp(vault.baseUrl()).token(vault.rootToken());
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  private VaultHttp.Reply put(String body) {
    return http.send("POST", KEY, body);
  }

  private static String error(VaultHttp.Reply reply) {
    return reply.json().get("errors").get(0).asText();
  }

  @Test
  void casMatchingWritesAndMismatchIs400() {
    assertThat(put("{\"data\":{\"token\":\"a\"}}").json().at("/data/version").asLong())
        .isEqualTo(1);
    VaultHttp.Reply ok = put("{\"options\":{\"cas\":1},\"data\":{\"token\":\"b\"}}");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().at("/data/version").asLong()).isEqualTo(2);

    VaultHttp.Reply stale = put("{\"options\":{\"cas\":1},\"data\":{\"token\":\"c\"}}");
    assertThat(stale.status()).isEqualTo(400);
    assertThat(stale.body())
        .isEqualTo("{\"errors\":[\"check-and-set parameter did not match the current version\"]}");
    assertThat(vault.readKv("", "secret", "dynatrace/script1")).contains(Map.of("token", "b"));

    assertThat(put("{\"options\":{\"cas\":\"2\"},\"data\":{\"token\":\"d\"}}").status())
        .isEqualTo(200);
    VaultHttp.Reply garbage = put("{\"options\":{\"cas\":\"two\"},\"data\":{\"token\":\"e\"}}");
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(error(garbage)).isEqualTo("error parsing check-and-set parameter");
  }

  @Test
  void casZeroWritesOnlyIfAbsent() {
    assertThat(put("{\"options\":{\"cas\":0},\"data\":{\"token\":\"a\"}}").status()).isEqualTo(200);
    VaultHttp.Reply again = put("{\"options\":{\"cas\":0},\"data\":{\"token\":\"b\"}}");
    assertThat(again.status()).isEqualTo(400);
    assertThat(error(again)).isEqualTo("check-and-set parameter did not match the current version");
  }

  @Test
  void casRequiredByMountConfigOrKeyMetadata() {
    assertThat(http.send("POST", "/v1/secret/config", "{\"cas_required\":true}").status())
        .isEqualTo(204);
    assertThat(http.get("/v1/secret/config").json().at("/data/cas_required").asBoolean()).isTrue();
    VaultHttp.Reply without = put("{\"data\":{\"token\":\"a\"}}");
    assertThat(without.status()).isEqualTo(400);
    assertThat(error(without)).isEqualTo("check-and-set parameter required for this call");
    assertThat(put("{\"options\":{\"cas\":0},\"data\":{\"token\":\"a\"}}").status()).isEqualTo(200);

    http.send("POST", "/v1/secret/config", "{\"cas_required\":false}");
    http.send("POST", "/v1/secret/metadata/other", "{\"cas_required\":true}");
    VaultHttp.Reply keyRequired =
        http.send("PUT", "/v1/secret/data/other", "{\"data\":{\"x\":\"1\"}}");
    assertThat(keyRequired.status()).isEqualTo(400);
    assertThat(error(keyRequired)).isEqualTo("check-and-set parameter required for this call");
    assertThat(put("{\"data\":{\"token\":\"b\"}}").status()).isEqualTo(200);
  }

  @Test
  void flatBodyIsNoDataProvided() {
    VaultHttp.Reply flat = put("{\"token\":\"a\"}");
    assertThat(flat.status()).isEqualTo(400);
    assertThat(error(flat)).isEqualTo("no data provided");
  }

  @Test
  void patchMergesAndNeedsMergePatchContentType() {
    put("{\"data\":{\"token\":\"a\",\"owner\":\"ops\",\"old\":\"x\"}}");
    VaultHttp.Reply patched =
        http.send(
            "PATCH",
            KEY,
            "{\"data\":{\"token\":\"b\",\"old\":null}}",
            "application/merge-patch+json");
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().at("/data/version").asLong()).isEqualTo(2);
    assertThat(vault.readKv("", "secret", "dynatrace/script1"))
        .contains(Map.of("token", "b", "owner", "ops"));

    VaultHttp.Reply wrongType =
        http.send("PATCH", KEY, "{\"data\":{\"token\":\"c\"}}", "application/json");
    assertThat(wrongType.status()).isEqualTo(415);
    assertThat(error(wrongType))
        .isEqualTo(
            "PATCH requires Content-Type of application/merge-patch+json, provided application/json");

    VaultHttp.Reply stale =
        http.send(
            "PATCH",
            KEY,
            "{\"options\":{\"cas\":1},\"data\":{\"token\":\"c\"}}",
            "application/merge-patch+json");
    assertThat(stale.status()).isEqualTo(400);

    VaultHttp.Reply missing =
        http.send(
            "PATCH",
            "/v1/secret/data/dynatrace/none",
            "{\"data\":{\"a\":\"b\"}}",
            "application/merge-patch+json");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body()).isEmpty();
  }

  @Test
  void readsOlderVersionsAndPrunesBeyondMaxVersions() {
    http.send("POST", META, "{\"max_versions\":3}");
    for (int i = 1; i <= 5; i++) {
      clock.advance(Duration.ofSeconds(1));
      put("{\"data\":{\"token\":\"t" + i + "\"}}");
    }
    assertThat(http.get(KEY + "?version=4").json().at("/data/data/token").asText()).isEqualTo("t4");
    assertThat(http.get(KEY + "?version=0").json().at("/data/data/token").asText()).isEqualTo("t5");
    VaultHttp.Reply pruned = http.get(KEY + "?version=2");
    assertThat(pruned.status()).isEqualTo(404);
    assertThat(pruned.body()).isEqualTo("{\"errors\":[]}");
    JsonNode meta = http.get(META).json().get("data");
    assertThat(meta.get("current_version").asLong()).isEqualTo(5);
    assertThat(meta.get("oldest_version").asLong()).isEqualTo(3);
    assertThat(meta.get("max_versions").asInt()).isEqualTo(3);
    assertThat(meta.get("versions").fieldNames()).toIterable().containsExactly("3", "4", "5");
    assertThat(meta.get("delete_version_after").asText()).isEqualTo("0s");
    assertThat(meta.get("custom_metadata").isNull()).isTrue();
  }

  @Test
  void defaultKeepsTenVersionsAndOldestVersionStaysZeroUntilFirstPrune() {
    for (int i = 1; i <= 9; i++) {
      vault.writeKv("", "secret", "dynatrace/script1", Map.of("token", "t" + i));
    }
    assertThat(http.get(META).json().at("/data/oldest_version").asLong()).isZero();
    vault.writeKv("", "secret", "dynatrace/script1", Map.of("token", "t10"));
    vault.writeKv("", "secret", "dynatrace/script1", Map.of("token", "t11"));
    JsonNode meta = http.get(META).json().get("data");
    assertThat(meta.get("oldest_version").asLong()).isEqualTo(2);
    assertThat(meta.get("versions").size()).isEqualTo(10);
    assertThat(http.get(KEY + "?version=1").status()).isEqualTo(404);
  }

  @Test
  void deleteUndeleteDestroyAndTheTwoKindsOf404() {
    put("{\"data\":{\"token\":\"a\"}}");
    put("{\"data\":{\"token\":\"b\"}}");
    assertThat(http.send("DELETE", KEY, null).status()).isEqualTo(204);

    VaultHttp.Reply deleted = http.get(KEY);
    assertThat(deleted.status()).isEqualTo(404);
    JsonNode body = deleted.json();
    assertThat(body.at("/data/data").isNull()).isTrue();
    assertThat(body.at("/data/metadata/version").asLong()).isEqualTo(2);
    assertThat(body.at("/data/metadata/deletion_time").asText())
        .isEqualTo("2024-05-01T10:00:00.123456789Z");
    assertThat(body.has("request_id")).isTrue();
    assertThat(vault.readKv("", "secret", "dynatrace/script1")).isEmpty();
    assertThat(vault.currentVersion("", "secret", "dynatrace/script1")).isEqualTo(2);

    // CAS still counts the deleted version.
    assertThat(put("{\"options\":{\"cas\":1},\"data\":{\"token\":\"x\"}}").status()).isEqualTo(400);

    assertThat(
            http.send("POST", "/v1/secret/undelete/dynatrace/script1", "{\"versions\":[2]}")
                .status())
        .isEqualTo(204);
    assertThat(http.get(KEY).json().at("/data/data/token").asText()).isEqualTo("b");

    assertThat(
            http.send("POST", "/v1/secret/destroy/dynatrace/script1", "{\"versions\":[2]}")
                .status())
        .isEqualTo(204);
    VaultHttp.Reply destroyed = http.get(KEY);
    assertThat(destroyed.status()).isEqualTo(404);
    assertThat(destroyed.json().at("/data/metadata/destroyed").asBoolean()).isTrue();
    // Destroyed versions cannot be undeleted.
    http.send("POST", "/v1/secret/undelete/dynatrace/script1", "{\"versions\":[2]}");
    assertThat(http.get(KEY).status()).isEqualTo(404);

    assertThat(
            http.send("POST", "/v1/secret/delete/dynatrace/script1", "{\"versions\":[1]}").status())
        .isEqualTo(204);
    assertThat(http.get(KEY + "?version=1").json().at("/data/data").isNull()).isTrue();

    VaultHttp.Reply noVersions =
        http.send("POST", "/v1/secret/delete/dynatrace/script1", "{\"versions\":[]}");
    assertThat(noVersions.status()).isEqualTo(400);
    assertThat(error(noVersions)).isEqualTo("No version number provided");
    assertThat(error(http.send("POST", "/v1/secret/undelete/dynatrace/script1", "{}")))
        .isEqualTo("No version number provided");
    assertThat(
            error(http.send("POST", "/v1/secret/destroy/dynatrace/script1", "{\"versions\":[]}")))
        .isEqualTo("no version number provided");

    assertThat(http.send("DELETE", "/v1/secret/data/dynatrace/never", null).status())
        .isEqualTo(204);
  }

  @Test
  void patchOfDeletedCurrentVersionIs404WithMetadata() {
    put("{\"data\":{\"token\":\"a\"}}");
    http.send("DELETE", KEY, null);
    VaultHttp.Reply patch =
        http.send("PATCH", KEY, "{\"data\":{\"token\":\"b\"}}", "application/merge-patch+json");
    assertThat(patch.status()).isEqualTo(404);
    assertThat(patch.json().at("/data/version").asLong()).isEqualTo(1);
    assertThat(patch.json().at("/data/deletion_time").asText()).isNotEmpty();
  }

  @Test
  void listWithVerbAndWithQueryParameter() {
    vault.writeKv("", "secret", "dynatrace/script1", Map.of("token", "a"));
    vault.writeKv("", "secret", "dynatrace/script2", Map.of("token", "b"));
    vault.writeKv("", "secret", "dynatrace/team/x", Map.of("token", "c"));
    VaultHttp.Reply verb = http.send("LIST", "/v1/secret/metadata/dynatrace", null);
    assertThat(verb.status()).isEqualTo(200);
    assertThat(verb.json().at("/data/keys"))
        .extracting(JsonNode::asText)
        .containsExactly("script1", "script2", "team/");
    VaultHttp.Reply query = http.get("/v1/secret/metadata/dynatrace/?list=true");
    assertThat(query.json().at("/data/keys"))
        .extracting(JsonNode::asText)
        .containsExactly("script1", "script2", "team/");
    assertThat(http.get("/v1/secret/metadata/?list=true").json().at("/data/keys"))
        .extracting(JsonNode::asText)
        .containsExactly("dynatrace/");
    VaultHttp.Reply missing = http.send("LIST", "/v1/secret/metadata/none", null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("{\"errors\":[]}");
  }

  @Test
  void metadataWriteReadPatchDelete() {
    put("{\"data\":{\"token\":\"a\"}}");
    assertThat(
            http.send(
                    "POST",
                    META,
                    "{\"custom_metadata\":{\"owner\":\"ops\",\"tier\":\"1\"},"
                        + "\"delete_version_after\":\"1h\"}")
                .status())
        .isEqualTo(204);
    JsonNode meta = http.get(META).json().get("data");
    assertThat(meta.get("custom_metadata").get("owner").asText()).isEqualTo("ops");
    assertThat(meta.get("delete_version_after").asText()).isEqualTo("1h0m0s");
    assertThat(meta.get("cas_required").asBoolean()).isFalse();
    assertThat(meta.get("created_time").asText()).isEqualTo("2024-05-01T10:00:00.123456789Z");
    assertThat(http.get(KEY).json().at("/data/metadata/custom_metadata/tier").asText())
        .isEqualTo("1");

    assertThat(
            http.send(
                    "PATCH",
                    META,
                    "{\"custom_metadata\":{\"tier\":null,\"env\":\"prod\"}}",
                    "application/merge-patch+json")
                .status())
        .isEqualTo(204);
    assertThat(http.get(META).json().at("/data/custom_metadata")).hasSize(2);
    assertThat(http.get(META).json().at("/data/custom_metadata/env").asText()).isEqualTo("prod");

    VaultHttp.Reply tooLong =
        http.send("POST", META, "{\"custom_metadata\":{\"k\":\"" + "v".repeat(513) + "\"}}");
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(error(tooLong)).startsWith("custom_metadata validation failed: ");

    assertThat(http.send("DELETE", META, null).status()).isEqualTo(204);
    assertThat(http.get(META).status()).isEqualTo(404);
    assertThat(http.get(KEY).body()).isEqualTo("{\"errors\":[]}");
    assertThat(
            http.send("PATCH", META, "{\"max_versions\":2}", "application/merge-patch+json")
                .status())
        .isEqualTo(404);
  }

  @Test
  void deleteVersionAfterMakesVersionsExpire() {
    http.send("POST", META, "{\"delete_version_after\":\"30s\"}");
    put("{\"data\":{\"token\":\"a\"}}");
    assertThat(http.get(KEY).status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(31));
    assertThat(http.get(KEY).status()).isEqualTo(404);
  }

  @Test
  void nonDataPathsOnAV2MountAre404WithWarning() {
    VaultHttp.Reply v1Style = http.send("PUT", "/v1/secret/dynatrace/script1", "{\"token\":\"a\"}");
    assertThat(v1Style.status()).isEqualTo(404);
    assertThat(v1Style.json().get("warnings").get(0).asText())
        .startsWith("Invalid path for a versioned K/V secrets engine.")
        .endsWith("use 'vault kv put' for this operation.");
    assertThat(http.get("/v1/secret/data/dynatrace/").status()).isEqualTo(404);
    assertThat(http.get("/v1/secret/data/dynatrace/").json().get("warnings").get(0).asText())
        .contains("'vault kv get'");
  }
}
