package io.tokenrotation.operator.vault;

import io.tokenrotation.operator.secret.SecretValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Login-based Vault auth (Kubernetes, AppRole): logs in on first use, caches the client token until
 * 80% of its lease has passed, and logs in again after {@link #invalidate()} (a 403). Thread-safe;
 * one login at a time. {@link KubernetesAuth} and {@link AppRoleAuth} are the named forms of its
 * two factories.
 */
public final class LoginAuth implements VaultAuth {
  private final String mountPath;
  private final Supplier<Map<String, String>> credentials;
  private final Clock clock;
  private SecretValue token;
  private Instant refreshAt = Instant.MIN;

  private LoginAuth(String mountPath, Supplier<Map<String, String>> credentials, Clock clock) {
    this.mountPath = mountPath;
    this.credentials = credentials;
    this.clock = clock;
  }

  /**
   * Kubernetes auth: {@code jwt} is asked for (a fresh service-account token) only when a login is
   * needed.
   */
  public static LoginAuth kubernetes(
      String mountPath, String role, Supplier<SecretValue> jwt, Clock clock) {
    return new LoginAuth(mountPath, () -> Map.of("role", role, "jwt", jwt.get().reveal()), clock);
  }

  public static LoginAuth appRole(
      String mountPath, String roleId, SecretValue secretId, Clock clock) {
    return new LoginAuth(
        mountPath, () -> Map.of("role_id", roleId, "secret_id", secretId.reveal()), clock);
  }

  @Override
  public synchronized SecretValue token(VaultLogin login) {
    Instant now = clock.instant();
    if (token == null || !now.isBefore(refreshAt)) {
      LoginResult result = login.login(mountPath, credentials.get());
      token = result.clientToken();
      Duration lease = result.leaseDuration();
      // lease 0 = the token does not expire; re-login anyway now and then in case it is revoked
      refreshAt =
          lease.isZero()
              ? now.plus(Duration.ofHours(1))
              : now.plus(lease.multipliedBy(8).dividedBy(10));
    }
    return token;
  }

  String mountPath() {
    return mountPath;
  }

  @Override
  public String toString() {
    return "LoginAuth[" + mountPath + "]"; // never the cached token or the credentials
  }

  @Override
  public synchronized void invalidate() {
    token = null;
  }

  @Override
  public boolean canRelogin() {
    return true;
  }
}
