package io.tokenrotation.operator.vault;

import java.time.Duration;
import java.util.Optional;

/** A failed Vault call. The message names the operation, path and status only: never a token or secret value. */
public class VaultException extends RuntimeException {

  /** What went wrong, as the reconciler needs to tell it apart. */
  public enum Kind {
    /** 400 other than a CAS mismatch. */
    BAD_REQUEST,
    /** 403: the token or policy does not allow it (after one re-login for renewable auth). */
    FORBIDDEN,
    /** 404 where the operation needed the secret or mount. */
    NOT_FOUND,
    /** The check-and-set precondition failed: someone else wrote the secret. */
    CAS_CONFLICT,
    /** 503 sealed / no active node. */
    SEALED,
    RATE_LIMITED, SERVER_ERROR, TIMEOUT, IO,
    /** Login (Kubernetes/AppRole) refused, or the credentials to log in could not be obtained. */
    AUTH_FAILED
  }

  private final Kind kind;
  private final int status;
  private final Duration retryAfter;

  public VaultException(Kind kind, int status, String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
    this.retryAfter = retryAfter;
  }

  public Kind kind() {
    return kind;
  }

  public int status() {
    return status;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** True for failures worth retrying with backoff. */
  public boolean transientFailure() {
    return kind == Kind.SEALED || kind == Kind.RATE_LIMITED || kind == Kind.SERVER_ERROR || kind == Kind.TIMEOUT
        || kind == Kind.IO;
  }
}
