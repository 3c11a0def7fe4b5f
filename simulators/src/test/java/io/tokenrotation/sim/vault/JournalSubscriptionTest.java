package io.tokenrotation.sim.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.sim.http.JournalEntry;
import io.tokenrotation.sim.http.RequestJournal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A subscriber to the request journal sees each request once, after it changed the state and before
 * its caller got the answer, and nothing after it unsubscribed.
 */
class JournalSubscriptionTest {
  private static final String KEY = "/v1/secret/data/app/db";
  private VaultSimulator vault;
  private VaultHttp http;

  @BeforeEach
  void start() {
    vault = VaultSimulator.start(0);
    http = new VaultHttp(vault.baseUrl()).token(vault.rootToken());
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  @Test
  void aSubscriberSeesEveryRequestWithItsEffectAlreadyInPlace() {
    List<String> seen = new CopyOnWriteArrayList<>();
    List<Optional<Map<String, String>>> stateWhenSeen = new CopyOnWriteArrayList<>();
    RequestJournal.Subscription subscription =
        vault
            .journal()
            .subscribe(
                (JournalEntry e) -> {
                  seen.add(e.method() + " " + e.path() + " " + e.status());
                  stateWhenSeen.add(vault.readKv("", "secret", "app/db"));
                });

    http.send("POST", KEY, "{\"data\":{\"token\":\"a\"}}");
    http.get(KEY);
    subscription.close();
    http.send("POST", KEY, "{\"data\":{\"token\":\"b\"}}");

    assertThat(seen).containsExactly("POST " + KEY + " 200", "GET " + KEY + " 200");
    assertThat(stateWhenSeen.get(0)).contains(Map.of("token", "a"));
    assertThat(vault.journal().size())
        .as("the journal itself still records everything")
        .isEqualTo(3);
  }
}
