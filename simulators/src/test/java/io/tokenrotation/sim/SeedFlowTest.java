package io.tokenrotation.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.dynatrace.DynatraceSimulator;
import io.tokenrotation.sim.http.Json;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's whole rotation flow, as its script does it, over raw HTTP against the seeded
 * simulators: KV v2 read of the master token and of a secret -> lookup -> create with the lookup's
 * name and scopes -> KV v2 write -> delete the old token -> the old token now gets 401. Once with
 * the legacy v1 API (the seed's script), once with v2.
 */
class SeedFlowTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private VaultSimulator vault;
  private DynatraceSimulator dynatrace;
  private Map<String, String> seeded;

  @BeforeEach
  void start() {
    vault = VaultSimulator.start(0);
    dynatrace = DynatraceSimulator.start(0);
    seeded = SeedState.apply(vault, dynatrace);
  }

  @AfterEach
  void stop() {
    dynatrace.close();
    vault.close();
  }

  @Test
  void seedStateHoldsTheExpectedSecretsAndTokens() {
    assertThat(seeded)
        .containsOnlyKeys(
            "secret/dynatrace/master",
            "secret/dynatrace/automation_script1",
            "secret/dynatrace/automation_script2");
    for (String id : seeded.values()) {
      assertThat(id).matches("dt0c01\\.[A-Z2-7]{24}");
      assertThat(dynatrace.token(id)).isPresent();
    }
    assertThat(dynatrace.token(seeded.get("secret/dynatrace/master")).orElseThrow().scopes())
        .containsExactlyInAnyOrderElementsOf(SeedState.MASTER_SCOPES);
    String scriptToken =
        vault.readKv("", "secret", "dynatrace/automation_script1").orElseThrow().get("token");
    assertThat(dynatrace.authenticates(scriptToken)).isTrue();
  }

  @Test
  void seedScriptFlowOnTheV1Api() throws Exception {
    String master = kvGet("dynatrace/master").path("token").asText();
    String old = kvGet("dynatrace/automation_script1").path("token").asText();

    JsonNode metadata =
        dt("POST", "/api/v1/tokens/lookup", master, Json.object().put("token", old), 200);
    assertThat(metadata.path("name").asText()).isEqualTo("automation_script1");
    ObjectNode create = Json.object().put("name", metadata.path("name").asText());
    create.set("scopes", metadata.path("scopes"));
    String fresh = dt("POST", "/api/v1/tokens", master, create, 201).path("token").asText();
    assertThat(fresh).matches("dt0c01\\.[A-Z2-7]{24}\\.[A-Z2-7]{64}");

    kvPut("dynatrace/automation_script1", fresh);
    assertThat(kvGet("dynatrace/automation_script1").path("token").asText()).isEqualTo(fresh);

    dt("DELETE", "/api/v1/tokens/" + metadata.path("id").asText(), master, null, 204);
    assertThat(
            call("POST", "/api/v1/tokens/lookup", old, Json.object().put("token", old))
                .statusCode())
        .isEqualTo(401);
    JsonNode freshMeta =
        dt("POST", "/api/v1/tokens/lookup", master, Json.object().put("token", fresh), 200);
    assertThat(freshMeta.path("scopes")).isEqualTo(metadata.path("scopes"));
  }

  @Test
  void sameFlowOnTheV2Api() throws Exception {
    String master = kvGet("dynatrace/master").path("token").asText();
    String old = kvGet("dynatrace/automation_script2").path("token").asText();

    JsonNode token =
        dt("POST", "/api/v2/apiTokens/lookup", master, Json.object().put("token", old), 200);
    ObjectNode create = Json.object().put("name", token.path("name").asText());
    create.set("scopes", token.path("scopes"));
    JsonNode created = dt("POST", "/api/v2/apiTokens", master, create, 201);
    String fresh = created.path("token").asText();
    assertThat(created.path("id").asText()).isEqualTo(fresh.substring(0, 31));

    kvPut("dynatrace/automation_script2", fresh);
    dt("DELETE", "/api/v2/apiTokens/" + token.path("id").asText(), master, null, 204);

    assertThat(
            call("GET", "/api/v2/apiTokens/" + created.path("id").asText(), old, null).statusCode())
        .isEqualTo(401);
    JsonNode now =
        dt(
            "GET",
            "/api/v2/apiTokens/" + created.path("id").asText() + "?fields=%2Bscopes",
            master,
            null,
            200);
    assertThat(now.path("scopes")).isEqualTo(token.path("scopes"));
    assertThat(dynatrace.token(token.path("id").asText())).isEmpty();
  }

  private JsonNode kvGet(String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(vault.baseUrl() + "/v1/secret/data/" + path))
                .header("X-Vault-Token", "root")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body()).path("data").path("data");
  }

  private void kvPut(String path, String token) throws Exception {
    ObjectNode body = Json.object();
    body.putObject("data").put("token", token);
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(vault.baseUrl() + "/v1/secret/data/" + path))
                .header("X-Vault-Token", "root")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
  }

  private JsonNode dt(String method, String path, String auth, JsonNode body, int expected)
      throws Exception {
    HttpResponse<String> r = call(method, path, auth, body);
    assertThat(r.statusCode()).as("%s %s", method, path).isEqualTo(expected);
    return r.body().isEmpty() ? Json.object() : Json.MAPPER.readTree(r.body());
  }

  private HttpResponse<String> call(String method, String path, String auth, JsonNode body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(dynatrace.baseUrl() + path))
            .header("Authorization", "Api-Token " + auth)
            .header("Content-Type", "application/json; charset=utf-8")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString()));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
