package io.tokenrotation.operator.status;

/** Condition and event reasons (CamelCase, stable: users alert on them). */
public final class Reasons {
  // Ready=True
  public static final String ADOPTED = "Adopted";
  public static final String ROTATED = "Rotated";
  public static final String SUSPENDED = "Suspended";
  public static final String TOKEN_RETIRED = "TokenRetired";
  // TokenCleanupPolicy: Ready=True reasons and Normal events
  public static final String REPORTED = "Reported";
  public static final String CLEANED_UP = "CleanedUp";
  public static final String CLEANUP_REPORT = "CleanupReport";
  public static final String CLEANUP_LIMITED = "CleanupLimited";
  public static final String TOKEN_DISABLED = "TokenDisabled";
  public static final String TOKEN_DELETED = "TokenDeleted";
  // transient
  public static final String RETRY_SCHEDULED = "RetryScheduled";
  public static final String ROTATION_IN_PROGRESS = "RotationInProgress";
  public static final String IDLE = "Idle";
  public static final String ROTATION_ABORTED = "RotationAborted";

  /**
   * Rotating=False while a pending rotation waits for a stall to be resolved (never Stalled and
   * Rotating at once).
   */
  public static final String ROTATION_INTERRUPTED = "RotationInterrupted";

  /**
   * Warning event: recovery could not tell whether an interrupted rotation stored its successor in
   * Vault before a write outside the operator (KV v1 keeps no history, or the KV v2 version is
   * gone); both tokens are scheduled for retirement (the safe side).
   */
  public static final String ROTATION_OUTCOME_UNKNOWN = "RotationOutcomeUnknown";

  /**
   * Event: Vault holds a token the operator did not write (someone rotated it outside); it is
   * adopted.
   */
  public static final String VAULT_CHANGED_OUTSIDE = "VaultChangedOutside";

  // Stalled (a human must act)
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String CONFLICT = "Conflict";
  public static final String SECRET_REF_NOT_FOUND = "SecretRefNotFound";
  public static final String SECRET_REF_KEY_MISSING = "SecretRefKeyMissing";
  public static final String VAULT_AUTH_FAILED = "VaultAuthFailed";

  /**
   * The Vault address or Dynatrace URL is not on the cluster admin's allow-list: nothing was sent
   * (security.md).
   */
  public static final String ENDPOINT_NOT_ALLOWED = "EndpointNotAllowed";

  /** The service-account token audience is not one the cluster admin allows. */
  public static final String AUDIENCE_NOT_ALLOWED = "AudienceNotAllowed";

  /**
   * The service account to log in to Vault as has not opted in (annotation
   * tokenrotation.io/vault-login).
   */
  public static final String SERVICE_ACCOUNT_NOT_ALLOWED = "ServiceAccountNotAllowed";

  public static final String VAULT_PERMISSION_DENIED = "VaultPermissionDenied";
  public static final String VAULT_REJECTED = "VaultRejected";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String SECRET_FIELD_MISSING = "SecretFieldMissing";
  public static final String MANAGEMENT_TOKEN_NOT_FOUND = "ManagementTokenNotFound";
  public static final String TOKEN_NOT_FOUND = "TokenNotFound";
  public static final String DYNATRACE_UNAUTHORIZED = "DynatraceUnauthorized";
  public static final String DYNATRACE_FORBIDDEN = "DynatraceForbidden";
  public static final String DYNATRACE_REJECTED = "DynatraceRejected";
  public static final String DYNATRACE_NOT_FOUND = "DynatraceNotFound";

  /**
   * Dynatrace refuses a scope the current token carries (cloned into its successor): it was retired
   * from the token API since the token was created (e.g. analyzers.* in API 1.330). Fixed by
   * setting spec.newToken.scopes.
   */
  public static final String SCOPE_RETIRED = "ScopeRetired";

  public static final String VAULT_SECRET_CHANGED_MID_ROTATION = "VaultSecretChangedDuringRotation";
  // transient failure reasons (Warning events, Ready message)
  public static final String VAULT_SEALED = "VaultSealed";
  public static final String VAULT_UNAVAILABLE = "VaultUnavailable";
  public static final String VAULT_CONFLICT = "VaultWriteConflict";
  public static final String DYNATRACE_RATE_LIMITED = "DynatraceRateLimited";
  public static final String DYNATRACE_UNAVAILABLE = "DynatraceUnavailable";

  /**
   * Dynatrace answered, but not what its API says (an HTML page, another JSON shape): check the
   * environment URL.
   */
  public static final String DYNATRACE_BAD_RESPONSE = "DynatraceBadResponse";

  /** Vault answered, but not what its API says: check the address. */
  public static final String VAULT_BAD_RESPONSE = "VaultBadResponse";

  /** spec.schedule: a rotation outside the window, because the token expires first (event). */
  public static final String ROTATING_BEFORE_EXPIRY = "RotatingBeforeExpiry";

  /**
   * A token disabled by DisableThenDelete was presented after it was disabled: a consumer did not
   * pick up its successor (Warning event; status.retiredTokens[].usedAfterDisableAt).
   */
  public static final String DISABLED_TOKEN_STILL_USED = "DisabledTokenStillUsed";

  /** spec.secretTargets: the token was written to the Secrets (event). */
  public static final String SECRET_TARGETS_UPDATED = "SecretTargetsUpdated";

  /** A secret target cannot be written: no RBAC, an immutable Secret, a name the API refuses. */
  public static final String SECRET_TARGET_REFUSED = "SecretTargetRefused";

  /** spec.rolloutRestartTargets: the workloads were restarted (event). */
  public static final String ROLLOUT_RESTARTED = "RolloutRestarted";

  /** A rollout restart target does not exist, or the operator may not patch it. */
  public static final String ROLLOUT_TARGET_NOT_FOUND = "RolloutTargetNotFound";

  public static final String ROLLOUT_TARGET_REFUSED = "RolloutTargetRefused";

  public static final String KUBERNETES_API_ERROR = "KubernetesApiError";
  public static final String INTERNAL_ERROR = "InternalError";

  private Reasons() {}
}
