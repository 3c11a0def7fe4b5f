package io.tokenrotation.operator.vault;

import io.tokenrotation.operator.http.UpstreamException;
import java.time.Duration;

/** A failed Vault call. The message names the operation, path and status only: never a token or secret value. */
public class VaultException extends UpstreamException {

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

  public VaultException(Kind kind, int status, String message, Duration retryAfter, Throwable cause) {
    super(status, message, retryAfter, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** True for failures worth retrying with backoff. */
  @Override
  public boolean transientFailure() {
    return kind == Kind.SEALED || kind == Kind.RATE_LIMITED || kind == Kind.SERVER_ERROR || kind == Kind.TIMEOUT
        || kind == Kind.IO;
  }
}
