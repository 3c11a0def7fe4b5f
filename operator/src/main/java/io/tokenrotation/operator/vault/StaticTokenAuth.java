package io.tokenrotation.operator.vault;

import io.tokenrotation.operator.secret.SecretValue;

/**
 * A Vault token given as it is (from a Kubernetes Secret). Nothing to log in to, nothing to retry.
 */
public final class StaticTokenAuth implements VaultAuth {
  private final SecretValue token;

  public StaticTokenAuth(SecretValue token) {
    this.token = token;
  }

  @Override
  public SecretValue token(VaultLogin login) {
    return token;
  }

  @Override
  public void invalidate() {
    // a static token cannot be renewed here
  }

  @Override
  public boolean canRelogin() {
    return false;
  }
}
