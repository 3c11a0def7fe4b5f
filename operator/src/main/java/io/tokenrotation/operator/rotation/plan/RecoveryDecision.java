package io.tokenrotation.operator.rotation.plan;

import io.tokenrotation.operator.api.PendingRotation;
import io.tokenrotation.operator.dynatrace.ApiToken;
import java.util.Optional;

/**
 * What recovery does with an interrupted rotation (docs/rotation.md, "Recovery"), decided from
 * evidence: what Vault holds now and, with KV v2, whether the version the operator's check-and-set
 * write would have created holds the successor. Absence alone is never taken as proof that the
 * write did not happen.
 */
public final class RecoveryDecision {

  /** What the secret holds now, compared with the pending rotation's tokens. */
  public enum VaultHolds {
    SUCCESSOR,
    OLD_TOKEN,
    /** A token Dynatrace knows that is neither: written outside the operator. */
    ANOTHER_TOKEN,
    /** No secret, no field, or a token Dynatrace does not know. */
    NO_KNOWN_TOKEN
  }

  /**
   * Whether the operator's Vault write happened. It was check-and-set against {@code
   * pendingRotation.vaultVersion} (V), so if it happened it is version V+1.
   */
  public enum History {
    /** Version V+1 holds the successor. */
    WRITTEN,
    /** Vault is still at V, or V+1 holds something else: the write did not happen. */
    NOT_WRITTEN,
    /** No history to ask (KV v1), or version V+1's data is gone (deleted, destroyed, pruned). */
    UNKNOWN
  }

  public enum Outcome {
    /**
     * Vault holds the successor (or held it last and holds nothing usable now): make it current
     * (step 7).
     */
    FINISH,
    /**
     * The successor never reached Vault: delete it (or sweep for it when its id was never recorded)
     * and clear pending. When Vault holds another token, it is adopted.
     */
    UNDO,
    /**
     * The rotation happened and a write outside the operator displaced the successor since: retire
     * the old token (unless Vault holds it again) and the successor under the retirement policy,
     * adopt what Vault holds.
     */
    COMPLETED_THEN_DISPLACED,
    /**
     * Cannot tell whether the successor reached Vault, and Vault now holds a token written outside
     * the operator. The safe side: treat it as {@link #COMPLETED_THEN_DISPLACED} (the old token is
     * retired, since Vault no longer holds it) and say so with a Warning, so no token the operator
     * may have replaced stays valid unreferenced.
     */
    MAYBE_COMPLETED_THEN_DISPLACED
  }

  private RecoveryDecision() {}

  /**
   * {@code successorRecorded}: {@code pendingRotation.newTokenId} is set (the Vault write comes
   * only after that).
   */
  public static Outcome decide(boolean successorRecorded, VaultHolds vault, History history) {
    if (!successorRecorded) {
      return Outcome
          .UNDO; // the Vault write comes after the id is recorded: it cannot have happened
    }
    if (vault == VaultHolds.SUCCESSOR) {
      return Outcome.FINISH;
    }
    return switch (history) {
      case NOT_WRITTEN -> Outcome.UNDO;
      case WRITTEN ->
          vault == VaultHolds.NO_KNOWN_TOKEN ? Outcome.FINISH : Outcome.COMPLETED_THEN_DISPLACED;
      case UNKNOWN ->
          vault == VaultHolds.ANOTHER_TOKEN ? Outcome.MAYBE_COMPLETED_THEN_DISPLACED : Outcome.UNDO;
    };
  }

  /**
   * What Vault holds, seen from a pending rotation: its successor, its old token, another one, or
   * none known.
   */
  public static VaultHolds holds(PendingRotation pending, Optional<ApiToken> vaultToken) {
    if (vaultToken.isEmpty()) {
      return VaultHolds.NO_KNOWN_TOKEN;
    }
    String id = vaultToken.get().id();
    if (id.equals(pending.getNewTokenId())) {
      return VaultHolds.SUCCESSOR;
    }
    return id.equals(pending.getOldTokenId()) ? VaultHolds.OLD_TOKEN : VaultHolds.ANOTHER_TOKEN;
  }
}
