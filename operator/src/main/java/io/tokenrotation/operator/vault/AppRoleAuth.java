package io.tokenrotation.operator.vault;

import io.tokenrotation.operator.secret.SecretValue;
import java.time.Clock;

/**
 * Vault AppRole auth: {@code POST /v1/auth/<mountPath>/login} with {@code {role_id, secret_id}}. Login caching and
 * thread-safety are {@link LoginAuth}'s.
 */
public final class AppRoleAuth implements VaultAuth {
  private final LoginAuth login;

  public AppRoleAuth(String mountPath, String roleId, SecretValue secretId) {
    this(mountPath, roleId, secretId, Clock.systemUTC());
  }

  public AppRoleAuth(String mountPath, String roleId, SecretValue secretId, Clock clock) {
    this.login = LoginAuth.appRole(mountPath, roleId, secretId, clock);
  }

  @Override
  public SecretValue token(VaultLogin vault) {
    return login.token(vault);
  }

  @Override
  public void invalidate() {
    login.invalidate();
  }

  @Override
  public boolean canRelogin() {
    return true;
  }

  @Override
  public String toString() {
    return "AppRoleAuth[" + login.mountPath() + "]";
  }
}
