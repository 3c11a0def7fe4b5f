package io.tokenrotation.operator.rotation;

import static io.tokenrotation.operator.testing.Fixtures.gracePeriod;
import static io.tokenrotation.operator.testing.Fixtures.interval;
import static io.tokenrotation.operator.testing.Fixtures.path;
import static io.tokenrotation.operator.testing.Fixtures.retire;
import static io.tokenrotation.operator.testing.Fixtures.rotateRequest;
import static io.tokenrotation.operator.testing.Fixtures.rotation;
import static io.tokenrotation.operator.testing.Fixtures.scopes;
import static io.tokenrotation.operator.testing.Fixtures.vaultTokenSecret;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.RotationState;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.status.Conditions;
import io.tokenrotation.operator.testing.ControllerHarness;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.dynatrace.IssuedToken;
import io.tokenrotation.sim.http.JournalEntry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The observed problems of issue 12, each driven through the controller on a simulated clock. */
class RotationControllerTest {
  private ControllerHarness world;

  @BeforeEach
  void seed() {
    world = new ControllerHarness().withRootTokenSecret();
    world.seedTenMinutesAgo();
  }

  @AfterEach
  void close() {
    world.close();
  }

  @Test
  void aRefusedCreateCostsOneAttemptPerRecheck() {
    world.apply(rotation("a", world, interval("1h")));
    world.settle();
    world.runFor(Duration.ofMinutes(49));
    world
        .dynatrace
        .faults()
        .failNext(
            -1,
            "POST",
            "/api/v2/apiTokens",
            403,
            "{\"error\":{\"code\":403,\"message\":\"Token is missing required scope\"}}",
            Map.of());
    world.clearJournals();
    world.runFor(Duration.ofMinutes(31));
    long creates = world.dynatrace.journal().count("POST", "/api/v2/apiTokens");
    assertThat(creates)
        .as("one create at the due time, then one per 5-minute recheck")
        .isBetween(6L, 7L);
    TokenRotationStatus st = world.get("a").getStatus();
    assertThat(st.getPendingRotation()).as("nothing was created, so nothing is pending").isNull();
    assertThat(Conditions.isTrue(st.getConditions(), Conditions.ROTATING)).isFalse();
    assertThat(Conditions.find(st.getConditions(), Conditions.STALLED).orElseThrow().getReason())
        .isEqualTo("DynatraceForbidden");
    assertThat(world.warnings("a"))
        .as("one Warning when it stalled; rechecks that confirm the stall add none")
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getReason()).isEqualTo("DynatraceForbidden");
              assertThat(e.getCount()).isEqualTo(1);
            });
  }

  /**
   * Issue 18: a token created before API 1.330 carries analyzers.read; cloning its scopes is
   * refused on every attempt. One create, a stall naming the scope and the fix, one create per
   * recheck, and the fix works.
   */
  @Test
  void aRetiredScopeOnTheCurrentTokenStallsWithScopeRetiredUntilTheScopesAreSet() {
    IssuedToken old =
        world.dynatrace.createToken(
            "analyzer", List.of("metrics.read", "analyzers.read"), "admin@example.com", null);
    world.vault.writeKv("", "secret", "dynatrace/analyzer", Map.of("token", old.token()));
    world.apply(rotation("a", world, path("dynatrace/analyzer"), interval("1h")));
    world.settle();
    assertThat(world.get("a").getStatus().getScopes())
        .as("adopted: lookup shows the retired scope")
        .contains("analyzers.read");
    world.clearJournals();

    world.edit("a", rotateRequest("r1"));
    world.settle();

    TokenRotationStatus st = world.get("a").getStatus();
    var stalled = Conditions.find(st.getConditions(), Conditions.STALLED).orElseThrow();
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo("ScopeRetired");
    assertThat(stalled.getMessage())
        .contains("analyzers.read", "spec.newToken.scopes", old.id())
        .doesNotContain(
            "removed from the API", "Constraints violated"); // no upstream text in status
    assertThat(st.getPendingRotation()).isNull();
    assertThat(world.dynatrace.journal().count("POST", "/api/v2/apiTokens"))
        .as("one attempt")
        .isEqualTo(1);
    world.runFor(Duration.ofMinutes(16));
    assertThat(world.dynatrace.journal().count("POST", "/api/v2/apiTokens"))
        .as("then one per 5-minute recheck")
        .isBetween(3L, 4L);
    assertThat(world.warnings("a")).extracting("reason").containsExactly("ScopeRetired");

    world.edit("a", scopes("metrics.read"));
    world.settle();

    st = world.get("a").getStatus();
    assertThat(st.getState()).isEqualTo(RotationState.HEALTHY);
    assertThat(st.getLastHandledRotateRequest()).isEqualTo("r1");
    assertThat(world.dynatrace.token(st.getTokenId()).orElseThrow().scopes())
        .containsExactly("metrics.read");
  }

  @Test
  void aRetiredScopeInSpecNewTokenScopesIsRejectedNamingTheScope() {
    world.apply(rotation("a", world, interval("1h"), scopes("ReadConfig", "analyzers.write")));
    world.settle();
    world.edit("a", rotateRequest("r1"));
    world.settle();

    var stalled =
        Conditions.find(world.get("a").getStatus().getConditions(), Conditions.STALLED)
            .orElseThrow();
    assertThat(stalled.getReason()).isEqualTo("DynatraceRejected");
    assertThat(stalled.getMessage())
        .contains("analyzers.write", "spec.newToken.scopes")
        .doesNotContain("ReadConfig");
  }

  @Test
  void aFailingAdoptedResourceDoesNotLookHealthyBetweenAttempts() {
    world.apply(rotation("a", world, interval("1h")));
    world.settle();
    world.runFor(Duration.ofMinutes(49));
    world.vault.seal();
    world.runFor(Duration.ofMinutes(20));

    TokenRotationStatus st = world.get("a").getStatus();
    assertThat(st.getState()).isEqualTo(RotationState.OVERDUE);
    assertThat(Conditions.find(st.getConditions(), Conditions.READY).orElseThrow().getReason())
        .as("the idle path must not overwrite the failure")
        .isEqualTo("RetryScheduled");
    assertThat(st.getFailedAttempts()).isGreaterThan(3);
  }

  @Test
  void aStallNoLongerPursuedIsForgottenAfterItsRecheck() {
    world.apply(rotation("a", world, interval("1h")));
    world.settle();
    world.dynatrace.faults().failNext(-1, "POST", "/api/v2/apiTokens", 403, "{}", Map.of());
    world.edit("a", rotateRequest("r1"));
    world.settle();
    assertThat(world.get("a").getStatus().getState()).isEqualTo(RotationState.STALLED);

    world.dynatrace.faults().clear();
    world.runFor(Duration.ofMinutes(6));

    TokenRotationStatus st = world.get("a").getStatus();
    assertThat(st.getLastHandledRotateRequest())
        .as("the recheck retried the request and it went through")
        .isEqualTo("r1");
    assertThat(st.getState()).isEqualTo(RotationState.HEALTHY);
    assertThat(st.getLastFailure()).isNull();
  }

  @Test
  void deletionLeavesADisabledTokenDisabled() {
    world.apply(rotation("a", world, interval("1h"), retire(RetireAction.DisableThenDelete, "0s")));
    world.settle();
    String original = world.get("a").getStatus().getTokenId();
    world.edit("a", rotateRequest("r1"));
    world.settle();
    assertThat(world.dynatrace.token(original).orElseThrow().enabled())
        .as("disabled at once (grace 0)")
        .isFalse();

    assertThat(world.delete("a")).isEmpty();

    assertThat(world.dynatrace.token(original))
        .as("still there, still disabled: re-enabling stays possible")
        .hasValueSatisfying(t -> assertThat(t.enabled()).isFalse());
  }

  @Test
  void aResourcesOwnMissingSecretIsReportedBeforeAConflict() {
    world.apply(rotation("older", world, interval("1h")));
    world.settle();
    world.clock.advance(Duration.ofSeconds(1));
    world.apply(rotation("younger", world, interval("1h"), vaultTokenSecret("missing", "token")));
    world.clearJournals();
    world.settle();

    TokenRotation younger = world.get("younger");
    assertThat(
            Conditions.find(younger.getStatus().getConditions(), Conditions.STALLED)
                .orElseThrow()
                .getReason())
        .isEqualTo("SecretRefNotFound");
    assertThat(world.upstreamCalls()).isZero();
  }

  @Test
  void aResourcesOwnProblemBesideAConflictKeepsItsBudget() {
    world.apply(rotation("older", world, interval("1h")));
    world.settle();
    world.clock.advance(Duration.ofSeconds(1));
    world.apply(
        rotation(
            "younger",
            world,
            interval("1h"),
            tr -> tr.getSpec().getDynatrace().setEnvironmentUrl("http://127.0.0.1:1")));
    world.clearJournals();
    int writes = world.writes().size();
    world.runFor(Duration.ofMinutes(30));

    assertThat(
            Conditions.find(world.get("younger").getStatus().getConditions(), Conditions.STALLED)
                .orElseThrow()
                .getReason())
        .isEqualTo("EndpointNotAllowed");
    assertThat(world.upstreamCalls()).isZero();
    // Each recorded stall used to wake a reconcile whose Conflict gate found and recorded it again:
    // a write loop.
    // (one per 5-minute recheck at most, not one per reconcile).
    assertThat(world.writes().size() - writes)
        .as("status writes in 30 minutes")
        .isLessThanOrEqualTo(7);
  }

  @Test
  void aConflictIsRecordedOnceAndCostsNoCalls() {
    world.apply(rotation("older", world, interval("1h")));
    world.settle();
    world.clock.advance(Duration.ofSeconds(1));
    world.apply(rotation("younger", world, interval("1h")));
    world.clearJournals();
    int writes = world.writes().size();
    world.runFor(Duration.ofMinutes(30));

    TokenRotation younger = world.get("younger");
    assertThat(
            Conditions.find(younger.getStatus().getConditions(), Conditions.STALLED)
                .orElseThrow()
                .getReason())
        .isEqualTo("Conflict");
    assertThat(world.upstreamCalls()).isZero();
    assertThat(world.writes().size() - writes)
        .as("one write for the Conflict, none for the rechecks")
        .isEqualTo(1);
  }

  @Test
  void aTokenReplacedOutsideIsAdoptedAtTheNextDriftCheck() {
    world.close();
    world = new ControllerHarness(Backoff.DEFAULT, Duration.ofMinutes(15)).withRootTokenSecret();
    world.seedTenMinutesAgo();
    world.apply(rotation("a", world, interval("1d")));
    world.settle();
    String before = world.get("a").getStatus().getTokenId();
    // What the seed's own script does: a new token into Vault, the old one deleted.
    IssuedToken replacement =
        world.dynatrace.createToken(
            "automation_script1", SeedState.SCRIPT_SCOPES, SeedState.OWNER, null);
    world.vault.writeKv(
        "", "secret", "dynatrace/automation_script1", Map.of("token", replacement.token()));
    world.clearJournals();

    world.runFor(Duration.ofMinutes(16));

    TokenRotationStatus st = world.get("a").getStatus();
    assertThat(st.getTokenId())
        .isNotEqualTo(before)
        .isEqualTo(replacement.token().substring(0, 31));
    assertThat(world.vault.journal().size()).as("one read per check").isLessThanOrEqualTo(3);
    assertThat(st.getState()).isEqualTo(RotationState.HEALTHY);
  }

  @Test
  void aSecretDeletedFromVaultCostsOneReadPerRecheckAndCreatesNoTokenBlind() throws Exception {
    world.apply(rotation("a", world, interval("1h")));
    world.settle();
    HttpResponse<String> deleted =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            world.vault.baseUrl()
                                + "/v1/secret/metadata/dynatrace/automation_script1"))
                    .header("X-Vault-Token", world.vault.rootToken())
                    .DELETE()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(deleted.statusCode()).isEqualTo(204);
    world.runFor(Duration.ofMinutes(49)); // due a minute later
    world.clearJournals();

    world.runFor(Duration.ofMinutes(31));

    assertThat(Conditions.find(world.get("a").getStatus().getConditions(), Conditions.STALLED))
        .get()
        .extracting(c -> c.getReason())
        .isEqualTo("SecretNotFound");
    assertThat(world.dynatrace.journal().count("POST", "/api/v2/apiTokens"))
        .as("at most the one blind create of the first attempt (undone at once); then reads only")
        .isLessThanOrEqualTo(1);
    assertThat(world.vault.journal().count("GET", "/v1/secret/data/dynatrace/automation_script1"))
        .as("one read at the failure and one per 5-minute recheck")
        .isBetween(6L, 8L);
  }

  @Test
  void aRetirementInsideTheRotationThatFailsIsRetriedOneBackoffStepLater() {
    world.apply(rotation("a", world, interval("1h"), gracePeriod("0s")));
    world.settle();
    String old = world.get("a").getStatus().getTokenId();
    world.runFor(Duration.ofMinutes(49));
    world.dynatrace.faults().failNext(1, "DELETE", "/api/v2/apiTokens/.*", 503, "{}", Map.of());
    world.clearJournals();

    world.runFor(Duration.ofMinutes(2)); // due: rotates; the retirement inside it gets a 503

    assertThat(world.get("a").getStatus().getTokenId()).isNotEqualTo(old);
    List<JournalEntry> deletes =
        world.dynatrace.journal().entries().stream()
            .filter(e -> e.matches("DELETE", "/api/v2/apiTokens/.*"))
            .toList();
    assertThat(deletes).extracting(JournalEntry::status).containsExactly(503, 204);
    assertThat(Duration.between(deletes.get(0).time(), deletes.get(1).time()))
        .as("the RETIRE step waits the first backoff step (5 s less jitter), not a moment")
        .isBetween(Duration.ofSeconds(4), Duration.ofSeconds(6));
    assertThat(world.dynatrace.token(old)).isEmpty();
    assertThat(world.get("a").getStatus().getRetiredTokens()).isNull();
  }

  @Test
  void withoutTheDriftCheckAnIdleResourceCostsNothing() {
    world.apply(rotation("a", world, interval("1d")));
    world.settle();
    world.clearJournals();

    world.runFor(Duration.ofHours(12));

    assertThat(world.upstreamCalls()).isZero();
  }

  @Test
  void aRotationDueAfterAnOutsideWriteAdoptsInsteadOfRetiringTheWrongToken() {
    world.apply(rotation("a", world, interval("1h")));
    world.settle();
    String before = world.get("a").getStatus().getTokenId();
    IssuedToken replacement =
        world.dynatrace.createToken(
            "automation_script1", SeedState.SCRIPT_SCOPES, SeedState.OWNER, null);
    world.vault.writeKv(
        "", "secret", "dynatrace/automation_script1", Map.of("token", replacement.token()));

    world.runFor(Duration.ofMinutes(50)); // the adopted token's rotation falls due

    TokenRotationStatus st = world.get("a").getStatus();
    assertThat(st.getTokenId())
        .as("the token written outside is adopted, not replaced at once")
        .isEqualTo(replacement.token().substring(0, 31));
    assertThat(world.dynatrace.token(before))
        .as("not ours to retire: someone else replaced it")
        .isPresent();
    assertThat(st.getState()).isEqualTo(RotationState.HEALTHY);
    assertThat(world.warnings("a")).isEmpty();
  }

  @Test
  void aStatusFromBeforeTheStructuredSecretReferenceKeepsItsTokenAndGainsTheReferenceOnce() {
    world.apply(rotation("a", world, interval("1h")));
    world.settle();
    TokenRotationStatus healthy = world.get("a").getStatus();
    assertThat(healthy.getVaultSecretRef()).as("written by this version").isNotNull();
    // As the previous version left it: the display string alone names the secret field.
    world.rewriteStatus("a", st -> st.setVaultSecretRef(null));
    world.clearJournals();
    int writesBefore = world.writes().size();

    world.restart();
    world.settle();

    TokenRotationStatus upgraded = world.get("a").getStatus();
    assertThat(upgraded.getTokenId()).as("no adoption").isEqualTo(healthy.getTokenId());
    assertThat(upgraded.getVaultSecretRef()).isEqualTo(healthy.getVaultSecretRef());
    assertThat(world.upstreamCalls()).as("no Vault or Dynatrace call").isZero();
    assertThat(world.writes().size() - writesBefore).as("one status write").isEqualTo(1);

    world.clearJournals();
    world.runFor(Duration.ofMinutes(5));
    assertThat(world.writes().size() - writesBefore).as("and not again").isEqualTo(1);
  }
}
