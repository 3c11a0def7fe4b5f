package io.tokenrotation.operator.it;

import static io.tokenrotation.operator.it.CleanupPolicies.apply;
import static io.tokenrotation.operator.it.CleanupPolicies.awaitRun;
import static io.tokenrotation.operator.it.CleanupPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tokenrotation.operator.api.CleanupAction;
import io.tokenrotation.operator.api.CleanupCandidate;
import io.tokenrotation.operator.api.CleanupCandidate.Outcome;
import io.tokenrotation.operator.api.CleanupExclude;
import io.tokenrotation.operator.api.PendingRotation;
import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.TokenCleanupPolicy;
import io.tokenrotation.operator.api.TokenCleanupPolicySpec;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.reliability.SecretScanner;
import io.tokenrotation.operator.status.Conditions;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.dynatrace.IssuedToken;
import io.tokenrotation.sim.dynatrace.TokenView;
import io.tokenrotation.sim.http.JournalEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TokenCleanupPolicy end to end: the operator against the Dynatrace and Vault simulators, seeded
 * with tokens of a known history. What users see is asserted: the status, the events, and which
 * tokens Dynatrace still has.
 */
@ExtendWith(TestWorlds.class)
@TestWorlds.OperatorStartedByTest
class TokenCleanupPolicyIT {
  private static final String LEAVER = "jane.doe@example.com";
  private TestWorld world;

  @BeforeEach
  void world(TestWorld world) {
    this.world = world;
  }

  /**
   * A token with a history: created {@code createdDaysAgo}, last used {@code usedDaysAgo} (null =
   * never).
   */
  private String seed(String name, String owner, double createdDaysAgo, Integer usedDaysAgo) {
    Instant now = world.dynatraceClock.instant();
    return world
        .dynatrace
        .createToken(
            name,
            List.of("ReadConfig"),
            owner,
            null,
            daysBefore(now, createdDaysAgo),
            usedDaysAgo == null ? null : daysBefore(now, usedDaysAgo))
        .id();
  }

  private static Instant daysBefore(Instant now, double days) {
    return now.minusSeconds((long) (days * 86_400));
  }

  /** What the tokens look like to a user of Dynatrace: id -> enabled. */
  private Map<String, Boolean> dynatraceTokens() {
    return world.dynatrace.tokens().stream()
        .collect(Collectors.toMap(TokenView::id, TokenView::enabled));
  }

  private long dynatraceWrites() {
    return world
        .dynatrace
        .journal()
        .count(
            e ->
                e.method().equals("PUT")
                    || e.method().equals("DELETE")
                    || (e.method().equals("POST") && e.path().equals("/api/v2/apiTokens")));
  }

  private List<String> succeeded(String method) {
    return world.dynatrace.journal().entries().stream()
        .filter(e -> e.method().equals(method) && e.status() == 204)
        .map(e -> e.path().substring(e.path().lastIndexOf('/') + 1))
        .toList();
  }

  private List<Event> events(String name, String reason) {
    return world.events(name).stream().filter(e -> reason.equals(e.getReason())).toList();
  }

  // ---------------------------------------------------------------- dry run

