package io.tokenrotation.operator.vault;

import io.tokenrotation.operator.secret.SecretValue;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Vault Kubernetes auth: {@code POST /v1/auth/<mountPath>/login} with {@code {role, jwt}}. The JWT supplier is asked
 * only when a login is due (first use, 80% of the lease passed, or after a 403), so a short-lived projected or
 * TokenRequest token is always fresh. Login caching and thread-safety are {@link LoginAuth}'s.
 */
public final class KubernetesAuth implements VaultAuth {
  private final LoginAuth login;

  public KubernetesAuth(String mountPath, String role, Supplier<SecretValue> jwtSupplier) {
    this(mountPath, role, jwtSupplier, Clock.systemUTC());
  }

  public KubernetesAuth(String mountPath, String role, Supplier<SecretValue> jwtSupplier, Clock clock) {
    this.login = LoginAuth.kubernetes(mountPath, role, jwtSupplier, clock);
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
    return "KubernetesAuth[" + login.mountPath() + "]";
  }
}
