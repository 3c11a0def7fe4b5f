package io.tokenrotation.sim.dynatrace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The v2 list call: paging with nextPageKey, apiTokenSelector, sort, fields, from/to; and the v1
 * list filters.
 */
class ListTest extends SimulatorTestBase {

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static List<String> names(JsonNode list) {
    return StreamSupport.stream(list.get("apiTokens").spliterator(), false)
        .map(t -> t.get("name").asText())
        .toList();
  }

  @Test
  void pagesThroughAllTokensWithNextPageKey() {
    for (int i = 0; i < 249; i++) {
      sim.createToken("t" + i, List.of("metrics.read"), OWNER, null);
    }
    Set<String> seen = new HashSet<>();
    List<Integer> pageSizes = new ArrayList<>();
    JsonNode page = http.get("/api/v2/apiTokens?pageSize=100").json();
    while (true) {
      assertThat(page.get("totalCount").asInt()).isEqualTo(250);
      assertThat(page.get("pageSize").asInt()).isEqualTo(100);
      page.get("apiTokens").forEach(t -> assertThat(seen.add(t.get("id").asText())).isTrue());
      pageSizes.add(page.get("apiTokens").size());
      if (page.get("nextPageKey").isNull()) {
        break;
      }
      DtHttp.Reply next =
          http.get("/api/v2/apiTokens?nextPageKey=" + enc(page.get("nextPageKey").asText()));
      assertThat(next.status()).isEqualTo(200);
      page = next.json();
    }
    assertThat(pageSizes).containsExactly(100, 100, 50);
    assertThat(seen).hasSize(250);
  }

  @Test
  void nextPageKeyKeepsTheFirstPagesFilterAndRefusesOtherParameters() {
    for (int i = 0; i < 150; i++) {
      sim.createToken("p" + i, List.of("logs.read"), "someone.else", null);
    }
    JsonNode first =
        http.get(
                "/api/v2/apiTokens?pageSize=100&apiTokenSelector="
                    + enc("owner(\"someone.else\")")
                    + "&fields="
                    + enc("+scopes"))
            .json();
    String key = enc(first.get("nextPageKey").asText());

    JsonNode second = http.get("/api/v2/apiTokens?nextPageKey=" + key).json();
    assertThat(second.get("apiTokens"))
        .hasSize(50)
        .allSatisfy(t -> assertThat(t.has("scopes")).isTrue());
    assertThat(second.get("totalCount").asInt()).isEqualTo(150);

    DtHttp.Reply mixed = http.get("/api/v2/apiTokens?nextPageKey=" + key + "&pageSize=100");
    assertThat(mixed.status()).isEqualTo(400);
    assertThat(mixed.json().at("/error/constraintViolations/0/path").asText())
        .isEqualTo("nextPageKey");
    assertThat(http.get("/api/v2/apiTokens?nextPageKey=not-a-key").status()).isEqualTo(400);
  }

