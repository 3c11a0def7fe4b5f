package io.tokenrotation.sim.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrotation.sim.http.JournalEntry;
import io.tokenrotation.sim.http.RequestJournal;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Injected faults, the journal (its principals, its subscribers), and load. */
class VaultFaultsJournalConcurrencyTest {
  private static final String SCRIPT = "/v1/secret/data/dynatrace/script1";

  private VaultSimulator vault;
  private VaultHttp http;

  @BeforeEach
  void start() {
    vault = VaultSimulator.start(0);
    vault.writeKv("", "secret", "dynatrace/script1", Map.of("token", "a"));
    http = new VaultHttp(vault.baseUrl()).token(vault.rootToken());
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  @Test
  void failNextAnswersVaultShapedErrorsThenRecovers() {
    vault.faults().failNext(1, "GET", "/v1/secret/data/.*", 500);
    vault.faults().failNext(1, "PUT", "/v1/secret/data/.*", 503);
    VaultHttp.Reply failed = http.get(SCRIPT);
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.body()).isEqualTo("{\"errors\":[\"internal error\"]}");
    VaultHttp.Reply unavailable = http.send("PUT", SCRIPT, "{\"data\":{\"token\":\"b\"}}");
    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.json().get("errors").get(0).asText())
        .isEqualTo("no active Vault instance found");
    assertThat(vault.currentVersion("", "secret", "dynatrace/script1")).isEqualTo(1);
    assertThat(http.get(SCRIPT).status()).isEqualTo(200);
    assertThat(vault.journal().count(e -> e.injected())).isEqualTo(2);
  }

  @Test
  void answerNextSendsAnyStatusWithARawBody() {
    vault
        .faults()
        .answerNext(1, "GET", "/v1/secret/data/.*", 200, "text/html", "<html>Sign in</html>");
    vault.faults().answerNext(1, "GET", "/v1/secret/data/.*", 200, "application/json", "{}");

    VaultHttp.Reply page = http.get(SCRIPT);
    VaultHttp.Reply empty = http.get(SCRIPT);

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).isEqualTo("<html>Sign in</html>");
    assertThat(page.headers().allValues("Content-Type")).containsExactly("text/html");
    assertThat(empty.body()).isEqualTo("{}");
    assertThat(http.get(SCRIPT).json().at("/data/data/token").asText()).isEqualTo("a");
  }

  @Test
  void stallMakesTheClientTimeOutAndDropClosesTheConnection() {
    vault.faults().stallNext(1, "GET", "/v1/secret/data/.*", Duration.ofSeconds(2));
    VaultHttp impatient =
        new VaultHttp(vault.baseUrl()).token(vault.rootToken()).timeout(Duration.ofMillis(300));
    assertThatThrownBy(() -> impatient.sendOrThrow("GET", SCRIPT, null, null))
        .isInstanceOf(HttpTimeoutException.class);

    // A PUT, because java.net.http silently retries an idempotent GET once when a pooled connection
    // closes.
    vault.faults().dropNext(1, "PUT", "/v1/secret/data/.*");
    assertThatThrownBy(() -> http.sendOrThrow("PUT", SCRIPT, "{\"data\":{\"token\":\"b\"}}", null))
        .isInstanceOf(IOException.class);
    assertThat(vault.currentVersion("", "secret", "dynatrace/script1")).isEqualTo(1);
    assertThat(http.send("PUT", SCRIPT, "{\"data\":{\"token\":\"b\"}}").status()).isEqualTo(200);
    // The stalled GET is journaled only when its stall ends; the drop is there at once.
    assertThat(
            vault.journal().count(e -> e.injected() && e.status() == 0 && e.method().equals("PUT")))
        .isEqualTo(1);
  }

  @Test
  void journalRecordsTheAccessorNeverTheToken() {
    vault.putPolicy("", "reader", Map.of("secret/data/*", Set.of("read")));
    String token = vault.createToken("", Set.of("reader"), Duration.ofHours(1), false);
    VaultHttp client = new VaultHttp(vault.baseUrl()).token(token);
    String accessor = client.get("/v1/auth/token/lookup-self").json().at("/data/accessor").asText();
    assertThat(client.get(SCRIPT).status()).isEqualTo(200);
    assertThat(client.get("/v1/secret/data/other").status()).isEqualTo(404);
    http.get(SCRIPT);

    List<JournalEntry> entries = vault.journal().entries();
    assertThat(entries)
        .filteredOn(e -> e.path().equals(SCRIPT) && accessor.equals(e.principal()))
        .hasSize(1);
    assertThat(entries).filteredOn(e -> vault.rootTokenAccessor().equals(e.principal())).hasSize(1);
    assertThat(entries)
        .allSatisfy(
            e -> {
              assertThat(String.valueOf(e.principal()))
                  .isNotEqualTo(token)
                  .isNotEqualTo(vault.rootToken());
              assertThat(e.toString()).doesNotContain(token);
            });
    assertThat(new VaultHttp(vault.baseUrl()).get("/__sim/journal").body()).doesNotContain(token);
  }

  @Test
  void thousandConcurrentRequestsWithoutErrors() {
    String token = vault.rootToken();
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    Semaphore connections = new Semaphore(100);
    for (int i = 0; i < 1000; i++) {
      String path = "/v1/secret/data/load/key" + (i % 50);
      HttpRequest request =
          i % 2 == 0
              ? HttpRequest.newBuilder(URI.create(vault.baseUrl() + path))
                  .header("X-Vault-Token", token)
                  .PUT(HttpRequest.BodyPublishers.ofString("{\"data\":{\"n\":\"" + i + "\"}}"))
                  .build()
              : HttpRequest.newBuilder(
                      URI.create(vault.baseUrl() + "/v1/secret/data/dynatrace/script1"))
                  .header("X-Vault-Token", token)
                  .GET()
                  .build();
      // At most 100 at once: still far more concurrency than the simulator's locks need, and below
      // the JDK server's
      // 200 idle connections, past which it closes pooled connections the client may be reusing
      // ("received no
      // bytes": a client-side race under load, not a simulator error).
      connections.acquireUninterruptibly();
      inFlight.add(
          VaultHttp.CLIENT
              .sendAsync(request, HttpResponse.BodyHandlers.ofString())
              .whenComplete((response, error) -> connections.release()));
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
    assertThat(inFlight).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(200));
    long versions = 0;
    for (int k = 0; k < 50; k++) {
      versions += vault.currentVersion("", "secret", "load/key" + k);
    }
    assertThat(versions).isEqualTo(500); // every write got its own version: no lost update
    assertThat(vault.journal().count("*", ".*")).isEqualTo(1000);
  }

  /**
   * A subscriber to the request journal sees each request once, after it changed the state and
   * before its caller got the answer, and nothing after it unsubscribed.
   */
  @Test
  void aJournalSubscriberSeesEveryRequestWithItsEffectAlreadyInPlace() {
    List<String> seen = new CopyOnWriteArrayList<>();
    List<Optional<Map<String, String>>> stateWhenSeen = new CopyOnWriteArrayList<>();
    RequestJournal.Subscription subscription =
        vault
            .journal()
            .subscribe(
                (JournalEntry e) -> {
                  seen.add(e.method() + " " + e.path() + " " + e.status());
                  stateWhenSeen.add(vault.readKv("", "secret", "dynatrace/script1"));
                });

    http.send("POST", SCRIPT, "{\"data\":{\"token\":\"b\"}}");
    http.get(SCRIPT);
    subscription.close();
    http.send("POST", SCRIPT, "{\"data\":{\"token\":\"c\"}}");

    assertThat(seen).containsExactly("POST " + SCRIPT + " 200", "GET " + SCRIPT + " 200");
    assertThat(stateWhenSeen.get(0))
        .as("the write is in place when its entry is seen")
        .contains(Map.of("token", "b"));
    assertThat(vault.journal().size())
        .as("the journal itself still records everything")
        .isEqualTo(3);
  }
}
