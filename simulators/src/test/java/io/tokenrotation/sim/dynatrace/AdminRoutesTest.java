package io.tokenrotation.sim.dynatrace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The /__sim/ admin routes and the Java seeding API. */
class AdminRoutesTest extends SimulatorTestBase {

  @Test
  void seedsTokensThatWorkAgainstTheApi() {
    DtHttp noAuth = http.as(null);
    DtHttp.Reply seeded =
        noAuth.post(
            "/__sim/tokens",
            "{\"name\":\"seeded\",\"scopes\":[\"apiTokens.read\"],"
                + "\"owner\":\"jane\",\"expirationDate\":\"now+1h\"}");

    assertThat(seeded.status()).isEqualTo(201);
    String secret = seeded.json().get("token").asText();
    assertThat(TokenFormat.idOf(secret)).isEqualTo(seeded.json().get("id").asText());
    assertThat(http.as(secret).get("/api/v2/apiTokens").status()).isEqualTo(200);
    TokenView view = sim.token(seeded.json().get("id").asText()).orElseThrow();
    assertThat(view.owner()).isEqualTo("jane");
    assertThat(view.expirationDate()).isNotNull();
  }

  @Test
  void listsTokenMetadataWithoutSecrets() {
    DtHttp.Reply list = http.as(null).get("/__sim/tokens");
    assertThat(list.status()).isEqualTo(200);
    JsonNode token = list.json().get("tokens").get(0);
    assertThat(token.get("id").asText()).isEqualTo(admin.id());
    assertThat(token.get("owner").asText()).isEqualTo(OWNER);
    assertThat(token.get("scopes")).hasSize(3);
    assertThat(list.body()).doesNotContain(admin.token().substring(admin.token().lastIndexOf('.')));
  }

  @Test
  void adminCallsNeedNoAuthAndAreNotJournaled() {
    http.as(null).get("/__sim/tokens");
    http.as(null).post("/__sim/ratelimit", "{\"perMinute\":0}");
    assertThat(sim.journal().size()).isZero();
    assertThat(http.as(null).post("/__sim/ratelimit", "{\"perMinute\":\"x\"}").status())
        .isEqualTo(400);
    assertThat(http.as(null).get("/__sim/nothing").status()).isEqualTo(404);
    assertThat(
            http.as(null)
                .post("/__sim/tokens", "{\"name\":\"x\",\"scopes\":[\"bogus\"],\"owner\":\"o\"}")
                .status())
        .isEqualTo(400);
  }

  @Test
  void javaSeedingRefusesUnknownScopesButAcceptsRetiredOnesAndPastExpiry() {
    assertThatThrownBy(() -> sim.createToken("x", List.of("bogus"), OWNER, null))
        .isInstanceOf(IllegalArgumentException.class);
    IssuedToken dashboard = sim.createToken("share", List.of("ViewDashboard"), OWNER, null);
    assertThat(sim.token(dashboard.id()).orElseThrow().scopes()).containsExactly("ViewDashboard");
    IssuedToken expired =
        sim.createToken("old", ADMIN_SCOPES, OWNER, clock.instant().minusSeconds(1));
    assertThat(sim.authenticates(expired.token())).isFalse();
  }

  @Test
  void seedsAStaleTokenWhoseDatesTheListShows() {
    DtHttp.Reply seeded =
        http.as(null)
            .post(
                "/__sim/tokens",
                "{\"name\":\"stale\",\"scopes\":[\"ReadConfig\"],"
                    + "\"owner\":\"left@example.com\",\"creationDate\":\"2024-01-01T00:00:00Z\","
                    + "\"lastUsedDate\":\"2024-06-01T12:00:00Z\"}");
    assertThat(seeded.status()).isEqualTo(201);
    String id = seeded.json().get("id").asText();
    Instant longAgo = Instant.parse("2024-03-01T00:00:00Z");
    IssuedToken neverUsed =
        sim.createToken("never-used", List.of("ReadConfig"), OWNER, null, longAgo, null);

    JsonNode tokens = http.get("/api/v2/apiTokens?fields=%2BlastUsedDate").json().get("apiTokens");
    JsonNode stale = find(tokens, id);
    assertThat(stale.get("creationDate").asText()).isEqualTo("2024-01-01T00:00:00.000Z");
    assertThat(stale.get("lastUsedDate").asText()).isEqualTo("2024-06-01T12:00:00.000Z");
    assertThat(find(tokens, neverUsed.id()).get("creationDate").asText())
        .isEqualTo("2024-03-01T00:00:00.000Z");
    assertThat(find(tokens, neverUsed.id()).has("lastUsedDate")).as("never used").isFalse();
    // a seeded token still authenticates, and its use is stamped as usual
    assertThat(http.as(seeded.json().get("token").asText()).get("/api/v2/apiTokens").status())
        .isEqualTo(403);
    assertThat(sim.token(id).orElseThrow().lastUsedDate())
        .isAfter(Instant.parse("2024-06-01T12:00:00Z"));
  }

  @Test
  void refusesAHistoryThatCannotHappen() {
    assertThatThrownBy(
            () ->
                sim.createToken(
                    "x",
                    List.of("ReadConfig"),
                    OWNER,
                    null,
                    clock.instant(),
                    clock.instant().minusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            http.as(null)
                .post(
                    "/__sim/tokens",
                    "{\"name\":\"x\",\"scopes\":[],\"owner\":\"o\","
                        + "\"lastUsedDate\":\"now-1d\"}")
                .status())
        .isEqualTo(400);
  }

  private static JsonNode find(JsonNode tokens, String id) {
    for (JsonNode t : tokens) {
      if (t.get("id").asText().equals(id)) {
        return t;
      }
    }
    throw new AssertionError(id + " not listed");
  }

  @Test
  void aConfiguredCatalogueAcceptsNewScopesAndDropsRemovedOnes() {
    try (DynatraceSimulator custom =
        DynatraceSimulator.start(
            0,
            clock,
            ScopeCatalogue.defaults()
                .withAdditional(List.of("openpipeline.events_smartscape"))
                .without(List.of("metrics.read")))) {
      IssuedToken root = custom.createToken("root", ADMIN_SCOPES, OWNER, null);
      DtHttp client = new DtHttp(custom.baseUrl(), root.token());
      assertThat(
              client
                  .post("/api/v2/apiTokens", createBody("n", "openpipeline.events_smartscape"))
                  .status())
          .isEqualTo(201);
      assertThat(client.post("/api/v2/apiTokens", createBody("n", "metrics.read")).status())
          .isEqualTo(400);
    }
  }

  @Test
  void managedEnvironmentPathsAreServedToo() {
    assertThat(http.get("/e/abc123/api/v2/apiTokens").status()).isEqualTo(200);
  }
}
