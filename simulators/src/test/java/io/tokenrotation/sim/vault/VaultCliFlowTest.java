package io.tokenrotation.sim.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exact HTTP calls the Vault CLI makes for `vault kv put` / `vault kv get -field` (reference
 * §3).
 */
class VaultCliFlowTest {
  private VaultSimulator vault;
  private VaultHttp cli;

  @BeforeEach
  void start() {
    vault = VaultSimulator.start(0);
    cli = new VaultHttp(vault.baseUrl()).token(vault.rootToken()).header("X-Vault-Request", "true");
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  @Test
  void kvPutThenKvGetField() {
    // vault kv put secret/dynatrace/automation_script1 token=dt0c01.ABC
    VaultHttp.Reply preflight =
        cli.get("/v1/sys/internal/ui/mounts/secret/dynatrace/automation_script1");
    assertThat(preflight.status()).isEqualTo(200);
    JsonNode mount = preflight.json().get("data");
    assertThat(mount.get("path").asText()).isEqualTo("secret/");
    assertThat(mount.get("type").asText()).isEqualTo("kv");
    assertThat(mount.get("options").get("version").asText()).isEqualTo("2");

    VaultHttp.Reply put =
        cli.send(
            "PUT",
            "/v1/secret/data/dynatrace/automation_script1",
            "{\"data\":{\"token\":\"dt0c01.ABC\"},\"options\":{}}");
    assertThat(put.status()).isEqualTo(200);
    JsonNode written = put.json();
    assertThat(written.fieldNames())
        .toIterable()
        .containsExactly(
            "request_id",
            "lease_id",
            "renewable",
            "lease_duration",
            "data",
            "wrap_info",
            "warnings",
            "auth",
            "mount_type");
    assertThat(written.get("data").get("version").asLong()).isEqualTo(1);
    assertThat(written.get("data").get("deletion_time").asText()).isEmpty();
    assertThat(written.get("data").get("destroyed").asBoolean()).isFalse();
    assertThat(written.get("data").get("custom_metadata").isNull()).isTrue();
    assertThat(written.get("data").get("created_time").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d*[1-9])?Z");
    assertThat(written.get("mount_type").asText()).isEqualTo("kv");
    assertThat(written.get("wrap_info").isNull()).isTrue();
    assertThat(written.get("auth").isNull()).isTrue();

    // vault kv get -field=token secret/dynatrace/automation_script1
    assertThat(cli.get("/v1/sys/internal/ui/mounts/secret/dynatrace/automation_script1").status())
        .isEqualTo(200);
    VaultHttp.Reply get = cli.get("/v1/secret/data/dynatrace/automation_script1");
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.json().at("/data/data/token").asText()).isEqualTo("dt0c01.ABC");
    assertThat(get.json().at("/data/metadata/version").asLong()).isEqualTo(1);
    assertThat(get.json().get("lease_duration").asLong()).isZero();
    assertThat(vault.readKv("", "secret", "dynatrace/automation_script1"))
        .contains(Map.of("token", "dt0c01.ABC"));
  }

  @Test
  void kvGetOfMissingKeyIsBare404() {
    VaultHttp.Reply get = cli.get("/v1/secret/data/dynatrace/nothing");
    assertThat(get.status()).isEqualTo(404);
    assertThat(get.body()).isEqualTo("{\"errors\":[]}");
  }

  @Test
  void preflightForUnknownMountOrForeignPolicyIs403WithText() {
    VaultHttp.Reply unknown = cli.get("/v1/sys/internal/ui/mounts/nope/x");
    assertThat(unknown.status()).isEqualTo(403);
    assertThat(unknown.json().get("errors").get(0).asText())
        .isEqualTo(
            "preflight capability check returned 403, please ensure client's policies grant access to path \"nope/x/\"");

    vault.putPolicy("", "other", Map.of("kv/*", Set.of("read")));
    vault.mountKv("", "kv", 1);
    String token = vault.createToken("", Set.of("other"), Duration.ofHours(1), true);
    VaultHttp limited = new VaultHttp(vault.baseUrl()).token(token);
    assertThat(limited.get("/v1/sys/internal/ui/mounts/secret/dynatrace/x").status())
        .isEqualTo(403);
    VaultHttp.Reply v1 = limited.get("/v1/sys/internal/ui/mounts/kv/a");
    assertThat(v1.status()).isEqualTo(200);
    assertThat(v1.json().at("/data/options/version").asText()).isEqualTo("1");
    // The alternative route one CLI version uses answers alike.
    assertThat(cli.get("/v1/sys/mounts-all/secret/dynatrace/x").json().at("/data/path").asText())
        .isEqualTo("secret/");
  }

  @Test
  void enablingAKvV2MountNeedsSudoAndThenWorks() {
    assertThat(
            cli.send(
                    "POST",
                    "/v1/sys/mounts/team",
                    "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}")
                .status())
        .isEqualTo(204);
    assertThat(
            cli.send(
                    "POST",
                    "/v1/sys/mounts/team",
                    "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}")
                .json()
                .get("errors"))
        .isNotEmpty();
    assertThat(cli.send("PUT", "/v1/team/data/a", "{\"data\":{\"k\":\"v\"}}").status())
        .isEqualTo(200);
    assertThat(vault.currentVersion("", "team", "a")).isEqualTo(1);

    vault.putPolicy("", "writer", Map.of("sys/mounts/*", Set.of("create", "update")));
    String token = vault.createToken("", Set.of("writer"), Duration.ofHours(1), false);
    VaultHttp.Reply denied =
        new VaultHttp(vault.baseUrl())
            .token(token)
            .send("POST", "/v1/sys/mounts/other", "{\"type\":\"kv\"}");
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.json().get("errors").get(0).asText()).isEqualTo("permission denied");
  }
}
