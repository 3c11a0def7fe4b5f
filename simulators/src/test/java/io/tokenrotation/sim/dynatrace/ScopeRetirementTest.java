package io.tokenrotation.sim.dynatrace;

import static io.tokenrotation.sim.dynatrace.OpenApiSchemas.V2;
import static io.tokenrotation.sim.dynatrace.OpenApiSchemas.assertValid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Retired scopes (contract section 4, API changelog 1.330: {@code analyzers.read}/{@code
 * analyzers.write}): a token created before still shows them on lookup, get and list; a create or
 * update naming one is a 400 envelope whose violation points at that scope.
 */
class ScopeRetirementTest extends SimulatorTestBase {
  private static final String FIELDS = "fields=%2Bscopes";

  @Test
  void analyzersScopesAreRetiredByDefault() {
    assertThat(sim.scopes().retired("analyzers.read")).isTrue();
    assertThat(sim.scopes().retired("analyzers.write")).isTrue();
    assertThat(sim.scopes().assignable("analyzers.read")).isFalse();
    assertThat(sim.scopes().retired("metrics.read")).isFalse();
  }

  @Test
  void anOldTokenStillShowsItsRetiredScope() {
    IssuedToken old =
        sim.createToken("old-analyzer", List.of("metrics.read", "analyzers.read"), OWNER, null);

    JsonNode lookup =
        http.post("/api/v2/apiTokens/lookup", "{\"token\":\"" + old.token() + "\"}").json();
    JsonNode get = http.get("/api/v2/apiTokens/" + old.id()).json();
    JsonNode listed =
        http.get(
                "/api/v2/apiTokens?"
                    + FIELDS
                    + "&apiTokenSelector="
                    + enc("scope(\"analyzers.read\")"))
            .json()
            .get("apiTokens");

    assertThat(lookup.get("scopes"))
        .extracting(JsonNode::asText)
        .containsExactly("metrics.read", "analyzers.read");
    assertThat(get.get("scopes")).extracting(JsonNode::asText).contains("analyzers.read");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("id").asText()).isEqualTo(old.id());
  }

  @Test
  void cloningAnOldTokensScopesIsRefusedWithAViolationNamingTheRetiredOne() {
    DtHttp.Reply refused =
        http.post("/api/v2/apiTokens", createBody("clone", "metrics.read", "analyzers.read"));

    assertThat(refused.status()).isEqualTo(400);
    assertValid(V2, "ErrorEnvelope", refused.body());
    assertThat(refused.json().at("/error/message").asText()).isEqualTo("Constraints violated.");
    JsonNode violations = refused.json().at("/error/constraintViolations");
    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).get("path").asText()).isEqualTo("scopes[1]");
    assertThat(violations.get(0).get("parameterLocation").asText()).isEqualTo("PAYLOAD_BODY");
    assertThat(violations.get(0).get("message").asText()).contains("'analyzers.read'");
    assertThat(sim.tokens()).extracting(TokenView::name).doesNotContain("clone");
  }

  @Test
  void anUpdateMayDropARetiredScopeButNotAddOne() {
    IssuedToken old =
        sim.createToken("old-analyzer", List.of("metrics.read", "analyzers.write"), OWNER, null);

    assertThat(
            http.put(
                    "/api/v2/apiTokens/" + old.id(),
                    "{\"scopes\":[\"metrics.read\",\"analyzers.write\"]}")
                .status())
        .isEqualTo(400);
    assertThat(
            http.put("/api/v2/apiTokens/" + old.id(), "{\"scopes\":[\"metrics.read\"]}").status())
        .isEqualTo(204);
    assertThat(sim.token(old.id()).orElseThrow().scopes()).containsExactly("metrics.read");
  }

  @Test
  void theLegacyApiRefusesRetiredScopesToo() {
    DtHttp.Reply refused = http.post("/api/v1/tokens", createBody("v1-clone", "analyzers.read"));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().at("/error/constraintViolations/0/path").asText())
        .isEqualTo("scopes[0]");
  }

  @Test
  void scopesCanBeRetiredWhileRunningFromJavaAndTheAdminApi() {
    IssuedToken exporter =
        sim.createToken("exporter", List.of("DataExport", "ReadConfig"), OWNER, null);

    sim.retireScopes(List.of("DataExport"));
    assertThat(http.as(null).post("/__sim/scopes/retire", "{\"scopes\":[\"ReadConfig\"]}").status())
        .isEqualTo(204);

    assertThat(http.post("/api/v2/apiTokens", createBody("x", "DataExport")).status())
        .isEqualTo(400);
    assertThat(http.post("/api/v2/apiTokens", createBody("y", "ReadConfig")).status())
        .isEqualTo(400);
    assertThat(
            http.post("/api/v2/apiTokens/lookup", "{\"token\":\"" + exporter.token() + "\"}")
                .json()
                .get("scopes"))
        .extracting(JsonNode::asText)
        .containsExactly("DataExport", "ReadConfig");
    JsonNode catalogue = http.as(null).get("/__sim/scopes").json();
    assertThat(catalogue.get("retired"))
        .extracting(JsonNode::asText)
        .contains("analyzers.read", "DataExport", "ReadConfig");
    assertThat(catalogue.get("assignable"))
        .extracting(JsonNode::asText)
        .contains("metrics.read")
        .doesNotContain("DataExport", "analyzers.read");
    assertThat(http.as(null).post("/__sim/scopes/retire", "{\"scopes\":\"x\"}").status())
        .isEqualTo(400);
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