  @Test
  void aDryRunListsExactlyTheStaleTokensAndChangesNothing() {
    String neverUsed = seed("legacy-export", SeedState.OWNER, 120, null);
    String usedLongAgo = seed("jane-dashboard-sync", LEAVER, 400, 200);
    seed("ci-pipeline", SeedState.OWNER, 300, 1);
    seed("new-integration", SeedState.OWNER, 10, null);
    world.startOperator();
    Map<String, Boolean> before = dynatraceTokens();

    apply(world, policy(world, "stale", s -> s.getSelector().setUnusedFor("90d")));

    TokenCleanupPolicy p = awaitRun(world, "stale");
    assertThat(p.getStatus().getMatched()).isEqualTo(2);
    assertThat(p.getStatus().getActed()).isZero();
    assertThat(p.getStatus().getCandidates())
        .extracting(
            CleanupCandidate::getId,
            CleanupCandidate::getName,
            CleanupCandidate::getOwner,
            CleanupCandidate::getReason,
            CleanupCandidate::getOutcome)
        .containsExactly(
            Tuple.tuple(
                usedLongAgo, "jane-dashboard-sync", LEAVER, "last used 200d ago", Outcome.Reported),
            Tuple.tuple(
                neverUsed,
                "legacy-export",
                SeedState.OWNER,
                "never used, created 120d ago",
                Outcome.Reported));
    assertThat(p.getStatus().getCandidates().get(0).getLastUsedDate()).isNotNull();
    assertThat(p.getStatus().getCandidates().get(1).getLastUsedDate()).as("never used").isNull();
    assertThat(p.getStatus().getNextRunTime()).isNotNull();
    Conditions.find(p.getStatus().getConditions(), Conditions.READY)
        .ifPresentOrElse(
            ready -> {
              assertThat(ready.getReason()).isEqualTo(Reasons.REPORTED);
              assertThat(ready.getMessage())
                  .contains("2 token(s) match", "action Report changes nothing");
            },
            () -> {
              throw new AssertionError("no Ready condition");
            });
    assertThat(dynatraceTokens()).as("no token deleted or disabled").isEqualTo(before);
    assertThat(dynatraceWrites()).as("a dry run writes nothing to Dynatrace").isZero();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !events("stale", Reasons.CLEANUP_REPORT).isEmpty());
    assertThat(events("stale", Reasons.CLEANUP_REPORT).get(0).getMessage())
        .contains(usedLongAgo, "jane-dashboard-sync", neverUsed, "legacy-export");
  }

  // ---------------------------------------------------------------- Disable, Delete

  @Test
  void disableActsOnlyOnMatchesAndLeavesDisabledOnesAlone() {
    String stale = seed("old-script", SeedState.OWNER, 200, 150);
    String alreadyDisabled = seed("old-report", SeedState.OWNER, 300, null);
    String recent = seed("busy-script", SeedState.OWNER, 300, 2);
    IssuedToken admin =
        world.dynatrace.createToken("admin", SeedState.MASTER_SCOPES, SeedState.OWNER, null);
    assertThat(
            world.dynatraceApi(
                "PUT",
                "/api/v2/apiTokens/" + alreadyDisabled,
                admin.token(),
                "{\"enabled\":false}"))
        .isEqualTo(204);
    world.startOperator();
    world.clearJournals();

    apply(
        world,
        policy(
            world,
            "disable-stale",
            s -> {
              s.getSelector().setUnusedFor("90d");
              s.setAction(CleanupAction.Disable);
            }));

    TokenCleanupPolicy p = awaitRun(world, "disable-stale");
    assertThat(p.getStatus().getMatched()).isEqualTo(1);
    assertThat(p.getStatus().getActed()).isEqualTo(1);
    assertThat(p.getStatus().getCandidates())
        .extracting(CleanupCandidate::getId, CleanupCandidate::getOutcome)
        .containsExactly(Tuple.tuple(stale, Outcome.Disabled));
    assertThat(world.dynatrace.token(stale).orElseThrow().enabled()).isFalse();
    assertThat(world.dynatrace.token(recent).orElseThrow().enabled()).isTrue();
    assertThat(succeeded("PUT"))
        .as("one PUT, to the match; none to the token already disabled")
        .containsExactly(stale);
    assertThat(succeeded("DELETE")).isEmpty();
    assertThat(world.dynatrace.tokens()).hasSize(SeedState.SCRIPT_PATHS.size() + 5);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !events("disable-stale", Reasons.TOKEN_DISABLED).isEmpty());
    assertThat(events("disable-stale", Reasons.TOKEN_DISABLED))
        .singleElement()
        .satisfies(
            e -> assertThat(e.getMessage()).contains(stale, "old-script", "last used 150d ago"));
  }

  @Test
  void deleteRemovesTheTokensOfSomeoneWhoLeftAndNoOtherToken() {
    String leaverStale = seed("jane-export", LEAVER, 400, 200);
    String leaverActive = seed("jane-sync", LEAVER, 30, 1);
    String othersStale = seed("team-export", SeedState.OWNER, 400, 200);
    world.startOperator();
    world.clearJournals();
    Map<String, Boolean> before = dynatraceTokens();

    apply(
        world,
        policy(
            world,
            "leaver",
            s -> {
              s.getSelector().setOwners(List.of(LEAVER));
              s.setAction(CleanupAction.Delete);
            }));

    TokenCleanupPolicy p = awaitRun(world, "leaver");
    assertThat(p.getStatus().getMatched()).isEqualTo(2);
    assertThat(p.getStatus().getActed()).isEqualTo(2);
    assertThat(p.getStatus().getCandidates())
        .extracting(CleanupCandidate::getId, CleanupCandidate::getOutcome)
        .containsExactly(
            Tuple.tuple(leaverStale, Outcome.Deleted), Tuple.tuple(leaverActive, Outcome.Deleted));
    assertThat(succeeded("DELETE")).containsExactlyInAnyOrder(leaverStale, leaverActive);
    Map<String, Boolean> expected = new HashMap<>(before);
    expected.remove(leaverStale);
    expected.remove(leaverActive);
    assertThat(dynatraceTokens()).isEqualTo(expected).containsKey(othersStale);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> events("leaver", Reasons.TOKEN_DELETED).size() == 2);
  }

  // ---------------------------------------------------------------- protected tokens

  @Test
  void protectedTokensAreNeverTouchedWhateverTheSelectorSays() {
    SecretScanner scanner = new SecretScanner().start();
    try {
      // a real rotation: its current token and the replaced one (not retired yet: one hour of
      // grace)
      world.startOperator();
      TokenRotation script1 =
          Resources.rotation(world, "script1", "dynatrace/automation_script1", "1h");
      script1.getSpec().getOldToken().setGracePeriod("1h");
      world.apply(script1);
      TokenRotation rotated =
          world.await(
              "script1",
              "rotated, old token waiting",
              tr ->
                  tr.getStatus() != null
                      && tr.getStatus().getRetiredTokens() != null
                      && !tr.getStatus().getRetiredTokens().isEmpty());
      String current = rotated.getStatus().getTokenId();
      String replaced = rotated.getStatus().getRetiredTokens().get(0).getId();

      // a rotation caught mid-way (its spec is invalid, so the operator leaves its status as it
      // is): current,
      // pending old and new, a replaced token, and a same-named successor created since it started
      String stuckCurrent = seed("stuck", SeedState.OWNER, 30, 1);
      String stuckNew = seed("stuck", SeedState.OWNER, 0.2, null);
      String stuckRetired = seed("stuck-previous", SeedState.OWNER, 60, 40);
      String inFlight = seed("stuck", SeedState.OWNER, 0.1, null);
      TokenRotation stuck = Resources.rotation(world, "stuck", "dynatrace/stuck", "30s");
      world.apply(stuck);
      world.awaitStalled("stuck", Reasons.INVALID_SPEC);
      world
          .client
          .resources(TokenRotation.class)
          .inNamespace(TestWorld.NAMESPACE)
          .withName("stuck")
          .editStatus(
              tr -> {
                tr.getStatus().setTokenId(stuckCurrent);
                PendingRotation pending = new PendingRotation();
                pending.startedAt(world.dynatraceClock.instant().minus(Duration.ofHours(5)));
                pending.setOldTokenId(stuckCurrent);
                pending.setNewTokenId(stuckNew);
                pending.setTokenName("stuck");
                tr.getStatus().setPendingRotation(pending);
                RetiredToken retired = new RetiredToken();
                retired.setId(stuckRetired);
                retired.setAction(RetireAction.Delete);
                retired.dueAt(world.dynatraceClock.instant().plus(Duration.ofDays(1)));
                tr.getStatus().setRetiredTokens(List.of(retired));
                return tr;
              });

      // the policy's own management token (from a Secret), an excluded id, an excluded name, a
      // token too young
      IssuedToken cleanupManagement =
          world.dynatrace.createToken(
              "cleanup-management",
              SeedState.MASTER_SCOPES,
              SeedState.OWNER,
              null,
              world.dynatraceClock.instant().minus(Duration.ofDays(10)),
              null);
      world.secret("dt-cleanup", Map.of("token", cleanupManagement.token()));
      String master = world.seeded.get("secret/" + SeedState.MASTER_PATH);
      String breakGlass = seed("break-glass", SeedState.OWNER, 500, null);
      String young = seed("just-created", SeedState.OWNER, 0.01, null);
      // and what may go: the second seeded script (no TokenRotation) and an orphan
      String unprotectedScript = world.seeded.get("secret/dynatrace/automation_script2");
      String orphan = seed("orphan", SeedState.OWNER, 30, null);
      // (the current token of script1 was created a moment ago: too young to match at all, so not
      // counted)
      List<String> protectedIds =
          List.of(
              replaced,
              stuckCurrent,
              stuckNew,
              stuckRetired,
              inFlight,
              cleanupManagement.id(),
              master,
              breakGlass);
      world.clearJournals();

      apply(
          world,
          policy(
              world,
              "everything-of-admin",
              s -> {
                s.getSelector().setOwners(List.of(SeedState.OWNER));
                s.setAction(CleanupAction.Delete);
                s.setMaxPerRun(50);
                CleanupPolicies.managementTokenFromSecret(s, "dt-cleanup", "token");
                CleanupExclude exclude = new CleanupExclude();
                exclude.setIds(
                    List.of(
                        master)); // the TokenRotations' management token: the policy cannot know it
                exclude.setNames(List.of("break-glass"));
                s.setExclude(exclude);
              }));

      TokenCleanupPolicy p = awaitRun(world, "everything-of-admin");
      assertThat(succeeded("DELETE")).containsExactlyInAnyOrder(unprotectedScript, orphan);
      assertThat(succeeded("PUT")).isEmpty();
      assertThat(p.getStatus().getActed()).isEqualTo(2);
      assertThat(p.getStatus().getProtectedMatches()).isEqualTo(protectedIds.size());
      assertThat(dynatraceTokens())
          .containsKeys(protectedIds.toArray(String[]::new))
          .containsKeys(current, young);
      assertThat(protectedIds).allMatch(id -> world.dynatrace.token(id).orElseThrow().enabled());
      assertThat(world.dynatrace.authenticates(world.vaultToken("dynatrace/automation_script1")))
          .as("the rotated token in Vault still works")
          .isTrue();

      List<String> texts = new ArrayList<>();
      world
          .client
          .v1()
          .events()
          .inNamespace(TestWorld.NAMESPACE)
          .list()
          .getItems()
          .forEach(e -> texts.add(e.getMessage()));
      texts.add(Serialization.asYaml(CleanupPolicies.get(world, "everything-of-admin")));
      assertThat(
              scanner.leaks(
                  texts,
                  List.of(
                      cleanupManagement.token(),
                      world.vaultToken(SeedState.MASTER_PATH),
                      world.vault.rootToken())))
          .as("secrets in logs, events or status")
          .isEmpty();
    } finally {
      scanner.stop();
    }
  }

  // ---------------------------------------------------------------- blast radius

  private List<String> staleTokens(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(seed("stale-" + i, SeedState.OWNER, 400, 300 - i)); // stale-0 is the stalest
    }
    return ids;
  }

  @Test
  void maxPerRunHoldsAndTheRestWaitsForTheNextRun() {
    List<String> stale = staleTokens(5);
    world.startOperator();
    world.clearJournals();

    apply(
        world,
        policy(
            world,
            "limited",
            s -> {
              s.getSelector().setUnusedFor("90d");
              s.setAction(CleanupAction.Delete);
              s.setMaxPerRun(2);
            }));

    TokenCleanupPolicy p = awaitRun(world, "limited");
    assertThat(p.getStatus().getMatched()).isEqualTo(5);
    assertThat(p.getStatus().getActed()).isEqualTo(2);
    assertThat(p.getStatus().getCandidates())
        .extracting(CleanupCandidate::getOutcome)
        .containsExactly(
            Outcome.Deleted, Outcome.Deleted, Outcome.Deferred, Outcome.Deferred, Outcome.Deferred);
    assertThat(succeeded("DELETE"))
        .as("the stalest two")
        .containsExactlyInAnyOrderElementsOf(stale.subList(0, 2));
    assertThat(
            Conditions.find(p.getStatus().getConditions(), Conditions.READY)
                .orElseThrow()
                .getMessage())
        .contains("deleted 2 token(s); 5 matched", "maxPerRun 2");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !events("limited", Reasons.CLEANUP_LIMITED).isEmpty());

    // a spec change runs at once (no need to wait for the interval): the next batch
    CleanupPolicies.edit(world, "limited", s -> s.setMaxPerRun(10));
    p = awaitRun(world, "limited");
    assertThat(p.getStatus().getMatched()).isEqualTo(3);
    assertThat(p.getStatus().getActed()).isEqualTo(3);
    assertThat(succeeded("DELETE")).containsExactlyInAnyOrderElementsOf(stale);
  }

  @Test
  void aRunThatFailsHalfWayKeepsWhatItDidAndItsRetryStaysWithinMaxPerRun() {
    List<String> stale = staleTokens(4);
    world.startOperator();
    world.clearJournals();
    world.dynatrace.faults().failNext(1, "DELETE", "/api/v2/apiTokens/" + stale.get(1), 503);

    apply(
        world,
        policy(
            world,
            "flaky",
            s -> {
              s.getSelector().setUnusedFor("90d");
              s.setAction(CleanupAction.Delete);
              s.setMaxPerRun(3);
            }));

    TokenCleanupPolicy p = awaitRun(world, "flaky");
    assertThat(succeeded("DELETE"))
        .as("one before the failure, two in the retry: three in all")
        .containsExactlyInAnyOrderElementsOf(stale.subList(0, 3));
    assertThat(world.dynatrace.token(stale.get(3))).as("over maxPerRun").isPresent();
    assertThat(p.getStatus().getActed()).isEqualTo(3);
    assertThat(p.getStatus().getMatched()).as("listed by the retry").isEqualTo(3);
    assertThat(p.getStatus().getActedInUnfinishedRun()).isNull();
    assertThat(p.getStatus().getFailedAttempts()).isNull();
    assertThat(
            Conditions.find(p.getStatus().getConditions(), Conditions.READY)
                .orElseThrow()
                .getMessage())
        .contains("deleted 3 token(s); 3 matched, 1 wait for later runs (maxPerRun 3)");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !events("flaky", Reasons.DYNATRACE_UNAVAILABLE).isEmpty());
    assertThat(events("flaky", Reasons.DYNATRACE_UNAVAILABLE).get(0).getMessage())
        .contains("run failed after deleting 1 token(s)");
  }

  // ---------------------------------------------------------------- paging

  @Test
  void findsTheStaleTokensBehindTheFirstPage() {
    List<String> stale =
        List.of(
            seed("forgotten-1", SeedState.OWNER, 200, null),
            seed("forgotten-2", SeedState.OWNER, 300, 150));
    for (int i = 0; i < 1_050; i++) {
      world.dynatrace.createToken("busy-" + i, List.of("ReadConfig"), SeedState.OWNER, null);
    }
    world.startOperator();
    world.clearJournals();

    apply(world, policy(world, "paged", s -> s.getSelector().setUnusedFor("90d")));

    TokenCleanupPolicy p = awaitRun(world, "paged");
    assertThat(p.getStatus().getCandidates())
        .extracting(CleanupCandidate::getId)
        .containsExactlyInAnyOrderElementsOf(stale);
    List<JournalEntry> lists =
        world.dynatrace.journal().entries().stream()
            .filter(e -> e.matches("GET", "/api/v2/apiTokens"))
            .toList();
    assertThat(lists).as("two pages").hasSize(2);
    assertThat(lists.get(1).query()).startsWith("nextPageKey=");
  }

  // ---------------------------------------------------------------- bad input

  static Stream<Arguments> invalidSpecs() {
    String pastedToken =
        "dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    return Stream.of(
        Arguments.of(
            "an empty selector",
            (Consumer<TokenCleanupPolicySpec>) s -> {},
            "an empty selector would match every token"),
        Arguments.of(
            "a name pattern RE2 refuses",
            (Consumer<TokenCleanupPolicySpec>) s -> s.getSelector().setNamePattern("ci-(?!keep).*"),
            "spec.selector.namePattern"),
        Arguments.of(
            "a management token in Vault without spec.vault",
            (Consumer<TokenCleanupPolicySpec>)
                s -> {
                  s.getSelector().setUnusedFor("90d");
                  s.setVault(null);
                },
            "spec.vault: required"),
        Arguments.of(
            "a full token in exclude.ids",
            (Consumer<TokenCleanupPolicySpec>)
                s -> {
                  s.getSelector().setUnusedFor("90d");
                  CleanupExclude exclude = new CleanupExclude();
                  exclude.setIds(List.of(pastedToken));
                  s.setExclude(exclude);
                },
            "spec.exclude.ids[0]: looks like a full token"),
        Arguments.of(
            "unusedFor of an hour",
            (Consumer<TokenCleanupPolicySpec>) s -> s.getSelector().setUnusedFor("1h"),
            "shorter than the minimum 1d"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void aBadSpecStallsWithInvalidSpecAndNoUpstreamCall(
      String what, Consumer<TokenCleanupPolicySpec> breakIt, String problem) {
    world.startOperator();
    world.clearJournals();

    apply(world, policy(world, "bad", breakIt));

    TokenCleanupPolicy p = CleanupPolicies.awaitStalled(world, "bad", Reasons.INVALID_SPEC);
    assertThat(CleanupPolicies.condition(p, Conditions.STALLED).orElseThrow().getMessage())
        .contains(problem);
    assertThat(CleanupPolicies.condition(p, Conditions.READY).orElseThrow().getStatus())
        .isEqualTo("False");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !events("bad", Reasons.INVALID_SPEC).isEmpty());
    assertThat(world.upstreamCalls()).as("no call to Vault or Dynatrace").isZero();
    assertThat(Serialization.asYaml(p.getStatus()))
        .doesNotContainPattern(SecretScanner.DYNATRACE_SECRET);
    assertThat(events("bad", Reasons.INVALID_SPEC).get(0).getMessage())
        .doesNotContainPattern(SecretScanner.DYNATRACE_SECRET);
  }

  @Test
  void aMissingManagementSecretStallsBeforeAnyUpstreamCall() {
    world.startOperator();
    world.clearJournals();

    apply(
        world,
        policy(
            world,
            "no-secret",
            s -> {
              s.getSelector().setUnusedFor("90d");
              CleanupPolicies.managementTokenFromSecret(s, "absent", "token");
            }));

    CleanupPolicies.awaitStalled(world, "no-secret", Reasons.SECRET_REF_NOT_FOUND);
    assertThat(world.upstreamCalls()).isZero();
  }

  @Test
  void aReadOnlyManagementTokenReportsButCannotDelete() {
    String stale = seed("old", SeedState.OWNER, 200, null);
    IssuedToken readOnly =
        world.dynatrace.createToken("read-only", List.of("apiTokens.read"), SeedState.OWNER, null);
    world.secret("dt-read-only", Map.of("token", readOnly.token()));
    world.startOperator();

    apply(
        world,
        policy(
            world,
            "report",
            s -> {
              s.getSelector().setUnusedFor("90d");
              CleanupPolicies.managementTokenFromSecret(s, "dt-read-only", "token");
            }));
    assertThat(awaitRun(world, "report").getStatus().getMatched()).isEqualTo(1);

    apply(
        world,
        policy(
            world,
            "delete",
            s -> {
              s.getSelector().setUnusedFor("90d");
              s.setAction(CleanupAction.Delete);
              CleanupPolicies.managementTokenFromSecret(s, "dt-read-only", "token");
            }));
    TokenCleanupPolicy p =
        CleanupPolicies.awaitStalled(world, "delete", Reasons.DYNATRACE_FORBIDDEN);
    assertThat(CleanupPolicies.condition(p, Conditions.STALLED).orElseThrow().getMessage())
        .startsWith("run stopped: ")
        .contains("apiTokens.write");
    assertThat(world.dynatrace.token(stale)).isPresent();
  }
}
