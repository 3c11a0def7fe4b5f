package io.tokenrotation.sim.dynatrace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rotation an operator performs, through both API versions: look the old token up, create a
 * twin with the same name and scopes, delete the old one; the old secret then stops working and the
 * new one works.
 */
class RotationFlowTest extends SimulatorTestBase {

  @Test
  void v2RotationReplacesTheTokenAndTheOldSecretIs401() {
    IssuedToken old =
        sim.createToken(
            "ingest-prod", List.of("metrics.ingest", "logs.ingest"), "svc@example.com", null);

    JsonNode looked =
        http.post("/api/v2/apiTokens/lookup", "{\"token\":\"" + old.token() + "\"}").json();
    assertThat(looked.get("id").asText()).isEqualTo(old.id());
    List<String> scopes = new ArrayList<>();
    looked.get("scopes").forEach(s -> scopes.add(s.asText()));
    String body =
        "{\"name\":\""
            + looked.get("name").asText()
            + "\",\"scopes\":"
            + looked.get("scopes").toString()
            + ",\"expirationDate\":\"now+30d\"}";

    DtHttp.Reply created = http.post("/api/v2/apiTokens", body);
    assertThat(created.status()).isEqualTo(201);
    String newSecret = created.json().get("token").asText();
    String newId = created.json().get("id").asText();
    assertThat(newSecret).matches("dt0c01\\.[A-Z2-7]{24}\\.[A-Z2-7]{64}").startsWith(newId + ".");

    assertThat(http.delete("/api/v2/apiTokens/" + old.id()).status()).isEqualTo(204);

    assertThat(
            http.as(old.token())
                .post("/api/v2/apiTokens/lookup", "{\"token\":\"" + old.token() + "\"}")
                .status())
        .isEqualTo(401);
    assertThat(sim.authenticates(old.token())).isFalse();
    assertThat(sim.authenticates(newSecret)).isTrue();
    TokenView fresh = sim.token(newId).orElseThrow();
    assertThat(fresh.name()).isEqualTo("ingest-prod");
    assertThat(fresh.scopes()).containsExactlyElementsOf(scopes);
    // The new token belongs to the caller's owner, not to the old token's.
    assertThat(fresh.owner()).isEqualTo(OWNER);
    assertThat(fresh.expirationDate()).isAfter(Instant.now().plusSeconds(29L * 24 * 3600));
    assertThat(http.get("/api/v2/apiTokens/" + old.id()).status()).isEqualTo(404);
  }

  @Test
  void v2DeleteAcceptsTheFullSecretInsteadOfTheId() {
    IssuedToken victim = sim.createToken("victim", List.of("metrics.read"), OWNER, null);
    assertThat(http.delete("/api/v2/apiTokens/" + victim.token()).status()).isEqualTo(204);
    assertThat(sim.token(victim.id())).isEmpty();
  }

  @Test
  void v2RevokeByDisablingThenReEnable() {
    IssuedToken old = sim.createToken("old", List.of("metrics.read"), OWNER, null);
    assertThat(http.put("/api/v2/apiTokens/" + old.id(), "{\"enabled\":false}").status())
        .isEqualTo(204);
    assertThat(sim.token(old.id()).orElseThrow().modifiedDate())
        .as("enable/disable is not a modification")
        .isNull();
    assertThat(sim.authenticates(old.token())).isFalse();
    assertThat(
            http.put(
                    "/api/v2/apiTokens/" + old.id(),
                    "{\"enabled\":true,\"scopes\":[\"metrics.read\",\"metrics.ingest\"]}")
                .status())
        .isEqualTo(204);
    TokenView view = sim.token(old.id()).orElseThrow();
    assertThat(view.enabled()).isTrue();
    assertThat(view.scopes()).containsExactly("metrics.read", "metrics.ingest");
    assertThat(view.modifiedDate()).isNotNull();
  }

  @Test
  void v1RotationLookupCreateRevokeDelete() {
    IssuedToken old = sim.createToken("legacy", List.of("DataExport", "ReadConfig"), OWNER, null);

    JsonNode looked =
        http.post("/api/v1/tokens/lookup", "{\"token\":\"" + old.token() + "\"}").json();
    assertThat(looked.get("revoked").asBoolean()).isFalse();
    assertThat(looked.get("created").asLong())
        .isEqualTo(sim.token(old.id()).orElseThrow().creationDate().toEpochMilli());

    DtHttp.Reply created =
        http.post(
            "/api/v1/tokens",
            "{\"name\":\""
                + looked.get("name").asText()
                + "\",\"scopes\":"
                + looked.get("scopes")
                + ",\"expiresIn\":{\"value\":30,\"unit\":\"DAYS\"}}");
    assertThat(created.status()).isEqualTo(201);
    String newSecret = created.json().get("token").asText();

    assertThat(http.put("/api/v1/tokens/" + old.id(), "{\"revoked\":true}").status())
        .isEqualTo(204);
    assertThat(http.as(old.token()).get("/api/v1/tokens").status()).isEqualTo(401);
    assertThat(http.delete("/api/v1/tokens/" + old.id()).status()).isEqualTo(204);

    assertThat(
            http.as(old.token())
                .post("/api/v1/tokens/lookup", "{\"token\":\"" + old.token() + "\"}")
                .status())
        .isEqualTo(401);
    JsonNode fresh = http.get("/api/v1/tokens/" + TokenFormat.idOf(newSecret)).json();
    assertThat(fresh.get("name").asText()).isEqualTo("legacy");
    assertThat(fresh.get("scopes"))
        .extracting(JsonNode::asText)
        .containsExactly("DataExport", "ReadConfig");
    assertThat(fresh.get("expires").asLong() - fresh.get("created").asLong())
        .isEqualTo(30L * 24 * 3600 * 1000);
    // v1 and v2 share one store: the v1-made token is visible through v2.
    assertThat(http.get("/api/v2/apiTokens/" + TokenFormat.idOf(newSecret)).status())
        .isEqualTo(200);
  }

  @Test
  void lookupOfADisabledTokenShowsItsStateInsteadOfHidingIt() {
    IssuedToken old = sim.createToken("old", List.of("metrics.read"), OWNER, null);
    http.put("/api/v2/apiTokens/" + old.id(), "{\"enabled\":false}");
    DtHttp.Reply reply =
        http.post("/api/v2/apiTokens/lookup", "{\"token\":\"" + old.token() + "\"}");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("enabled").asBoolean()).isFalse();
  }
}
