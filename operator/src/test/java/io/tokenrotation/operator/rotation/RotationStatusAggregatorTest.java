package io.tokenrotation.operator.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.tokenrotation.operator.api.LastFailure;
import io.tokenrotation.operator.api.PendingRotation;
import io.tokenrotation.operator.api.RotationState;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.status.Conditions;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every combination of facts a TokenRotation's status can hold, and what kubectl then shows. Keyed
 * by sentences.
 */
class RotationStatusAggregatorTest {
  static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
  static final Instant DUE = NOW.plusSeconds(3600);

  /** What a user sees: READY, STATE, Ready's reason, Stalled, Rotating. */
  record Seen(String ready, String state, String reason, String stalled, String rotating) {}

  static Stream<Arguments> cases() {
    return Stream.of(
        row(
            "adopted, nothing failing",
            adopted(),
            false,
            DUE,
            new Seen("True", RotationState.HEALTHY, "Adopted", "False", "False")),
        row(
            "rotated by the operator",
            adopted()
                .andThen(
                    st -> {
                      st.setTokenCreationTime("2026-01-10T11:00:00Z");
                      st.setLastRotationTime("2026-01-10T11:00:00Z");
                    }),
            false,
            DUE,
            new Seen("True", RotationState.HEALTHY, "Rotated", "False", "False")),
        row(
            "a rotation in progress keeps Ready (Vault still holds a working token)",
            adopted().andThen(pending()),
            false,
            DUE,
            new Seen("True", RotationState.ROTATING, "RotationInProgress", "False", "True")),
        row(
            "a transient failure while nothing is due: retrying, Ready kept, reason says so",
            adopted().andThen(failing(false)),
            false,
            DUE,
            new Seen("True", RotationState.RETRYING, "RetryScheduled", "False", "False")),
        row(
            "a transient failure while the rotation is due: overdue",
            adopted().andThen(failing(false)),
            false,
            NOW.minusSeconds(60),
            new Seen("True", RotationState.OVERDUE, "RetryScheduled", "False", "False")),
        row(
            "a transient failure during a rotation: Rotating carries the failure",
            adopted().andThen(pending()).andThen(failing(false)),
            false,
            NOW.minusSeconds(60),
            new Seen("True", RotationState.OVERDUE, "RetryScheduled", "False", "True")),
        row(
            "a stall with a pending rotation: never Stalled and Rotating at once",
            adopted().andThen(pending()).andThen(failing(true)),
            false,
            DUE,
            new Seen("True", RotationState.STALLED, "DynatraceForbidden", "True", "False")),
        row(
            "a stall after adoption: Vault still holds a working token",
            adopted().andThen(failing(true)),
            false,
            DUE,
            new Seen("True", RotationState.STALLED, "DynatraceForbidden", "True", "False")),
        row(
            "the token is unknown to Dynatrace: not Ready",
            adopted()
                .andThen(
                    st ->
                        st.setLastFailure(
                            LastFailure.of("TokenNotFound", "unknown token", true, null))),
            false,
            DUE,
            new Seen("False", RotationState.STALLED, "TokenNotFound", "True", "False")),
        row(
            "a stall before adoption",
            failing(true),
            false,
            null,
            new Seen("False", RotationState.STALLED, "DynatraceForbidden", "True", "False")),
        row(
            "suspended after adoption",
            adopted(),
            true,
            DUE,
            new Seen("True", RotationState.SUSPENDED, "Suspended", "False", "False")),
        row(
            "suspended before adoption",
            st -> {},
            true,
            null,
            new Seen("False", RotationState.SUSPENDED, "Suspended", "False", "False")),
        row(
            "a stall wins over suspension",
            adopted().andThen(failing(true)),
            true,
            DUE,
            new Seen("True", RotationState.STALLED, "DynatraceForbidden", "True", "False")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void derives(
      String sentence,
      Consumer<TokenRotationStatus> facts,
      boolean suspended,
      Instant next,
      Seen seen) {
    TokenRotationStatus st = new TokenRotationStatus();
    facts.accept(st);

    RotationStatusAggregator.Derived derived =
        RotationStatusAggregator.derive(
            st, new RotationStatusAggregator.Inputs(suspended, 3L, NOW, next));

    List<Condition> c = derived.conditions();
    assertThat(
            new Seen(
                status(c, Conditions.READY),
                derived.state(),
                reason(c, Conditions.READY),
                status(c, Conditions.STALLED),
                status(c, Conditions.ROTATING)))
        .isEqualTo(seen);
    assertThat(c)
        .allSatisfy(condition -> assertThat(condition.getObservedGeneration()).isEqualTo(3L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void derivingTwiceChangesNothing(
      String sentence,
      Consumer<TokenRotationStatus> facts,
      boolean suspended,
      Instant next,
      Seen seen) {
    TokenRotationStatus st = new TokenRotationStatus();
    facts.accept(st);
    RotationStatusAggregator.Inputs in =
        new RotationStatusAggregator.Inputs(suspended, 3L, NOW, next);
    st.setConditions(RotationStatusAggregator.derive(st, in).conditions());
    List<Condition> once = st.getConditions();

    RotationStatusAggregator.Inputs later =
        new RotationStatusAggregator.Inputs(suspended, 3L, NOW.plusSeconds(5), next);
    assertThat(RotationStatusAggregator.derive(st, later).conditions())
        .as("an idle reconcile a moment later must not produce a write")
        .isEqualTo(once);
  }

  private static Arguments row(
      String sentence,
      Consumer<TokenRotationStatus> facts,
      boolean suspended,
      Instant next,
      Seen seen) {
    return Arguments.of(sentence, facts, suspended, next, seen);
  }

  private static Consumer<TokenRotationStatus> adopted() {
    return st -> {
      st.setTokenId("dt0c01.AAAA");
      st.setTokenCreationTime("2026-01-09T12:00:00Z");
    };
  }

  private static Consumer<TokenRotationStatus> pending() {
    return st -> {
      PendingRotation p = new PendingRotation();
      p.setOldTokenId(st.getTokenId());
      st.setPendingRotation(p);
    };
  }

  private static Consumer<TokenRotationStatus> failing(boolean stalled) {
    return st -> {
      st.setFailedAttempts(2);
      st.setLastFailure(
          LastFailure.of(
              stalled ? "DynatraceForbidden" : "VaultUnavailable", "it failed", stalled, null));
    };
  }

  private static String status(List<Condition> c, String type) {
    return Conditions.find(c, type).map(Condition::getStatus).orElse("");
  }

  private static String reason(List<Condition> c, String type) {
    return Conditions.find(c, type).map(Condition::getReason).orElse("");
  }
}
