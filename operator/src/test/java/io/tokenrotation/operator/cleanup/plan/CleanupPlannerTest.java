package io.tokenrotation.operator.cleanup.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.api.CleanupAction;
import io.tokenrotation.operator.api.CleanupExclude;
import io.tokenrotation.operator.api.LastFailure;
import io.tokenrotation.operator.api.TokenCleanupPolicySpec;
import io.tokenrotation.operator.api.TokenCleanupPolicyStatus;
import io.tokenrotation.operator.cleanup.plan.CleanupPlanner.InFlight;
import io.tokenrotation.operator.cleanup.plan.CleanupPlanner.Match;
import io.tokenrotation.operator.cleanup.plan.CleanupPlanner.Plan;
import io.tokenrotation.operator.cleanup.plan.CleanupPlanner.Protection;
import io.tokenrotation.operator.cleanup.plan.CleanupPlanner.Schedule;
import io.tokenrotation.operator.dynatrace.ApiToken;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CleanupPlannerTest {
  private static final Instant NOW = Instant.parse("2025-03-10T12:00:00Z");
  private static final Protection NOTHING_PROTECTED =
      new Protection(Set.of(), List.of(), "dt0c01.MANAGEMENT");

  private static Instant daysAgo(long days) {
    return NOW.minus(Duration.ofDays(days));
  }

  /** A token: enabled, owned by ops, scope ReadConfig; dates may be null. */
  private static ApiToken token(
      String id, String name, String owner, Instant created, Instant lastUsed) {
    return new ApiToken(
        id, name, true, owner, List.of("ReadConfig"), created, null, lastUsed, null, false);
  }

  private static ApiToken token(String id, Instant created, Instant lastUsed) {
    return token(id, id.toLowerCase(), "ops@example.com", created, lastUsed);
  }

  private static EffectiveCleanupSpec spec(Consumer<TokenCleanupPolicySpec> mutation) {
    TokenCleanupPolicySpec spec = CleanupSpecs.minimal();
    mutation.accept(spec);
    return EffectiveCleanupSpec.of(spec);
  }

  // ---------------------------------------------------------------- which tokens match

  record MatchCase(
      String name, Consumer<TokenCleanupPolicySpec> spec, ApiToken token, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static MatchCase matches(
      String name, Consumer<TokenCleanupPolicySpec> spec, ApiToken token, String reason) {
    return new MatchCase(name, spec, token, reason);
  }

  static MatchCase noMatch(String name, Consumer<TokenCleanupPolicySpec> spec, ApiToken token) {
    return new MatchCase(name, spec, token, null);
  }

  static Stream<MatchCase> matchCases() {
    Consumer<TokenCleanupPolicySpec> unused90d = s -> {};
    Consumer<TokenCleanupPolicySpec> ownerLeft =
        s -> {
          s.getSelector().setUnusedFor(null);
          s.getSelector().setOwners(List.of("left@example.com"));
        };
    return Stream.of(
        matches(
            "last used longer ago than unusedFor",
            unused90d,
            token("A", daysAgo(400), daysAgo(200)),
            "last used 200d ago"),
        noMatch("last used within unusedFor", unused90d, token("A", daysAgo(400), daysAgo(89))),
        noMatch(
            "last used exactly unusedFor ago is not longer ago",
            unused90d,
            token("A", daysAgo(400), daysAgo(90))),
        matches(
            "never used and created longer ago",
            unused90d,
            token("A", daysAgo(120), null),
            "never used, created 120d ago"),
        noMatch("never used but created recently", unused90d, token("A", daysAgo(30), null)),
        noMatch("neither date: age unknown, never a candidate", unused90d, token("A", null, null)),
        noMatch(
            "used long ago but no creation date: age unknown",
            unused90d,
            token("A", null, daysAgo(200))),
        matches(
            "owner in the list",
            ownerLeft,
            token("A", "a", "left@example.com", daysAgo(2), NOW),
            "owner left@example.com"),
        noMatch(
            "owner not in the list",
            ownerLeft,
            token("A", "a", "stays@example.com", daysAgo(2), null)),
        noMatch(
            "owner matches, but created less than an hour ago (a rotation may be recording it)",
            ownerLeft,
            token("A", "a", "left@example.com", NOW.minus(Duration.ofMinutes(59)), null)),
        matches(
            "owner matches, created just over an hour ago",
            ownerLeft,
            token("A", "a", "left@example.com", NOW.minus(Duration.ofMinutes(61)), null),
            "owner left@example.com"),
        matches(
            "every criterion holds: all reasons",
            s -> {
              s.getSelector().setOwners(List.of("left@example.com"));
              s.getSelector().setNamePattern("ci-.*");
              s.getSelector().setScopesAny(List.of("ReadConfig", "DataExport"));
            },
            token("A", "ci-nightly", "left@example.com", daysAgo(300), daysAgo(100)),
            "last used 100d ago; owner left@example.com; name matches ci-.*; scope ReadConfig"),
        noMatch(
            "criteria are ANDed: owner matches, unusedFor does not",
            s -> s.getSelector().setOwners(List.of("left@example.com")),
            token("A", "a", "left@example.com", daysAgo(300), daysAgo(1))),
        noMatch(
            "namePattern must match the whole name",
            s -> {
              s.getSelector().setUnusedFor(null);
              s.getSelector().setNamePattern("ci-");
            },
            token("A", "ci-nightly", "ops", daysAgo(2), null)),
        matches(
            "namePattern as a prefix needs .*",
            s -> {
              s.getSelector().setUnusedFor(null);
              s.getSelector().setNamePattern("ci-.*");
            },
            token("A", "ci-nightly", "ops", daysAgo(2), null),
            "name matches ci-.*"),
        noMatch(
            "no scope in common",
            s -> {
              s.getSelector().setUnusedFor(null);
              s.getSelector().setScopesAny(List.of("DataExport"));
            },
            token("A", daysAgo(200), null)),
        noMatch(
            "Disable skips a token already disabled: nothing to do",
            s -> s.setAction(CleanupAction.Disable),
            new ApiToken("A", "a", false, "ops", List.of(), daysAgo(200), null, null, null, false)),
        matches(
            "Delete takes a disabled token too",
            s -> s.setAction(CleanupAction.Delete),
            new ApiToken("A", "a", false, "ops", List.of(), daysAgo(200), null, null, null, false),
            "never used, created 200d ago"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matchCases")
  void matching(MatchCase c) {
    Plan plan = CleanupPlanner.plan(List.of(c.token()), spec(c.spec()), NOTHING_PROTECTED, NOW, 0);

    if (c.reason() == null) {
      assertThat(plan.matched()).isEmpty();
    } else {
      assertThat(plan.matched()).extracting(Match::reason).containsExactly(c.reason());
    }
    assertThat(plan.protectedMatches()).isZero();
  }

  // ---------------------------------------------------------------- protected tokens

  static Stream<Arguments> protectedCases() {
    ApiToken stale = token("dt0c01.STALE", "stale", "ops", daysAgo(200), null);
    Consumer<TokenCleanupPolicySpec> asIs = s -> {};
    return Stream.of(
        Arguments.of(
            "referenced by a TokenRotation",
            asIs,
            new Protection(Set.of("dt0c01.STALE"), List.of(), "dt0c01.M"),
            stale),
        Arguments.of(
            "the management token itself",
            asIs,
            new Protection(Set.of(), List.of(), "dt0c01.STALE"),
            stale),
        Arguments.of(
            "excluded by id",
            (Consumer<TokenCleanupPolicySpec>)
                s -> s.setExclude(exclude(List.of("dt0c01.STALE"), null)),
            NOTHING_PROTECTED,
            stale),
        Arguments.of(
            "excluded by name",
            (Consumer<TokenCleanupPolicySpec>) s -> s.setExclude(exclude(null, List.of("stale"))),
            NOTHING_PROTECTED,
            stale),
        Arguments.of(
            "created by a rotation in flight (same name, since it started)",
            asIs,
            new Protection(
                Set.of(), List.of(new InFlight("stale", daysAgo(200).minusSeconds(2))), "dt0c01.M"),
            stale));
  }

  private static CleanupExclude exclude(List<String> ids, List<String> names) {
    CleanupExclude e = new CleanupExclude();
    e.setIds(ids);
    e.setNames(names);
    return e;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("protectedCases")
  void protectedTokensAreCountedButNeverCandidates(
      String name,
      Consumer<TokenCleanupPolicySpec> mutation,
      Protection protection,
      ApiToken token) {
    EffectiveCleanupSpec spec =
        spec(
            s -> {
              mutation.accept(s);
              s.setAction(CleanupAction.Delete);
            });

    Plan plan = CleanupPlanner.plan(List.of(token), spec, protection, NOW, 0);

    assertThat(plan.matched()).isEmpty();
    assertThat(plan.toAct()).isEmpty();
    assertThat(plan.protectedMatches()).isEqualTo(1);
  }

  @Test
  void aSameNamedTokenOlderThanTheRotationInFlightIsNotProtectedByIt() {
    ApiToken older = token("dt0c01.OLD", "script", "ops", daysAgo(200), null);
    Protection rotating =
        new Protection(Set.of(), List.of(new InFlight("script", daysAgo(100))), "dt0c01.M");

    Plan plan = CleanupPlanner.plan(List.of(older), spec(s -> {}), rotating, NOW, 0);

    assertThat(plan.matched()).extracting(m -> m.token().id()).containsExactly("dt0c01.OLD");
  }

  // ---------------------------------------------------------------- which to act on

  private static List<ApiToken> staleTokens(int count) {
    List<ApiToken> tokens = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      // T0 was used most recently, the last one longest ago
      tokens.add(token("dt0c01.T" + i, daysAgo(1000), daysAgo(100 + i)));
    }
    return tokens;
  }

  @Test
  void reportActsOnNothing() {
    Plan plan = CleanupPlanner.plan(staleTokens(3), spec(s -> {}), NOTHING_PROTECTED, NOW, 0);

    assertThat(plan.matched()).hasSize(3);
    assertThat(plan.toAct()).isEmpty();
  }

  @Test
  void maxPerRunTakesTheStalestFirst() {
    Plan plan =
        CleanupPlanner.plan(
            staleTokens(5),
            spec(
                s -> {
                  s.setAction(CleanupAction.Delete);
                  s.setMaxPerRun(2);
                }),
            NOTHING_PROTECTED,
            NOW,
            0);

    assertThat(plan.matched())
        .extracting(m -> m.token().id())
        .containsExactly("dt0c01.T4", "dt0c01.T3", "dt0c01.T2", "dt0c01.T1", "dt0c01.T0");
    assertThat(plan.toAct())
        .extracting(m -> m.token().id())
        .containsExactly("dt0c01.T4", "dt0c01.T3");
  }

  @Test
  void tokensActedOnByAnEarlierAttemptOfTheRunCountAgainstMaxPerRun() {
    EffectiveCleanupSpec spec =
        spec(
            s -> {
              s.setAction(CleanupAction.Disable);
              s.setMaxPerRun(3);
            });

    assertThat(CleanupPlanner.plan(staleTokens(5), spec, NOTHING_PROTECTED, NOW, 2).toAct())
        .hasSize(1);
    assertThat(CleanupPlanner.plan(staleTokens(5), spec, NOTHING_PROTECTED, NOW, 3).toAct())
        .isEmpty();
    assertThat(CleanupPlanner.plan(staleTokens(5), spec, NOTHING_PROTECTED, NOW, 7).toAct())
        .isEmpty();
  }

  @Test
  void theListInStatusIsCapped() {
    Plan plan =
        CleanupPlanner.plan(
            staleTokens(CleanupPlanner.MAX_LISTED + 7), spec(s -> {}), NOTHING_PROTECTED, NOW, 0);

    assertThat(plan.matched()).hasSize(CleanupPlanner.MAX_LISTED + 7);
    assertThat(plan.listed()).hasSize(CleanupPlanner.MAX_LISTED);
  }

  // ---------------------------------------------------------------- when

  private static TokenCleanupPolicyStatus ranAt(Instant lastRun, long generation) {
    TokenCleanupPolicyStatus s = new TokenCleanupPolicyStatus();
    s.lastRunAt(lastRun);
    s.setObservedGeneration(generation);
    return s;
  }

  static Stream<Arguments> scheduleCases() {
    Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10));
    TokenCleanupPolicyStatus failedTwice = ranAt(NOW.minus(Duration.ofHours(30)), 1);
    failedTwice.setFailedAttempts(2);
    failedTwice.lastFailureAt(NOW.minusSeconds(4));
    TokenCleanupPolicyStatus failedLongAgo = ranAt(NOW.minus(Duration.ofHours(1)), 1);
    failedLongAgo.setFailedAttempts(1);
    failedLongAgo.lastFailureAt(NOW.minusSeconds(60));
    TokenCleanupPolicyStatus stalled = ranAt(NOW.minus(Duration.ofHours(1)), 1);
    stalled.setConditions(
        Conditions.set(
            null,
            Conditions.STALLED,
            true,
            "DynatraceUnauthorized",
            "refused",
            1L,
            NOW.minus(Duration.ofMinutes(5))));
    TokenCleanupPolicyStatus stallRecorded = ranAt(NOW.minus(Duration.ofHours(1)), 1);
    stallRecorded.setFailedAttempts(1);
    stallRecorded.lastFailureAt(NOW.minusSeconds(60));
    LastFailure refused = LastFailure.of("DynatraceUnauthorized", "refused", true, null);
    refused.nextAttemptAt(NOW.plusSeconds(240));
    stallRecorded.setLastFailure(refused);
    return Stream.of(
        Arguments.of("first sight: run", null, 1L, new Schedule(true, null), backoff),
        Arguments.of(
            "a recorded stall: nothing runs before its recheck, whatever woke the reconcile",
            stallRecorded,
            1L,
            new Schedule(false, NOW.plusSeconds(240)),
            backoff),
        Arguments.of(
            "a recorded stall and a spec change since: run now",
            stallRecorded,
            2L,
            new Schedule(true, null),
            backoff),
        Arguments.of(
            "stalled: every recheck runs, whatever the interval says",
            stalled,
            1L,
            new Schedule(true, null),
            backoff),
        Arguments.of(
            "interval not over: wait for it",
            ranAt(NOW.minus(Duration.ofHours(1)), 1),
            1L,
            new Schedule(false, NOW.plus(Duration.ofHours(23))),
            backoff),
        Arguments.of(
            "interval over: run",
            ranAt(NOW.minus(Duration.ofHours(24)), 1),
            1L,
            new Schedule(true, null),
            backoff),
        Arguments.of(
            "spec changed since the last run: run now",
            ranAt(NOW.minus(Duration.ofHours(1)), 1),
            2L,
            new Schedule(true, null),
            backoff),
        Arguments.of(
            "failed: wait for the backoff (5s doubled)",
            failedTwice,
            1L,
            new Schedule(false, NOW.plusSeconds(6)),
            backoff),
        Arguments.of(
            "failed, backoff over: retry before the interval",
            failedLongAgo,
            1L,
            new Schedule(true, null),
            backoff));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scheduleCases")
  void schedule(
      String name,
      TokenCleanupPolicyStatus status,
      Long generation,
      Schedule expected,
      Backoff backoff) {
    assertThat(CleanupPlanner.schedule(status, spec(s -> {}), generation, NOW, backoff))
        .isEqualTo(expected);
  }

  @Test
  void suspendedNeverRuns() {
    assertThat(
            CleanupPlanner.schedule(null, spec(s -> s.setSuspend(true)), 1L, NOW, Backoff.DEFAULT))
        .isEqualTo(new Schedule(false, null));
  }
}
