package io.tokenrotation.operator.vault;

import io.tokenrotation.operator.secret.SecretValue;
import java.time.Duration;
import java.util.Map;

/**
 * How a VaultClient obtains the token it sends. Implementations cache logins until shortly before
 * their TTL.
 */
public interface VaultAuth {

  /** The token to send now (logging in first if needed). */
  SecretValue token(VaultLogin login);

  /**
   * Forget a cached login token (called once after a 403), so the next {@link #token} logs in
   * again.
   */
  void invalidate();

  /** Whether {@link #invalidate()} + retry can help (false for a static token). */
  boolean canRelogin();

  /**
   * Performs a login call against Vault; given to {@link #token} by the client that owns the HTTP
   * connection.
   */
  interface VaultLogin {
    /**
     * {@code POST /v1/auth/<mountPath>/login} with the body; returns the client token and its
     * lease.
     */
    LoginResult login(String mountPath, Map<String, String> body);
  }

  record LoginResult(SecretValue clientToken, Duration leaseDuration, boolean renewable) {}
}
