package io.tokenrotation.sim.dynatrace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a client sees for each class of error, with the exact envelope Dynatrace uses. */
class AuthAndErrorsTest extends SimulatorTestBase {

  private static void assertError(DtHttp.Reply reply, int status, String message) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.json().at("/error/code").asInt()).isEqualTo(status);
    assertThat(reply.json().at("/error/message").asText()).isEqualTo(message);
  }

  // ---- 401 ----

  @Test
  void missingAuthorizationIs401() {
    assertError(http.as(null).get("/api/v2/apiTokens"), 401, "Missing authorization parameter.");
    assertError(http.as(null).get("/api/v1/tokens"), 401, "Missing authorization parameter.");
  }

  @Test
  void unknownTokenIs401() {
    String unknown = "dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA." + "B".repeat(64);
    assertError(http.as(unknown).get("/api/v2/apiTokens"), 401, "Token Authentication failed");
    assertError(
        http.as("garbage").post("/api/v2/apiTokens/lookup", "{\"token\":\"x\"}"),
        401,
        "Token Authentication failed");
  }

  @Test
  void disabledTokenIs401() {
    IssuedToken other = sim.createToken("other", ADMIN_SCOPES, OWNER, null);
    assertThat(http.put("/api/v2/apiTokens/" + other.id(), "{\"enabled\":false}").status())
        .isEqualTo(204);

    assertError(
        http.as(other.token()).get("/api/v2/apiTokens"), 401, "Token Authentication failed");
    assertThat(sim.authenticates(other.token())).isFalse();
    assertThat(sim.token(other.id()).orElseThrow().enabled()).isFalse();
  }

  @Test
  void revokedV1TokenIs401() {
    IssuedToken other = sim.createToken("other", ADMIN_SCOPES, OWNER, null);
    assertThat(http.put("/api/v1/tokens/" + other.id(), "{\"revoked\":true}").status())
        .isEqualTo(204);
    assertError(http.as(other.token()).get("/api/v1/tokens"), 401, "Token Authentication failed");
  }

  @Test
  void expiredTokenIs401OnceTheClockPassesItsExpiry() {
    IssuedToken shortLived =
        sim.createToken("short", ADMIN_SCOPES, OWNER, clock.instant().plusSeconds(60));
    assertThat(http.as(shortLived.token()).get("/api/v2/apiTokens").status()).isEqualTo(200);

    clock.advance(Duration.ofSeconds(61));

    assertError(
        http.as(shortLived.token()).get("/api/v2/apiTokens"), 401, "Token Authentication failed");
    assertThat(sim.authenticates(shortLived.token())).isFalse();
  }

  @Test
  void queryParameterTokenAuthenticatesToo() {
    DtHttp.Reply reply = http.as(null).get("/api/v2/apiTokens?api-token=" + admin.token());
    assertThat(reply.status()).isEqualTo(200);
  }

  // ---- 403 ----

  @Test
  void v2CallerWithoutTheScopeIs403NamingIt() {
    IssuedToken reader = sim.createToken("reader", List.of("apiTokens.read"), OWNER, null);
    IssuedToken writer = sim.createToken("writer", List.of("apiTokens.write"), OWNER, null);

    assertError(
        http.as(reader.token()).post("/api/v2/apiTokens", createBody("n", "metrics.read")),
        403,
        "Token is missing required scope. Use one of: apiTokens.write (Write API tokens)");
    assertError(
        http.as(writer.token()).get("/api/v2/apiTokens"),
        403,
        "Token is missing required scope. Use one of: apiTokens.read (Read API tokens)");
    assertThat(sim.tokens()).hasSize(3);
  }

  @Test
  void v1CallerWithoutTenantTokenManagementIs403() {
    IssuedToken v2Only =
        sim.createToken("v2only", List.of("apiTokens.read", "apiTokens.write"), OWNER, null);
    assertError(
        http.as(v2Only.token()).get("/api/v1/tokens"),
        403,
        "Token is missing required scope. Use one of: TenantTokenManagement (Token management)");
  }

  @Test
  void lookupNeedsOnlyAValidToken() {
    IssuedToken ingestOnly = sim.createToken("ingest", List.of("metrics.ingest"), OWNER, null);
    DtHttp.Reply v2 =
        http.as(ingestOnly.token())
            .post("/api/v2/apiTokens/lookup", "{\"token\":\"" + ingestOnly.token() + "\"}");
    DtHttp.Reply v1 =
        http.as(ingestOnly.token())
            .post("/api/v1/tokens/lookup", "{\"token\":\"" + ingestOnly.token() + "\"}");

    assertThat(v2.status()).isEqualTo(200);
    assertThat(v2.json().get("scopes"))
        .extracting(JsonNode::asText)
        .containsExactly("metrics.ingest");
    assertThat(v1.status()).isEqualTo(200);
    assertThat(v1.json().get("userId").asText()).isEqualTo(OWNER);
  }

  // ---- 404 ----

  @Test
  void unknownIdsAre404InEveryOperation() {
    String id = "dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA";
    assertError(http.get("/api/v2/apiTokens/" + id), 404, "Token with ID " + id + " not found");
    assertError(
        http.put("/api/v2/apiTokens/" + id, "{\"name\":\"x\"}"),
        404,
        "Token with ID " + id + " not found");
    assertError(http.delete("/api/v2/apiTokens/" + id), 404, "Token with ID " + id + " not found");
    assertError(http.get("/api/v1/tokens/" + id), 404, "Token with ID " + id + " not found");
    assertError(http.delete("/api/v1/tokens/" + id), 404, "Token with ID " + id + " not found");
    assertError(
        http.post("/api/v2/apiTokens/lookup", "{\"token\":\"" + id + "." + "C".repeat(64) + "\"}"),
        404,
        "Token not found");
  }

  @Test
  void unknownPathsAre404AndWrongMethods405() {
    assertError(http.get("/api/v2/settings/objects"), 404, "Not found");
    assertError(http.get("/api/v2/apiTokens/a/b"), 404, "Not found");
    DtHttp.Reply wrongMethod = http.delete("/api/v2/apiTokens");
    assertError(wrongMethod, 405, "Method not allowed");
    assertThat(wrongMethod.header("Allow")).isEqualTo("GET, POST");
    assertError(http.get("/api/v2/apiTokens/lookup"), 405, "Method not allowed");
  }

  // ---- 400 ----

  @Test
  void pastExpirationIs400WithAConstraintViolation() {
    DtHttp.Reply reply =
        http.post(
            "/api/v2/apiTokens",
            "{\"name\":\"n\",\"scopes\":[\"metrics.read\"],\"expirationDate\":\"now-1d\"}");

    assertError(reply, 400, "Constraints violated.");
    JsonNode violation = reply.json().at("/error/constraintViolations/0");
    assertThat(violation.get("path").asText()).isEqualTo("expirationDate");
    assertThat(violation.get("message").asText()).isEqualTo("must be in the future");
    assertThat(violation.get("parameterLocation").asText()).isEqualTo("PAYLOAD_BODY");
    assertThat(violation.get("location").isNull()).isTrue();
    String pastIso = "2001-01-01T00:00:00.000Z";
    assertError(
        http.post(
            "/api/v2/apiTokens",
            "{\"name\":\"n\",\"scopes\":[\"metrics.read\"],\"expirationDate\":\""
                + pastIso
                + "\"}"),
        400,
        "Constraints violated.");
    assertThat(sim.tokens()).hasSize(1);
  }

  @Test
  void expirationFormatsAreUnderstood() {
    Instant now = Instant.parse("2030-05-01T10:00:00Z");
    clock.fix(now);
    assertThat(expiryOf("\"now+30d\"")).isEqualTo("2030-05-31T10:00:00.000Z");
    assertThat(expiryOf(Long.toString(now.plusSeconds(3600).toEpochMilli())))
        .isEqualTo("2030-05-01T11:00:00.000Z");
    assertThat(expiryOf("\"2030-06-01T12:30\"")).isEqualTo("2030-06-01T12:30:00.000Z");
    assertThat(expiryOf("\"2030-06-01 12:30:15.5+02:00\"")).isEqualTo("2030-06-01T10:30:15.500Z");
  }

  private String expiryOf(String json) {
    DtHttp.Reply reply =
        http.post(
            "/api/v2/apiTokens",
            "{\"name\":\"n\",\"scopes\":[\"metrics.read\"],\"expirationDate\":" + json + "}");
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().get("expirationDate").asText();
  }

  @Test
  void unknownOrRetiredScopesAre400WithOneViolationEach() {
    DtHttp.Reply reply =
        http.post(
            "/api/v2/apiTokens",
            "{\"name\":\"n\",\"scopes\":[\"metrics.read\",\"metrics.everything\",\"ViewDashboard\"]}");

    assertError(reply, 400, "Constraints violated.");
    assertThat(reply.json().at("/error/constraintViolations"))
        .extracting(v -> v.get("path").asText())
        .containsExactly("scopes[1]", "scopes[2]");
    assertThat(sim.tokens()).hasSize(1);
  }

  @Test
  void missingNameAndScopesAreBothReported() {
    DtHttp.Reply reply = http.post("/api/v2/apiTokens", "{}");
    assertError(reply, 400, "Constraints violated.");
    assertThat(reply.json().at("/error/constraintViolations"))
        .extracting(v -> v.get("path").asText())
        .containsExactly("name", "scopes");
  }

  @Test
  void v1RefusesDuplicateOrEmptyScopes() {
    assertError(
        http.post("/api/v1/tokens", "{\"name\":\"n\",\"scopes\":[\"DataExport\",\"DataExport\"]}"),
        400,
        "Constraints violated.");
    assertError(
        http.post("/api/v1/tokens", "{\"name\":\"n\",\"scopes\":[]}"),
        400,
        "Constraints violated.");
  }

  @Test
  void theCallingTokenCannotDeleteOrDisableItself() {
    assertError(
        http.delete("/api/v2/apiTokens/" + admin.id()),
        400,
        "The token used to authenticate the request cannot delete itself");
    assertError(
        http.delete("/api/v2/apiTokens/" + admin.token()),
        400,
        "The token used to authenticate the request cannot delete itself");
    assertError(
        http.put("/api/v2/apiTokens/" + admin.id(), "{\"enabled\":false}"),
        400,
        "The token used to authenticate the request cannot disable itself");
    assertError(
        http.delete("/api/v1/tokens/" + admin.id()),
        400,
        "The token used to authenticate the request cannot delete itself");
    assertError(
        http.put("/api/v1/tokens/" + admin.id(), "{\"name\":\"renamed\"}"),
        400,
        "The token used to authenticate the request cannot update itself");
    assertThat(sim.token(admin.id()).orElseThrow())
        .satisfies(
            t -> {
              assertThat(t.enabled()).isTrue();
              assertThat(t.name()).isEqualTo("admin");
            });
    // v2 allows renaming yourself; only disabling is forbidden.
    assertThat(http.put("/api/v2/apiTokens/" + admin.id(), "{\"name\":\"renamed\"}").status())
        .isEqualTo(204);
  }

  @Test
  void pageSizeOutsideLimitsIs400() {
    for (String size : List.of("99", "10001", "abc")) {
      DtHttp.Reply reply = http.get("/api/v2/apiTokens?pageSize=" + size);
      assertError(reply, 400, "Constraints violated.");
      assertThat(reply.json().at("/error/constraintViolations/0/path").asText())
          .isEqualTo("pageSize");
      assertThat(reply.json().at("/error/constraintViolations/0/parameterLocation").asText())
          .isEqualTo("QUERY");
    }
    assertThat(http.get("/api/v2/apiTokens?pageSize=100").status()).isEqualTo(200);
    assertThat(http.get("/api/v2/apiTokens?pageSize=10000").status()).isEqualTo(200);
  }

  @Test
  void malformedJsonIs400WithoutEchoingTheBody() {
    DtHttp.Reply reply = http.post("/api/v2/apiTokens", "{\"name\": \"secret-ish\", ");
    assertError(reply, 400, "Could not parse the request body as JSON");
    assertThat(reply.body()).doesNotContain("secret-ish");
    assertError(
        http.put("/api/v1/tokens/x", "[1,2]"), 400, "The request body must be a JSON object");
  }

  // ---- 429 (the legacy quota; capacity throttling: ThrottlingTest) ----

  @Test
  void legacyQuotaAnswers429WithThePre1210Headers() {
    clock.fix(Instant.parse("2030-01-01T00:00:15Z"));
    sim.throttling(Throttling.legacyPerMinute(2));
    assertThat(http.get("/api/v2/apiTokens").status()).isEqualTo(200);
    assertThat(http.get("/api/v2/apiTokens").status()).isEqualTo(200);

    DtHttp.Reply limited = http.get("/api/v2/apiTokens");

    assertError(limited, 429, "Too Many Requests");
    assertThat(limited.header("X-RateLimit-Limit")).isEqualTo("2");
    assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");
    // Microseconds since the epoch of the next window start: 2030-01-01T00:01:00Z.
    assertThat(limited.header("X-RateLimit-Reset"))
        .isEqualTo(Long.toString(Instant.parse("2030-01-01T00:01:00Z").toEpochMilli() * 1000));
    assertThat(limited.header("Retry-After")).isEqualTo("45");

    clock.advance(Duration.ofSeconds(45));
    assertThat(http.get("/api/v2/apiTokens").status()).isEqualTo(200);
  }

  @Test
  void legacyQuotaCanBeSetThroughTheOldAdminRouteAndSwitchedOff() {
    DtHttp admin = http.as(null);
    assertThat(admin.post("/__sim/ratelimit", "{\"perMinute\":1}").status()).isEqualTo(204);
    http.get("/api/v1/tokens");
    assertThat(http.get("/api/v1/tokens").status()).isEqualTo(429);
    assertThat(admin.post("/__sim/ratelimit", "{\"perMinute\":0}").status()).isEqualTo(204);
    assertThat(http.get("/api/v1/tokens").status()).isEqualTo(200);
  }
}
