package io.tokenrotation.operator.rotation.plan;

import static io.tokenrotation.operator.rotation.plan.RecoveryDecision.History.NOT_WRITTEN;
import static io.tokenrotation.operator.rotation.plan.RecoveryDecision.History.UNKNOWN;
import static io.tokenrotation.operator.rotation.plan.RecoveryDecision.History.WRITTEN;
import static io.tokenrotation.operator.rotation.plan.RecoveryDecision.Outcome.COMPLETED_THEN_DISPLACED;
import static io.tokenrotation.operator.rotation.plan.RecoveryDecision.Outcome.FINISH;
import static io.tokenrotation.operator.rotation.plan.RecoveryDecision.Outcome.MAYBE_COMPLETED_THEN_DISPLACED;
import static io.tokenrotation.operator.rotation.plan.RecoveryDecision.Outcome.UNDO;
import static io.tokenrotation.operator.rotation.plan.RecoveryDecision.VaultHolds.ANOTHER_TOKEN;
import static io.tokenrotation.operator.rotation.plan.RecoveryDecision.VaultHolds.NO_KNOWN_TOKEN;
import static io.tokenrotation.operator.rotation.plan.RecoveryDecision.VaultHolds.OLD_TOKEN;
import static io.tokenrotation.operator.rotation.plan.RecoveryDecision.VaultHolds.SUCCESSOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.rotation.plan.RecoveryDecision.History;
import io.tokenrotation.operator.rotation.plan.RecoveryDecision.Outcome;
import io.tokenrotation.operator.rotation.plan.RecoveryDecision.VaultHolds;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What recovery does with an interrupted rotation, keyed by sentences (docs/rotation.md,
 * "Recovery").
 */
class RecoveryDecisionTest {

  static Stream<Arguments> outcomes() {
    return Stream.of(
        Arguments.of(
            "the successor's id was never recorded: the Vault write cannot have happened",
            false,
            ANOTHER_TOKEN,
            UNKNOWN,
            UNDO),
        Arguments.of(
            "no id recorded and Vault still holds the old token: start over",
            false,
            OLD_TOKEN,
            UNKNOWN,
            UNDO),
        Arguments.of("Vault holds the successor: finish", true, SUCCESSOR, UNKNOWN, FINISH),
        Arguments.of(
            "Vault still holds the old token and V+1 does not exist: undo",
            true,
            OLD_TOKEN,
            NOT_WRITTEN,
            UNDO),
        Arguments.of(
            "another token, and V+1 is not the successor: the outside write came first, undo and adopt",
            true,
            ANOTHER_TOKEN,
            NOT_WRITTEN,
            UNDO),
        Arguments.of(
            "another token, and V+1 holds the successor: the issue-19 sequence, the rotation happened",
            true,
            ANOTHER_TOKEN,
            WRITTEN,
            COMPLETED_THEN_DISPLACED),
        Arguments.of(
            "V+1 holds the successor and the old token was written back since: retire the successor only",
            true,
            OLD_TOKEN,
            WRITTEN,
            COMPLETED_THEN_DISPLACED),
        Arguments.of(
            "V+1 holds the successor and Vault holds no known token now: finish, the next step reports it",
            true,
            NO_KNOWN_TOKEN,
            WRITTEN,
            FINISH),
        Arguments.of(
            "KV v1, another token: cannot tell, so the safe side retires both with a Warning",
            true,
            ANOTHER_TOKEN,
            UNKNOWN,
            MAYBE_COMPLETED_THEN_DISPLACED),
        Arguments.of(
            "KV v1, the old token: whatever happened, Vault holds it; undo",
            true,
            OLD_TOKEN,
            UNKNOWN,
            UNDO),
        Arguments.of(
            "KV v1, no known token: undo; status keeps naming the old token and the next step stalls",
            true,
            NO_KNOWN_TOKEN,
            UNKNOWN,
            UNDO),
        Arguments.of(
            "V+1 is not the successor and Vault holds no known token: undo",
            true,
            NO_KNOWN_TOKEN,
            NOT_WRITTEN,
            UNDO));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outcomes")
  void decide(
      String sentence,
      boolean successorRecorded,
      VaultHolds vault,
      History history,
      Outcome expected) {
    assertThat(RecoveryDecision.decide(successorRecorded, vault, history)).isEqualTo(expected);
  }
}
