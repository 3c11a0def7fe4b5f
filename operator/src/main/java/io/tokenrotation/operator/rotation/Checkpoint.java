package io.tokenrotation.operator.rotation;

/**
 * Points between the side effects of a rotation; the crash-test harness stops the operator at each.
 */
public enum Checkpoint {
  AFTER_PENDING_PERSISTED,
  AFTER_TOKEN_CREATED,
  AFTER_NEW_ID_PERSISTED,
  AFTER_VAULT_WRITTEN,
  /** spec.secretTargets hold the successor; status does not say so yet. */
  AFTER_SECRET_TARGETS_WRITTEN,
  AFTER_ROTATION_PERSISTED,
  AFTER_TOKEN_RETIRED,
  AFTER_RETIREMENT_PERSISTED,
  /** spec.rolloutRestartTargets were patched; status does not say so yet. */
  AFTER_ROLLOUT_RESTARTED
}
