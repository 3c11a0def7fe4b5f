package io.tokenrotation.operator.rotation.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.api.LastFailure;
import io.tokenrotation.operator.api.PendingRotation;
import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.RolloutRestartTarget;
import io.tokenrotation.operator.api.SecretTarget;
import io.tokenrotation.operator.api.Timestamps;
import io.tokenrotation.operator.api.TokenRotationSpec;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.api.WorkloadKind;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.rotation.plan.RotationPlanner.Plan;
import io.tokenrotation.operator.rotation.plan.RotationPlanner.Step;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RotationPlannerTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-10T12:00:00Z"), ZoneOffset.UTC);
  private static final Instant NOW = Instant.now(CLOCK);

  /** The current token was created 10h ago; with the 24h interval it is due in 14h. */
  private static final Instant CREATED = NOW.minus(Duration.ofHours(10));

  private static final Instant DUE = CREATED.plus(Duration.ofHours(24));

  private static EffectiveSpec spec(Consumer<TokenRotationSpec> mutation) {
    TokenRotationSpec spec = Specs.minimal();
    mutation.accept(spec);
    return EffectiveSpec.of(spec);
  }

  /** Steady state after an adoption: a token, its creation time and the stored next rotation. */
  private static TokenRotationStatus adopted() {
    TokenRotationStatus s = new TokenRotationStatus();
    s.setTokenId("dt0c01.CURRENT");
    s.tokenCreatedAt(CREATED);
    s.nextRotationAt(DUE);
    return s;
  }

  /** One Secret target and one Deployment restarted after it, debounce 30s. */
  private static void targets(TokenRotationSpec spec) {
    SecretTarget secret = new SecretTarget();
    secret.setName("app-token");
    secret.setKey("apiToken");
    spec.setSecretTargets(List.of(secret));
    RolloutRestartTarget app = new RolloutRestartTarget();
    app.setKind(WorkloadKind.Deployment);
    app.setName("app");
    spec.setRolloutRestartTargets(List.of(app));
  }

  private static EffectiveSpec withTargets() {
    return spec(RotationPlannerTest::targets);
  }

  private static RetiredToken retired(String id, Instant dueAt) {
    RetiredToken t = new RetiredToken();
    t.setId(id);
    t.setAction(RetireAction.Delete);
    t.dueAt(dueAt);
    return t;
  }

  private static PendingRotation pending() {
    PendingRotation p = new PendingRotation();
    p.startedAt(NOW.minusSeconds(30));
    p.setOldTokenId("dt0c01.CURRENT");
    return p;
  }

  record Case(
      String name,
      TokenRotationStatus status,
      EffectiveSpec spec,
      String rotateRequest,
      Plan expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case scenario(
      String name,
      Consumer<TokenRotationStatus> status,
      Consumer<TokenRotationSpec> spec,
      String rotateRequest,
      Plan expected) {
    TokenRotationStatus s = adopted();
    status.accept(s);
    return new Case(name, s, spec(spec), rotateRequest, expected);
  }

  private static LastFailure failure(boolean stalled, String request, Instant next) {
    LastFailure f =
        LastFailure.of(stalled ? "DynatraceForbidden" : "VaultUnavailable", "m", stalled, request);
    f.nextAttemptAt(next);
    return f;
  }

  static Stream<Arguments> cases() {
    Consumer<TokenRotationStatus> asIs = s -> {};
    Consumer<TokenRotationSpec> defaults = s -> {};
    return Stream.of(
            scenario(
                "pending rotation is resumed before anything else",
                s -> s.setPendingRotation(pending()),
                defaults,
                null,
                new Plan(Step.RESUME, null, false)),
            scenario(
                "pending rotation is resumed even when suspended",
                s -> s.setPendingRotation(pending()),
                sp -> sp.setSuspend(true),
                null,
                new Plan(Step.RESUME, null, false)),
            scenario(
                "pending rotation is resumed even when rotation is overdue",
                s -> {
                  s.setPendingRotation(pending());
                  s.tokenCreatedAt(NOW.minus(Duration.ofDays(3)));
                },
                defaults,
                null,
                new Plan(Step.RESUME, null, false)),
            scenario(
                "no tokenId yet: adopt",
                s -> s.setTokenId(null),
                defaults,
                null,
                new Plan(Step.ADOPT, null, false)),
            scenario(
                "spec.vault names another secret than the token came from: adopt again",
                s -> s.setVaultSecret("https://vault.example.com secret/dynatrace/old#token"),
                defaults,
                null,
                new Plan(Step.ADOPT, null, false)),
            scenario(
                "another secret, but a rotation is pending: resume it first (against its own secret)",
                s -> {
                  s.setVaultSecret("https://vault.example.com secret/dynatrace/old#token");
                  s.setPendingRotation(pending());
                },
                defaults,
                null,
                new Plan(Step.RESUME, null, false)),
            scenario(
                "no status at all: adopt",
                s -> {
                  s.setTokenId(null);
                  s.setTokenCreationTime(null);
                  s.setNextRotationTime(null);
                },
                defaults,
                null,
                new Plan(Step.ADOPT, null, false)),
            scenario(
                "suspended: wait for a spec change only",
                asIs,
                sp -> sp.setSuspend(true),
                null,
                new Plan(Step.WAIT, null, false)),
            scenario(
                "suspended wins over an overdue rotation",
                s -> s.tokenCreatedAt(NOW.minus(Duration.ofDays(3))),
                sp -> sp.setSuspend(true),
                null,
                new Plan(Step.WAIT, null, false)),
            scenario(
                "suspended wins over a manual request",
                asIs,
                sp -> sp.setSuspend(true),
                "2025-03-10T11:59:00Z",
                new Plan(Step.WAIT, null, false)),
            scenario(
                "suspended before adoption: no adoption either",
                s -> s.setTokenId(null),
                sp -> sp.setSuspend(true),
                null,
                new Plan(Step.WAIT, null, false)),
            scenario(
                "secret targets hold another token: they are written before anything else is done",
                s -> {
                  s.setSecretTargetsTokenId("dt0c01.OLD");
                  s.setSecretTargetsHash(withTargets().secretTargetsHash());
                },
                RotationPlannerTest::targets,
                "2025-03-10T11:59:00Z",
                new Plan(Step.SYNC_TARGETS, null, false)),
            scenario(
                "secret targets changed in the spec: they are written again",
                s -> {
                  s.setSecretTargetsTokenId("dt0c01.CURRENT");
                  s.setSecretTargetsHash("something-else");
                },
                RotationPlannerTest::targets,
                null,
                new Plan(Step.SYNC_TARGETS, null, false)),
            scenario(
                "secret targets hold the current token: nothing to do for them",
                s -> {
                  s.setSecretTargetsTokenId("dt0c01.CURRENT");
                  s.setSecretTargetsHash(withTargets().secretTargetsHash());
                },
                RotationPlannerTest::targets,
                null,
                new Plan(Step.WAIT, DUE, false)),
            scenario(
                "a restart waits out its debounce, and the due retirement waits for the restart",
                s -> {
                  s.setSecretTargetsTokenId("dt0c01.CURRENT");
                  s.setSecretTargetsHash(withTargets().secretTargetsHash());
                  s.rolloutRestartPendingAt(NOW.minusSeconds(10));
                  s.setRetiredTokens(List.of(retired("dt0c01.OLD", NOW.minusSeconds(5))));
                },
                RotationPlannerTest::targets,
                null,
                new Plan(Step.WAIT, NOW.plusSeconds(20), false)),
            scenario(
                "a restart whose debounce is over runs before the retirement",
                s -> {
                  s.setSecretTargetsTokenId("dt0c01.CURRENT");
                  s.setSecretTargetsHash(withTargets().secretTargetsHash());
                  s.rolloutRestartPendingAt(NOW.minusSeconds(30));
                  s.setRetiredTokens(List.of(retired("dt0c01.OLD", NOW.minusSeconds(5))));
                },
                RotationPlannerTest::targets,
                null,
                new Plan(Step.RESTART, null, false)),
            scenario(
                "a restart comes no sooner than the debounce after the previous one",
                s -> {
                  s.setSecretTargetsTokenId("dt0c01.CURRENT");
                  s.setSecretTargetsHash(withTargets().secretTargetsHash());
                  s.rolloutRestartPendingAt(NOW.minusSeconds(60));
                  s.lastRolloutRestartAt(NOW.minusSeconds(20));
                },
                RotationPlannerTest::targets,
                null,
                new Plan(Step.WAIT, NOW.plusSeconds(10), false)),
            scenario(
                "new manual request: rotate now, marked manual",
                asIs,
                defaults,
                "2025-03-10T11:59:00Z",
                new Plan(Step.ROTATE, null, true)),
            scenario(
                "new manual request replacing a handled one",
                s -> s.setLastHandledRotateRequest("2025-03-01T00:00:00Z"),
                defaults,
                "2025-03-10T11:59:00Z",
                new Plan(Step.ROTATE, null, true)),
            scenario(
                "manual request already handled: back to the schedule",
                s -> s.setLastHandledRotateRequest("2025-03-10T11:59:00Z"),
                defaults,
                "2025-03-10T11:59:00Z",
                new Plan(Step.WAIT, DUE, false)),
            scenario(
                "blank manual request is ignored",
                asIs,
                defaults,
                "  ",
                new Plan(Step.WAIT, DUE, false)),
            scenario(
                "not due: wait until the next rotation",
                asIs,
                defaults,
                null,
                new Plan(Step.WAIT, DUE, false)),
            scenario(
                "due exactly now: rotate",
                s -> s.tokenCreatedAt(NOW.minus(Duration.ofHours(24))),
                defaults,
                null,
                new Plan(Step.ROTATE, null, false)),
            scenario(
                "overdue: rotate",
                s -> s.tokenCreatedAt(NOW.minus(Duration.ofDays(3))),
                defaults,
                null,
                new Plan(Step.ROTATE, null, false)),
            scenario(
                "token expiring before the schedule: due a tenth of the interval before expiry",
                s -> s.tokenExpiresAt(NOW.plus(Duration.ofHours(4))),
                defaults,
                null,
                new Plan(
                    Step.WAIT,
                    NOW.plus(Duration.ofHours(4)).minus(Duration.ofMinutes(144)),
                    false)),
            scenario(
                "token expiring within the margin: rotate now",
                s -> s.tokenExpiresAt(NOW.plus(Duration.ofHours(1))),
                defaults,
                null,
                new Plan(Step.ROTATE, null, false)),
            scenario(
                "retirement due: retire",
                s -> s.setRetiredTokens(List.of(retired("dt0c01.OLD", NOW))),
                defaults,
                null,
                new Plan(Step.RETIRE, null, false)),
            scenario(
                "retirement due goes before a due rotation: replaced tokens do not pile up",
                s -> {
                  s.tokenCreatedAt(NOW.minus(Duration.ofDays(2)));
                  s.setRetiredTokens(List.of(retired("dt0c01.OLD", NOW.minusSeconds(1))));
                },
                defaults,
                null,
                new Plan(Step.RETIRE, null, false)),
            scenario(
                "retirement due goes before a manual request too",
                s -> s.setRetiredTokens(List.of(retired("dt0c01.OLD", NOW.minusSeconds(1)))),
                defaults,
                "2025-03-10T11:59:00Z",
                new Plan(Step.RETIRE, null, false)),
            scenario(
                "retirement before the next rotation: wake for the retirement",
                s ->
                    s.setRetiredTokens(
                        List.of(retired("dt0c01.OLD", NOW.plus(Duration.ofMinutes(5))))),
                defaults,
                null,
                new Plan(Step.WAIT, NOW.plus(Duration.ofMinutes(5)), false)),
            scenario(
                "retirement after the next rotation: wake for the rotation",
                s ->
                    s.setRetiredTokens(
                        List.of(retired("dt0c01.OLD", DUE.plus(Duration.ofDays(6))))),
                defaults,
                null,
                new Plan(Step.WAIT, DUE, false)),
            scenario(
                "several retirements: wake for the earliest",
                s ->
                    s.setRetiredTokens(
                        List.of(
                            retired("dt0c01.A", NOW.plus(Duration.ofHours(3))),
                            retired("dt0c01.B", NOW.plus(Duration.ofHours(1))),
                            retired("dt0c01.C", NOW.plus(Duration.ofHours(2))))),
                defaults,
                null,
                new Plan(Step.WAIT, NOW.plus(Duration.ofHours(1)), false)),
            scenario(
                "one of several retirements due: retire",
                s ->
                    s.setRetiredTokens(
                        List.of(
                            retired("dt0c01.A", NOW.plus(Duration.ofHours(3))),
                            retired("dt0c01.B", NOW.minusSeconds(10)))),
                defaults,
                null,
                new Plan(Step.RETIRE, null, false)),
            scenario(
                "first failure: wait 5s after it",
                s -> {
                  s.setFailedAttempts(1);
                  s.lastFailureAt(NOW.minusSeconds(2));
                },
                defaults,
                null,
                new Plan(Step.WAIT, NOW.plusSeconds(3), false)),
            scenario(
                "fourth failure: wait 40s after it, even with a pending rotation",
                s -> {
                  s.setFailedAttempts(4);
                  s.lastFailureAt(NOW.minusSeconds(10));
                  s.setPendingRotation(pending());
                },
                defaults,
                null,
                new Plan(Step.WAIT, NOW.plusSeconds(30), false)),
            scenario(
                "backoff also holds back a manual request",
                s -> {
                  s.setFailedAttempts(2);
                  s.lastFailureAt(NOW);
                },
                defaults,
                "2025-03-10T11:59:00Z",
                new Plan(Step.WAIT, NOW.plusSeconds(10), false)),
            scenario(
                "backoff window over: the pending rotation is resumed",
                s -> {
                  s.setFailedAttempts(1);
                  s.lastFailureAt(NOW.minusSeconds(5));
                  s.setPendingRotation(pending());
                },
                defaults,
                null,
                new Plan(Step.RESUME, null, false)),
            scenario(
                "a recorded failure waits for its next attempt time, whatever woke the reconcile",
                s -> {
                  s.setFailedAttempts(3);
                  s.lastFailureAt(NOW.minusSeconds(2));
                  s.setLastFailure(failure(false, null, NOW.plusSeconds(7)));
                },
                defaults,
                null,
                new Plan(Step.WAIT, NOW.plusSeconds(7), false)),
            scenario(
                "a stall waits for its recheck",
                s -> {
                  s.setFailedAttempts(1);
                  s.lastFailureAt(NOW.minusSeconds(60));
                  s.setLastFailure(failure(true, null, NOW.plusSeconds(240)));
                },
                defaults,
                null,
                new Plan(Step.WAIT, NOW.plusSeconds(240), false)),
            scenario(
                "a stall: a new rotate request earns one attempt at once",
                s -> {
                  s.setFailedAttempts(1);
                  s.lastFailureAt(NOW.minusSeconds(60));
                  s.setLastFailure(failure(true, null, NOW.plusSeconds(240)));
                },
                defaults,
                "2025-03-10T11:59:00Z",
                new Plan(Step.ROTATE, null, true)),
            scenario(
                "a stall: the request that failed waits for the recheck",
                s -> {
                  s.setFailedAttempts(1);
                  s.lastFailureAt(NOW.minusSeconds(60));
                  s.setLastFailure(failure(true, "2025-03-10T11:59:00Z", NOW.plusSeconds(240)));
                },
                defaults,
                "2025-03-10T11:59:00Z",
                new Plan(Step.WAIT, NOW.plusSeconds(240), false)),
            scenario(
                "failures without a failure time: no backoff",
                s -> s.setFailedAttempts(3),
                defaults,
                null,
                new Plan(Step.WAIT, DUE, false)),
            scenario(
                "interval shortened: next rotation recomputed from tokenCreationTime, now overdue",
                asIs,
                sp -> sp.setInterval("6h"),
                null,
                new Plan(Step.ROTATE, null, false)),
            scenario(
                "interval lengthened: stored nextRotationTime ignored",
                asIs,
                sp -> sp.setInterval("7d"),
                null,
                new Plan(Step.WAIT, CREATED.plus(Duration.ofDays(7)), false)),
            scenario(
                "no tokenCreationTime: the stored nextRotationTime is used",
                s -> {
                  s.setTokenCreationTime(null);
                  s.nextRotationAt(NOW.plus(Duration.ofHours(1)));
                },
                sp -> sp.setInterval("6h"),
                null,
                new Plan(Step.WAIT, NOW.plus(Duration.ofHours(1)), false)),
            scenario(
                "no schedule known at all: wait for a change",
                s -> {
                  s.setTokenCreationTime(null);
                  s.setNextRotationTime(null);
                },
                defaults,
                null,
                new Plan(Step.WAIT, null, false)))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(Case c) {
    assertThat(RotationPlanner.plan(c.status(), c.spec(), c.rotateRequest(), NOW, Backoff.DEFAULT))
        .isEqualTo(c.expected());
  }

  @Test
  void theSameSecretRecordedOrNoneRecordedIsNoReason() {
    TokenRotationStatus same = adopted();
    EffectiveSpec spec = spec(sp -> {});
    same.setVaultSecret(spec.vaultSecret());
    TokenRotationStatus legacy = adopted();
    legacy.setVaultSecret(null);
    Plan plan = RotationPlanner.plan(same, spec, null, NOW, Backoff.DEFAULT);
    assertThat(plan.step()).isEqualTo(Step.WAIT);
    assertThat(RotationPlanner.plan(legacy, spec, null, NOW, Backoff.DEFAULT)).isEqualTo(plan);
  }

  @Test
  void nullStatusMeansAdopt() {
    assertThat(RotationPlanner.plan(null, spec(s -> {}), null, NOW, Backoff.DEFAULT))
        .isEqualTo(new Plan(Step.ADOPT, null, false));
  }

  @Test
  void untilIsAtLeastOneSecond() {
    assertThat(Timestamps.delayUntil(NOW, NOW.minusSeconds(30))).isEqualTo(Duration.ofSeconds(1));
    assertThat(Timestamps.delayUntil(NOW, NOW)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Timestamps.delayUntil(NOW, NOW.plus(Duration.ofHours(14))))
        .isEqualTo(Duration.ofHours(14));
  }
}
