package io.tokenrotation.operator.rotation.plan;

import io.tokenrotation.operator.api.PendingRotation;
import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.dynatrace.ApiToken;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The decisions inside a rotation's steps, as pure functions (after cert-manager's policies):
 * whether the token Vault holds must be looked up, which token is an orphan of an interrupted
 * rotation, and what retiring a replaced token means now. The step handlers ({@code
 * controller/*Step}) only carry them out.
 */
public final class RotationDecisions {
  /** Dynatrace's clock and ours may differ a little. */
  public static final Duration ORPHAN_CLOCK_SKEW = Duration.ofSeconds(5);

  /**
   * A pending create happens within one HTTP call timeout of startedAt; later same-named tokens are
   * not ours.
   */
  public static final Duration ORPHAN_WINDOW = Duration.ofMinutes(1);

  private RotationDecisions() {}

  /**
   * Vault still holds the KV version we wrote or adopted, of the same secret field: the token is
   * the one status names, and no lookup is needed. Another secret at the same version number holds
   * another token; KV v1 (version 0) has no versions to compare.
   */
  public static boolean statusKnowsVaultToken(
      TokenRotationStatus st, SecretField secret, long vaultVersion) {
    return vaultVersion > 0
        && Objects.equals(vaultVersion, st.getVaultSecretVersion())
        && statusNamesTheTokenOf(st, secret);
  }

  /**
   * A rotation may skip reading Vault (docs/rotation.md, step 1): status names the token of this
   * secret field at a KV v2 version, so the check-and-set write against that version succeeds only
   * if Vault still holds exactly what status knows, and fails, changing nothing, if anyone wrote
   * the secret since (then the operator reads and adopts as after any conflict). KV v1 (version 0)
   * has no check-and-set: it always reads. Only in the steady state: after any failure the operator
   * reads first, so a resource whose secret is gone or broken costs one read per attempt, not a
   * token created and deleted again on every recheck.
   */
  public static boolean rotatesWithoutReading(TokenRotationStatus st, SecretField secret) {
    return st.getLastFailure() == null
        && st.getVaultSecretVersion() != null
        && st.getVaultSecretVersion() > 0
        && statusNamesTheTokenOf(st, secret);
  }

  /** Status names a token (id and name) it found in or wrote to this secret field. */
  private static boolean statusNamesTheTokenOf(TokenRotationStatus st, SecretField secret) {
    return secret.isStored(st.getVaultSecretRef(), st.getVaultSecret())
        && st.getTokenId() != null
        && st.getTokenName() != null;
  }

  /**
   * A write outside the operator displaced the token status names: it is retired (under the
   * resource's retirement policy) only if the operator created it, so that no token the operator
   * created is left valid and unreferenced. A token the operator adopted belongs to whoever made
   * it, who may still use it elsewhere (docs/rotation.md, "Drift").
   */
  public static boolean retireWhenDisplaced(TokenRotationStatus st) {
    return st.getTokenId() != null
        && TokenRotationStatus.ORIGIN_CREATED.equals(st.getTokenOrigin());
  }

  /**
   * A successor lost in a crash: the pending name and scopes, created in the window of the pending
   * create call, owned by the management token's owner. (Whether it is protected, because something
   * references it, is the caller's second question.)
   */
  public static boolean lostSuccessor(ApiToken token, PendingRotation pending, String owner) {
    Instant startedAt = pending.startedAt();
    if (startedAt == null || token.creationDate() == null) {
      return false;
    }
    List<String> scopes = pending.getScopes() == null ? List.of() : pending.getScopes();
    return Objects.equals(token.name(), pending.getTokenName())
        && Objects.equals(token.owner(), owner)
        && !token.creationDate().isBefore(startedAt.minus(ORPHAN_CLOCK_SKEW))
        && !token.creationDate().isAfter(startedAt.plus(ORPHAN_WINDOW))
        && new HashSet<>(token.scopes()).equals(new HashSet<>(scopes));
  }

  /**
   * Grace period 0: the replaced token is retired inside step 7, and the outcome write records it
   * (docs/rotation.md). Not when the resource rotates its own management token: Dynatrace refuses
   * to delete or disable the calling token, so its successor retires it in a later step.
   */
  public static boolean retiresAtOnce(Duration gracePeriod, boolean rotatesItsManagementToken) {
    return gracePeriod.isZero() && !rotatesItsManagementToken;
  }

  /** What retiring a replaced token means now. */
  public enum Retirement {
    /** Its grace period is not over. */
    WAIT,
    DELETE,
    /**
     * Disable it, and it is done (action Disable, or DisableThenDelete when the resource is being
     * deleted).
     */
    DISABLE,
    /** Disable it now and delete it {@code deleteAfter} later. */
    DISABLE_THEN_DELETE_LATER,
    /**
     * Already disabled and the resource is being deleted: leave it so (re-enabling stays possible).
     */
    LEAVE_DISABLED
  }

  /**
   * {@code onDeletion}: the finalizer retires everything now, and never deletes what a user may
   * still re-enable.
   */
  public static Retirement retirement(RetiredToken token, boolean onDeletion, Instant now) {
    Instant due = token.dueAt();
    if (!onDeletion && due != null && now.isBefore(due)) {
      return Retirement.WAIT;
    }
    RetireAction action = token.getAction() == null ? RetireAction.Delete : token.getAction();
    boolean disabled = token.getDisabledAt() != null;
    if (onDeletion && disabled) {
      return Retirement.LEAVE_DISABLED;
    }
    if (action == RetireAction.Delete || action == RetireAction.DisableThenDelete && disabled) {
      return Retirement.DELETE;
    }
    return action == RetireAction.DisableThenDelete && !onDeletion
        ? Retirement.DISABLE_THEN_DELETE_LATER
        : Retirement.DISABLE;
  }
}
