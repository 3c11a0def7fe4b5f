package io.tokenrotation.sim.dynatrace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrotation.sim.http.JournalEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Fault injection through the Java and admin APIs, and a journal that names callers by id and never
 * holds a secret.
 */
class FaultsAndJournalTest extends SimulatorTestBase {

  @Test
  void failNextAnswersTheInjectedStatusWithTheEnvelopeThenRecovers() {
    sim.faults().failNext(2, "POST", "/api/v2/apiTokens", 503);

    DtHttp.Reply first = http.post("/api/v2/apiTokens", createBody("n", "metrics.read"));
    DtHttp.Reply second = http.post("/api/v2/apiTokens", createBody("n", "metrics.read"));
    DtHttp.Reply third = http.post("/api/v2/apiTokens", createBody("n", "metrics.read"));

    assertThat(first.status()).isEqualTo(503);
    assertThat(first.json().at("/error/code").asInt()).isEqualTo(503);
    assertThat(first.json().at("/error/message").asText()).isEqualTo("Service Unavailable");
    assertThat(second.status()).isEqualTo(503);
    assertThat(third.status()).isEqualTo(201);
    assertThat(sim.tokens()).hasSize(2);
    assertThat(sim.journal().entries())
        .extracting(JournalEntry::status, JournalEntry::injected)
        .containsExactly(Tuple.tuple(503, true), Tuple.tuple(503, true), Tuple.tuple(201, false));
  }

  @Test
  void faultsInjectedThroughTheAdminApiWork() {
    DtHttp admin = http.as(null);
    assertThat(
            admin
                .post(
                    "/__sim/faults",
                    "{\"method\":\"GET\",\"path\":\"/api/v2/apiTokens/.*\",\"status\":429,"
                        + "\"headers\":{\"Retry-After\":\"7\"},\"times\":1}")
                .status())
        .isEqualTo(201);

    DtHttp.Reply limited = http.get("/api/v2/apiTokens/" + admin().id());
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Retry-After")).isEqualTo("7");
    assertThat(limited.json().at("/error/code").asInt()).isEqualTo(429);
    assertThat(http.get("/api/v2/apiTokens/" + admin().id()).status()).isEqualTo(200);

    // POST, because java.net.http silently retries an idempotent GET once when the connection
    // drops.
    assertThat(admin.post("/__sim/faults", "{\"kind\":\"drop\",\"path\":\"/api/v1/.*\"}").status())
        .isEqualTo(201);
    assertThatThrownBy(() -> http.post("/api/v1/tokens", createBody("n", "DataExport")))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(sim.tokens()).hasSize(1);
    assertThat(http.post("/api/v1/tokens", createBody("n", "DataExport")).status()).isEqualTo(201);
  }

  private IssuedToken admin() {
    return admin;
  }

  /**
   * Issue 12: "a Dynatrace endpoint that answers 200 {}" (or a login page), from Java and over the
   * admin API.
   */
  @Test
  void aFaultAnswersAnyStatusWithARawBody() {
    String lookup = "{\"token\":\"" + admin.token() + "\"}";
    String page = "<html><body>Sign in</body></html>";
    sim.faults().answerNext(1, "POST", "/api/v2/apiTokens/lookup", 200, "application/json", "{}");
    DtHttp adminApi = http.as(null);
    assertThat(
            adminApi
                .post(
                    "/__sim/faults",
                    "{\"method\":\"POST\",\"path\":\"/api/v2/apiTokens/lookup\","
                        + "\"status\":200,\"body\":\""
                        + page
                        + "\",\"headers\":{\"content-type\":\"text/html\"}}")
                .status())
        .isEqualTo(201);
    assertThat(
            adminApi
                .post(
                    "/__sim/faults",
                    "{\"path\":\"/api/v2/apiTokens/lookup\",\"status\":200,\"body\":{}}")
                .status())
        .isEqualTo(201);

    DtHttp.Reply fromJava = http.post("/api/v2/apiTokens/lookup", lookup);
    DtHttp.Reply html = http.post("/api/v2/apiTokens/lookup", lookup);
    DtHttp.Reply fromAdminApi = http.post("/api/v2/apiTokens/lookup", lookup);
    DtHttp.Reply real = http.post("/api/v2/apiTokens/lookup", lookup);

    assertThat(fromJava.status()).isEqualTo(200);
    assertThat(fromJava.body()).isEqualTo("{}");
    assertThat(fromJava.header("Content-Type")).isEqualTo("application/json");
    assertThat(html.status()).isEqualTo(200);
    assertThat(html.body()).isEqualTo(page);
    assertThat(html.headers().allValues("Content-Type")).containsExactly("text/html");
    assertThat(fromAdminApi.body()).isEqualTo("{}");
    assertThat(fromAdminApi.header("Content-Type")).startsWith("application/json");
    assertThat(real.json().get("id").asText()).isEqualTo(admin().id());
    assertThat(sim.journal().entries())
        .extracting(JournalEntry::status, JournalEntry::injected)
        .containsExactly(
            Tuple.tuple(200, true), Tuple.tuple(200, true),
            Tuple.tuple(200, true), Tuple.tuple(200, false));
  }

