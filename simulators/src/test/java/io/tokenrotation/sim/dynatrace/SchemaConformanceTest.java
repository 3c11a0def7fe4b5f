package io.tokenrotation.sim.dynatrace;

import static io.tokenrotation.sim.dynatrace.OpenApiSchemas.V1;
import static io.tokenrotation.sim.dynatrace.OpenApiSchemas.V2;
import static io.tokenrotation.sim.dynatrace.OpenApiSchemas.assertValid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotation.sim.http.Json;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of body the simulator sends validates against the shared Dynatrace OpenAPI schemas.
 */
class SchemaConformanceTest extends SimulatorTestBase {

  @Test
  void theValidatorRejectsBodiesThatBreakTheSchema() throws Exception {
    // Guards the guard: if these passed, every other assertion in this class would be meaningless.
    assertThat(
            OpenApiSchemas.errors(
                V2, "ApiToken", Json.MAPPER.readTree("{\"id\":\"x\",\"disabled\":false}")))
        .isNotEmpty();
    assertThat(
            OpenApiSchemas.errors(
                V2, "ApiToken", Json.MAPPER.readTree("{\"id\":\"x\",\"enabled\":\"yes\"}")))
        .isNotEmpty();
    assertThat(
            OpenApiSchemas.errors(V2, "ApiTokenList", Json.MAPPER.readTree("{\"apiTokens\":[]}")))
        .isNotEmpty();
    assertThat(
            OpenApiSchemas.errors(
                V1,
                "TokenMetadata",
                Json.MAPPER.readTree("{\"id\":\"x\",\"created\":\"now\"," + "\"scopes\":[]}")))
        .isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "?fields=%2Bscopes,%2BexpirationDate,%2BpersonalAccessToken",
        "?fields=-owner,-creationDate",
        "?fields=name,scopes,lastUsedDate,lastUsedIpAddress,modifiedDate",
        "?fields=id,name,enabled,personalAccessToken,owner,creationDate,expirationDate,lastUsedDate,lastUsedIpAddress,"
            + "modifiedDate,scopes,additionalMetadata"
      })
  void listBodiesAreApiTokenLists(String query) {
    IssuedToken expiring =
        sim.createToken(
            "expiring", List.of("metrics.read"), OWNER, clock.instant().plus(Duration.ofDays(3)));
    new DtHttp(sim.baseUrl(), expiring.token())
        .get("/api/v2/apiTokens"); // 403, but stamps lastUsed*
    http.put("/api/v2/apiTokens/" + expiring.id(), "{\"name\":\"renamed\"}"); // sets modifiedDate

    DtHttp.Reply reply = http.get("/api/v2/apiTokens" + query);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertValid(V2, "ApiTokenList", reply.body());
    assertThat(reply.json().get("apiTokens")).hasSize(2);
  }

  @Test
  void createGetLookupAndUpdateBodiesMatchTheirSchemas() {
    DtHttp.Reply created =
        http.post(
            "/api/v2/apiTokens",
            "{\"name\":\"n\",\"scopes\":[\"metrics.ingest\"],\"expirationDate\":\"now+30d\"}");
    assertThat(created.status()).isEqualTo(201);
    assertValid(V2, "ApiTokenCreated", created.body());
    String id = created.json().get("id").asText();

    DtHttp.Reply neverExpires =
        http.post("/api/v2/apiTokens", createBody("forever", "metrics.read"));
    assertValid(V2, "ApiTokenCreated", neverExpires.body());

    DtHttp.Reply get = http.get("/api/v2/apiTokens/" + id);
    assertThat(get.status()).isEqualTo(200);
    assertValid(V2, "ApiToken", get.body());

    DtHttp.Reply lookup =
        http.post(
            "/api/v2/apiTokens/lookup",
            "{\"token\":\"" + created.json().get("token").asText() + "\"}");
    assertThat(lookup.status()).isEqualTo(200);
    assertValid(V2, "ApiToken", lookup.body());

    DtHttp.Reply update = http.put("/api/v2/apiTokens/" + id, "{\"name\":\"m\",\"enabled\":false}");
    assertThat(update.status()).isEqualTo(204);
    assertThat(update.body()).isEmpty();
  }

  @Test
  void v1BodiesMatchTheV1Schemas() {
    DtHttp.Reply created =
        http.post(
            "/api/v1/tokens",
            "{\"name\":\"legacy\",\"scopes\":[\"DataExport\"],\"expiresIn\":{\"value\":2,\"unit\":\"DAYS\"}}");
    assertThat(created.status()).isEqualTo(201);
    assertValid(V1, "Token", created.body());
    String id = TokenFormat.idOf(created.json().get("token").asText());

    DtHttp.Reply list = http.get("/api/v1/tokens");
    assertThat(list.status()).isEqualTo(200);
    assertValid(V1, "StubList", list.body());

    DtHttp.Reply get = http.get("/api/v1/tokens/" + id);
    assertThat(get.status()).isEqualTo(200);
    assertValid(V1, "TokenMetadata", get.body());

    DtHttp.Reply lookup =
        http.post("/api/v1/tokens/lookup", "{\"token\":\"" + admin.token() + "\"}");
    assertThat(lookup.status()).isEqualTo(200);
    assertValid(V1, "TokenMetadata", lookup.body());
    assertThat(lookup.json().get("lastUse").asLong()).isPositive();
  }

  @Test
  void errorBodiesOfEveryClassAreErrorEnvelopesInBothVersions() {
    IssuedToken reader = sim.createToken("reader", List.of("metrics.read"), OWNER, null);
    List<DtHttp.Reply> errors =
        List.of(
            http.post(
                "/api/v2/apiTokens",
                "{\"name\":\"x\",\"scopes\":[\"no.such.scope\"]}"), // 400 with violations
            http.delete("/api/v2/apiTokens/" + admin.id()), // 400 without violations
            http.as(null).get("/api/v2/apiTokens"), // 401
            http.as(reader.token()).get("/api/v2/apiTokens"), // 403
            http.get("/api/v2/apiTokens/dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA"), // 404
            http.get("/api/v2/nothing-here"), // 404 unknown path
            http.send("PATCH", "/api/v2/apiTokens", "{}")); // 405
    for (DtHttp.Reply error : errors) {
      assertValid(V2, "ErrorEnvelope", error.body());
      assertValid(V1, "ErrorEnvelope", error.body());
      assertThat(error.json().at("/error/code").asInt()).isEqualTo(error.status());
    }
    assertThat(errors)
        .extracting(DtHttp.Reply::status)
        .containsExactly(400, 400, 401, 403, 404, 404, 405);

    sim.throttling(Throttling.legacyPerMinute(1));
    http.get("/api/v2/apiTokens");
    DtHttp.Reply limited = http.get("/api/v2/apiTokens");
    assertThat(limited.status()).isEqualTo(429);
    assertValid(V2, "ErrorEnvelope", limited.body());

    sim.faults().failNext(1, "GET", "/api/v2/apiTokens", 503);
    sim.throttling(Throttling.off());
    DtHttp.Reply injected = http.get("/api/v2/apiTokens");
    assertThat(injected.status()).isEqualTo(503);
    assertValid(V2, "ErrorEnvelope", injected.body());
  }

  @Test
  void constraintViolationsCarryAllFourFields() {
    JsonNode violation =
        http.post("/api/v2/apiTokens", "{\"scopes\":[\"metrics.read\"]}")
            .json()
            .at("/error/constraintViolations/0");
    assertThat(violation.get("path").asText()).isEqualTo("name");
    assertThat(violation.get("parameterLocation").asText()).isEqualTo("PAYLOAD_BODY");
    assertThat(violation.has("message")).isTrue();
    assertThat(violation.has("location")).isTrue();
  }
}
