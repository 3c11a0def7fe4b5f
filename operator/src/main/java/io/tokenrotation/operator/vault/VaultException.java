package io.tokenrotation.operator.vault;

import io.tokenrotation.operator.http.UpstreamException;
import java.time.Duration;
import java.util.Optional;

/**
 * A failed Vault call. The message names the operation, path and status only: never a token or
 * secret value.
 */
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
    RATE_LIMITED,
    SERVER_ERROR,
    TIMEOUT,
    IO,
    /** Login (Kubernetes/AppRole) refused, or the credentials to log in could not be obtained. */
    AUTH_FAILED,
    /**
     * Vault (or whatever answers at the address) answered, but not what its API says: a success
     * that is not JSON (an HTML login or proxy page), JSON of another shape, a field the client
     * reads missing or of the wrong type, or a redirect. Transient like a 5xx, so retried with
     * backoff, never at once.
     */
    MALFORMED_RESPONSE
  }

  private final Kind kind;
  private final String call;

  public VaultException(
      Kind kind, int status, String message, Duration retryAfter, Throwable cause) {
    this(kind, null, status, message, retryAfter, cause);
  }

  private VaultException(
      Kind kind, String call, int status, String message, Duration retryAfter, Throwable cause) {
    super(status, message, retryAfter, cause);
    this.kind = kind;
    this.call = call;
  }

  /**
   * A {@link Kind#MALFORMED_RESPONSE}. {@code call} names the operation and where, as the client's
   * messages do ("read secret/dynatrace/app", "login at auth/kubernetes"); {@code problem} says
   * what was wrong in our words ("data.metadata.version is missing"), never with a value from the
   * answer.
   */
  public static VaultException malformed(String call, int status, String problem) {
    return new VaultException(
        Kind.MALFORMED_RESPONSE,
        call,
        status,
        "Vault " + call + ": HTTP " + status + " answer does not match the API: " + problem,
        null,
        null);
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The call that got a malformed answer (set for {@link Kind#MALFORMED_RESPONSE}), to name it in
   * status.
   */
  public Optional<String> call() {
    return Optional.ofNullable(call);
  }

  /** True for failures worth retrying with backoff. */
  @Override
  public boolean transientFailure() {
    return kind == Kind.SEALED
        || kind == Kind.RATE_LIMITED
        || kind == Kind.SERVER_ERROR
        || kind == Kind.TIMEOUT
        || kind == Kind.IO
        || kind == Kind.MALFORMED_RESPONSE;
  }
}