  @Test
  void stallMakesTheClientTimeOutAndDropClosesTheConnection() {
    sim.faults().stallNext(1, "GET", "/api/v2/apiTokens", Duration.ofSeconds(3));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/api/v2/apiTokens"))
            .header("Authorization", "Api-Token " + admin.token())
            .timeout(Duration.ofMillis(300))
            .GET()
            .build();
    assertThatThrownBy(() -> DtHttp.CLIENT.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);

    sim.faults().dropNext(1, "*", ".*");
    assertThatThrownBy(() -> http.post("/api/v2/apiTokens", createBody("n", "metrics.read")))
        .isInstanceOf(UncheckedIOException.class)
        .hasCauseInstanceOf(IOException.class);
    assertThat(sim.journal().entries())
        .last()
        .satisfies(
            e -> {
              assertThat(e.status()).isZero();
              assertThat(e.injected()).isTrue();
            });
    assertThat(http.get("/api/v2/apiTokens").status()).isEqualTo(200);
  }

  @Test
  void journalRecordsMethodPathStatusAndTheCallersIdNeverItsSecret() {
    IssuedToken victim = sim.createToken("victim", List.of("metrics.read"), OWNER, null);
    List<String> responsesOtherThanCreate = new ArrayList<>();

    DtHttp.Reply created = http.post("/api/v2/apiTokens", createBody("fresh", "metrics.read"));
    String freshSecret = created.json().get("token").asText();
    responsesOtherThanCreate.add(http.get("/api/v2/apiTokens?fields=" + "%2Bscopes").body());
    responsesOtherThanCreate.add(
        http.post("/api/v2/apiTokens/lookup", "{\"token\":\"" + freshSecret + "\"}").body());
    responsesOtherThanCreate.add(
        http.post("/api/v1/tokens/lookup", "{\"token\":\"" + admin.token() + "\"}").body());
    responsesOtherThanCreate.add(
        http.get("/api/v2/apiTokens/" + freshSecret).body()); // secret where an id goes
    responsesOtherThanCreate.add(
        http.as(null).get("/api/v2/apiTokens?api-token=" + admin.token()).body());
    responsesOtherThanCreate.add(http.as(null).get("/__sim/tokens").body());
    responsesOtherThanCreate.add(http.as(null).get("/__sim/journal").body());
    sim.faults().failNext(1, "DELETE", ".*", 500);
    responsesOtherThanCreate.add(
        http.delete("/api/v2/apiTokens/" + victim.token()).body()); // faulted: not handled
    responsesOtherThanCreate.add(http.delete("/api/v2/apiTokens/" + victim.token()).body());
    responsesOtherThanCreate.add(
        http.as(victim.token()).get("/api/v2/apiTokens").body()); // 401: deleted

    String journal =
        sim.journal().entries().toString() + http.as(null).get("/__sim/journal").body();
    for (String secret : List.of(admin.token(), victim.token(), freshSecret)) {
      assertThat(journal)
          .doesNotContain(secret)
          .doesNotContain(secret.substring(secret.lastIndexOf('.') + 1));
      assertThat(responsesOtherThanCreate)
          .noneMatch(body -> body.contains(secret.substring(secret.lastIndexOf('.'))));
    }
    assertThat(created.body()).contains(freshSecret);

    List<JournalEntry> entries = sim.journal().entries();
    JournalEntry create = entries.get(0);
    assertThat(create.method()).isEqualTo("POST");
    assertThat(create.path()).isEqualTo("/api/v2/apiTokens");
    assertThat(create.status()).isEqualTo(201);
    assertThat(create.principal()).isEqualTo(admin.id());
    JournalEntry deleteBySecret =
        entries.stream()
            .filter(e -> e.method().equals("DELETE") && !e.injected())
            .findFirst()
            .orElseThrow();
    assertThat(deleteBySecret.path()).isEqualTo("/api/v2/apiTokens/" + victim.id() + ".***");
    assertThat(deleteBySecret.status()).isEqualTo(204);
    assertThat(
            entries.stream()
                .filter(e -> e.query() != null && e.query().startsWith("api-token"))
                .findFirst()
                .orElseThrow()
                .query())
        .isEqualTo("api-token=***");
    assertThat(entries.get(entries.size() - 1).status()).isEqualTo(401);
    assertThat(entries.get(entries.size() - 1).principal()).isNull();
    assertThat(sim.journal().count("DELETE", "/api/v2/apiTokens/.*")).isEqualTo(2);
  }

  @Test
  void createdTokenToStringHidesTheSecret() {
    assertThat(admin.toString()).contains(admin.id()).doesNotContain(admin.token());
  }
}
