package io.tokenrotation.operator.rotation;

/**
 * {@code CHECK}: the opt-in drift check. One Vault read; an unchanged KV version means nothing
 * changed (no lookup, no write); another token is adopted.
 */
final class CheckStep {
  private final StepSupport support;

  CheckStep(StepSupport support) {
    this.support = support;
  }

  void run(RotationSession s) {
    support.adoptWhatVaultHolds(s, true);
  }
}