  @Test
  void selectorAndsCriteriaAndOrsScopes() {
    sim.createToken("a", List.of("metrics.read"), "jane", null);
    sim.createToken("b", List.of("logs.read"), "jane", null);
    sim.createToken("c", List.of("slo.read"), "jane", null);
    sim.createToken("d", List.of("metrics.read"), "Jane", null);

    assertThat(
            names(
                http.get(
                        "/api/v2/apiTokens?sort=name&apiTokenSelector="
                            + enc("owner(\"jane\"),scope(\"metrics.read\",\"logs.read\")"))
                    .json()))
        .containsExactly("a", "b");
    assertThat(
            names(
                http.get("/api/v2/apiTokens?sort=name&apiTokenSelector=" + enc("owner(\"Jane\")"))
                    .json()))
        .containsExactly("d");
    assertThat(
            names(
                http.get(
                        "/api/v2/apiTokens?sort=name&apiTokenSelector="
                            + enc("scope(\"metrics.read\")"))
                    .json()))
        .containsExactly("a", "d");
    assertThat(
            names(
                http.get(
                        "/api/v2/apiTokens?sort=name&apiTokenSelector="
                            + enc("personalAccessToken(false)"))
                    .json()))
        .containsExactly("a", "admin", "b", "c", "d");
    assertThat(
            names(
                http.get("/api/v2/apiTokens?apiTokenSelector=" + enc("personalAccessToken(true)"))
                    .json()))
        .isEmpty();
    DtHttp.Reply bad = http.get("/api/v2/apiTokens?apiTokenSelector=" + enc("color(\"red\")"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().at("/error/constraintViolations/0/path").asText())
        .isEqualTo("apiTokenSelector");
  }

  @Test
  void sortsByDefaultNewestFirstAndByAnyDocumentedField() {
    clock.fix(Instant.parse("2030-01-01T00:00:00Z"));
    IssuedToken b =
        sim.createToken("b", List.of("metrics.read"), OWNER, Instant.parse("2031-01-01T00:00:00Z"));
    clock.advance(Duration.ofMinutes(1));
    sim.createToken("c", List.of("metrics.read"), OWNER, null);
    clock.advance(Duration.ofMinutes(1));
    sim.createToken("a", List.of("metrics.read"), OWNER, Instant.parse("2030-06-01T00:00:00Z"));

    assertThat(names(http.get("/api/v2/apiTokens").json())).containsExactly("a", "c", "b", "admin");
    assertThat(names(http.get("/api/v2/apiTokens?sort=creationDate").json()))
        .containsExactly("admin", "b", "c", "a");
    assertThat(names(http.get("/api/v2/apiTokens?sort=" + enc("+name")).json()))
        .containsExactly("a", "admin", "b", "c");
    assertThat(names(http.get("/api/v2/apiTokens?sort=-name").json()))
        .containsExactly("c", "b", "admin", "a");
    // Tokens without the date come last either way.
    assertThat(names(http.get("/api/v2/apiTokens?sort=expirationDate").json()).subList(0, 2))
        .containsExactly("a", "b");
    assertThat(names(http.get("/api/v2/apiTokens?sort=-expirationDate").json()).subList(0, 2))
        .containsExactly("b", "a");
    http.put("/api/v2/apiTokens/" + b.id(), "{\"name\":\"b2\"}");
    assertThat(names(http.get("/api/v2/apiTokens?sort=-modifiedDate").json()).get(0))
        .isEqualTo("b2");
    assertThat(http.get("/api/v2/apiTokens?sort=owner").status()).isEqualTo(400);
  }

  @Test
  void fieldsDefaultAddRemoveAndAbsolute() {
    sim.createToken("x", List.of("metrics.read"), OWNER, clock.instant().plus(Duration.ofDays(1)));

    JsonNode byDefault = http.get("/api/v2/apiTokens?sort=name").json().get("apiTokens").get(1);
    assertThat(fieldNames(byDefault))
        .containsExactlyInAnyOrder("id", "name", "enabled", "owner", "creationDate");

    JsonNode added =
        http.get("/api/v2/apiTokens?sort=name&fields=" + enc("+scopes,+expirationDate,-owner"))
            .json()
            .get("apiTokens")
            .get(1);
    assertThat(fieldNames(added))
        .containsExactlyInAnyOrder(
            "id", "name", "enabled", "creationDate", "scopes", "expirationDate");
    assertThat(added.get("scopes").get(0).asText()).isEqualTo("metrics.read");

    JsonNode absolute =
        http.get("/api/v2/apiTokens?sort=name&fields=scopes").json().get("apiTokens").get(1);
    assertThat(fieldNames(absolute)).containsExactlyInAnyOrder("id", "scopes");

    assertThat(http.get("/api/v2/apiTokens?fields=secret").status()).isEqualTo(400);
    assertThat(http.get("/api/v2/apiTokens?fields=" + enc("name,+scopes")).status()).isEqualTo(400);
  }

  @Test
  void anUnencodedPlusInFieldsStillMeansAdd() {
    JsonNode token = http.get("/api/v2/apiTokens?fields=+scopes").json().get("apiTokens").get(0);
    assertThat(token.has("scopes")).isTrue();
    assertThat(token.has("owner")).isTrue();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void fromAndToFilterOnLastUse() {
    clock.fix(Instant.parse("2030-01-10T00:00:00Z"));
    IssuedToken used = sim.createToken("used", List.of("metrics.read"), OWNER, null);
    sim.createToken("unused", List.of("metrics.read"), OWNER, null);
    http.as(used.token()).get("/api/v2/apiTokens"); // 403, but it authenticated: a use
    clock.advance(Duration.ofDays(3));

    assertThat(names(http.get("/api/v2/apiTokens?sort=name&from=now-4d&to=now-2d").json()))
        .containsExactly("used");
    assertThat(names(http.get("/api/v2/apiTokens?sort=name&from=now-1d").json()))
        .containsExactly("admin");
    assertThat(
            names(
                http.get(
                        "/api/v2/apiTokens?sort=name&to="
                            + Instant.parse("2030-01-09T00:00:00Z").toEpochMilli())
                    .json()))
        .isEmpty();
    assertThat(http.get("/api/v2/apiTokens?from=yesterday").status()).isEqualTo(400);
  }

  @Test
  void v1ListFiltersByUserPermissionsAndLimit() {
    sim.createToken("both", List.of("DataExport", "ReadConfig"), "jane", null);
    sim.createToken("one", List.of("DataExport"), "jane", null);
    sim.createToken("other", List.of("DataExport", "ReadConfig"), "joe", null);

    JsonNode all = http.get("/api/v1/tokens").json().get("values");
    assertThat(all).hasSize(4);
    assertThat(fieldNames(all.get(0))).containsExactly("id", "name");
    assertThat(v1Names("?permissions=DataExport&permissions=ReadConfig"))
        .containsExactly("both", "other");
    assertThat(v1Names("?user=jane&permissions=DataExport")).containsExactly("both", "one");
    assertThat(v1Names("?limit=2")).hasSize(2);
    assertThat(http.get("/api/v1/tokens?limit=0").status()).isEqualTo(400);
  }

  private List<String> v1Names(String query) {
    return StreamSupport.stream(
            http.get("/api/v1/tokens" + query).json().get("values").spliterator(), false)
        .map(t -> t.get("name").asText())
        .toList();
  }
}
