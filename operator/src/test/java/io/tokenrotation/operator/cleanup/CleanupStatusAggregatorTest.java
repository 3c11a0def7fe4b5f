package io.tokenrotation.operator.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.tokenrotation.operator.api.CleanupAction;
import io.tokenrotation.operator.api.LastFailure;
import io.tokenrotation.operator.api.TokenCleanupPolicyStatus;
import io.tokenrotation.operator.cleanup.CleanupStatusAggregator.Inputs;
import io.tokenrotation.operator.failure.FailureBudget;
import io.tokenrotation.operator.status.Conditions;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a TokenCleanupPolicy's Ready and Stalled say for the facts its status holds. Keyed by
 * sentences.
 */
class CleanupStatusAggregatorTest {
  static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
  static final Instant EARLIER = NOW.minusSeconds(3600);
  static final String NEXT_RUN = "2026-01-11T12:00:00Z";
  static final String REPORT = "2 token(s) match; action Report changes nothing";
  static final String DELETED = "deleted 2 token(s); 2 matched";

  /**
   * What a user sees in kubectl: Ready's status, reason and message; Stalled's status, reason and
   * message.
   */
  record Seen(
      String ready,
      String reason,
      String message,
      String stalled,
      String stalledReason,
      String stalledMessage) {}

  static Stream<Arguments> cases() {
    return Stream.of(
        row(
            "a first Report run: Ready, Reported, the summary and the next run",
            ran(),
            in -> Inputs.active(CleanupAction.Report, REPORT, 3L, in),
            new Seen(
                "True", "Reported", REPORT + "; next run at " + NEXT_RUN, "False", "Reported", "")),
        row(
            "a first Delete run: Ready, CleanedUp",
            ran(),
            in -> Inputs.active(CleanupAction.Delete, DELETED, 3L, in),
            new Seen(
                "True",
                "CleanedUp",
                DELETED + "; next run at " + NEXT_RUN,
                "False",
                "CleanedUp",
                "")),
        row(
            "a transient failure: not Ready, RetryScheduled with attempt and next attempt; Stalled False names why",
            ran().andThen(failing(false)),
            in -> Inputs.active(CleanupAction.Delete, null, 3L, in),
            new Seen(
                "False",
                "RetryScheduled",
                "run failed: Vault down (attempt 2; next attempt at " + "2026-01-10T12:01:00Z)",
                "False",
                "VaultUnavailable",
                "")),
        row(
            "a transient failure recorded before nextAttemptTime existed: no next attempt in the message",
            failing(false).andThen(st -> st.getLastFailure().setNextAttemptTime(null)),
            in -> Inputs.active(CleanupAction.Delete, null, 3L, in),
            new Seen(
                "False",
                "RetryScheduled",
                "run failed: Vault down (attempt 2)",
                "False",
                "VaultUnavailable",
                "")),
        row(
            "a stall found by a run: not Ready, Stalled with its reason and message",
            ran().andThen(failing(true)),
            in -> Inputs.active(CleanupAction.Delete, null, 3L, in),
            new Seen(
                "False",
                "DynatraceForbidden",
                "run stopped: forbidden",
                "True",
                "DynatraceForbidden",
                "run stopped: forbidden")),
        row(
            "recovery after a stall: Ready again, not Stalled",
            stalledBefore().andThen(ran()),
            in -> Inputs.active(CleanupAction.Delete, DELETED, 3L, in),
            new Seen(
                "True",
                "CleanedUp",
                DELETED + "; next run at " + NEXT_RUN,
                "False",
                "CleanedUp",
                "")),
        row(
            "an invalid spec: not Ready, Stalled InvalidSpec with the validator's summary",
            st -> {},
            in -> Inputs.invalid("spec.interval: must be at least 1h", 3L, in),
            new Seen(
                "False",
                "InvalidSpec",
                "spec.interval: must be at least 1h",
                "True",
                "InvalidSpec",
                "spec.interval: must be at least 1h")),
        row(
            "an invalid spec wins over a transient failure recorded before",
            failing(false),
            in -> Inputs.invalid("spec.action: unknown", 3L, in),
            new Seen(
                "False",
                "InvalidSpec",
                "spec.action: unknown",
                "True",
                "InvalidSpec",
                "spec.action: unknown")),
        row(
            "suspended: Ready, nothing listed or changed",
            ran(),
            in -> Inputs.suspended(3L, in),
            new Seen(
                "True",
                "Suspended",
                "cleanup suspended (spec.suspend); nothing is listed or changed",
                "False",
                "Suspended",
                "")),
        row(
            "suspension after a stall: Ready, not Stalled (nothing is pursued)",
            stalledBefore().andThen(failing(true)),
            in -> Inputs.suspended(3L, in),
            new Seen(
                "True",
                "Suspended",
                "cleanup suspended (spec.suspend); nothing is listed or changed",
                "False",
                "Suspended",
                "")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void derives(
      String sentence,
      Consumer<TokenCleanupPolicyStatus> facts,
      Function<Instant, Inputs> inputs,
      Seen seen) {
    TokenCleanupPolicyStatus st = status(facts);

    List<Condition> c = CleanupStatusAggregator.derive(st, inputs.apply(NOW));

    assertThat(seen(c)).isEqualTo(seen);
    assertThat(c)
        .allSatisfy(condition -> assertThat(condition.getObservedGeneration()).isEqualTo(3L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void neverReadyAndStalledAtOnce(
      String sentence,
      Consumer<TokenCleanupPolicyStatus> facts,
      Function<Instant, Inputs> inputs,
      Seen seen) {
    List<Condition> c = CleanupStatusAggregator.derive(status(facts), inputs.apply(NOW));

    assertThat(Conditions.isTrue(c, Conditions.READY) && Conditions.isTrue(c, Conditions.STALLED))
        .isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void derivingAgainLaterChangesNothing(
      String sentence,
      Consumer<TokenCleanupPolicyStatus> facts,
      Function<Instant, Inputs> inputs,
      Seen seen) {
    TokenCleanupPolicyStatus st = status(facts);
    st.setConditions(CleanupStatusAggregator.derive(st, inputs.apply(NOW)));
    List<Condition> once = st.getConditions();

    assertThat(CleanupStatusAggregator.derive(st, inputs.apply(NOW.plusSeconds(5))))
        .as("the same facts a moment later must not produce a write")
        .isEqualTo(once);
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenAStatusFlips() {
    TokenCleanupPolicyStatus st = status(stalledBefore().andThen(failing(true)));
    st.setConditions(
        CleanupStatusAggregator.derive(st, Inputs.active(CleanupAction.Delete, null, 3L, NOW)));
    assertThat(transition(st.getConditions(), Conditions.STALLED)).isEqualTo(EARLIER.toString());

    FailureBudget.clear(st);
    ran().accept(st);
    List<Condition> recovered =
        CleanupStatusAggregator.derive(
            st, Inputs.active(CleanupAction.Delete, DELETED, 3L, NOW.plusSeconds(60)));

    assertThat(transition(recovered, Conditions.READY)).isEqualTo(NOW.plusSeconds(60).toString());
    assertThat(transition(recovered, Conditions.STALLED)).isEqualTo(NOW.plusSeconds(60).toString());
  }

  @Test
  void withoutARunOrAFailureTheStoredConditionsStay() {
    TokenCleanupPolicyStatus st = status(stalledBefore().andThen(ran()));

    assertThat(
            CleanupStatusAggregator.derive(st, Inputs.active(CleanupAction.Delete, null, 3L, NOW)))
        .isEqualTo(st.getConditions());
  }

  private static Arguments row(
      String sentence,
      Consumer<TokenCleanupPolicyStatus> facts,
      Function<Instant, Inputs> inputs,
      Seen seen) {
    return Arguments.of(sentence, facts, inputs, seen);
  }

  private static TokenCleanupPolicyStatus status(Consumer<TokenCleanupPolicyStatus> facts) {
    TokenCleanupPolicyStatus st = new TokenCleanupPolicyStatus();
    facts.accept(st);
    return st;
  }

  private static Consumer<TokenCleanupPolicyStatus> ran() {
    return st -> {
      st.setLastRunTime(NOW.toString());
      st.setNextRunTime(NEXT_RUN);
      st.setMatched(2);
      st.setActed(2);
    };
  }

  private static Consumer<TokenCleanupPolicyStatus> failing(boolean stalled) {
    return st -> {
      st.setFailedAttempts(2);
      LastFailure failure =
          stalled
              ? LastFailure.of("DynatraceForbidden", "run stopped: forbidden", true, null)
              : LastFailure.of("VaultUnavailable", "run failed: Vault down", false, null);
      failure.setNextAttemptTime("2026-01-10T12:01:00Z");
      st.setLastFailure(failure);
    };
  }

  /** Conditions as a stall an hour ago left them. */
  private static Consumer<TokenCleanupPolicyStatus> stalledBefore() {
    return st -> {
      List<Condition> c =
          Conditions.set(
              null,
              Conditions.READY,
              false,
              "DynatraceForbidden",
              "run stopped: forbidden",
              3L,
              EARLIER);
      st.setConditions(
          Conditions.set(
              c,
              Conditions.STALLED,
              true,
              "DynatraceForbidden",
              "run stopped: forbidden",
              3L,
              EARLIER));
    };
  }

  private static Seen seen(List<Condition> c) {
    Condition ready = Conditions.find(c, Conditions.READY).orElseThrow();
    Condition stalled = Conditions.find(c, Conditions.STALLED).orElseThrow();
    return new Seen(
        ready.getStatus(),
        ready.getReason(),
        ready.getMessage(),
        stalled.getStatus(),
        stalled.getReason(),
        stalled.getMessage());
  }

  private static String transition(List<Condition> c, String type) {
    return Conditions.find(c, type).map(Condition::getLastTransitionTime).orElse("");
  }
}
