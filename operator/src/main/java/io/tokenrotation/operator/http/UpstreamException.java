package io.tokenrotation.operator.http;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed call to Vault or Dynatrace: the HTTP status (0 when no answer came) and how long the
 * upstream asked us to wait, if it did. Subclasses add the service's own kinds. Messages never
 * carry a secret.
 */
public abstract class UpstreamException extends RuntimeException {
  private final int status;
  private final Duration retryAfter;

  protected UpstreamException(int status, String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.retryAfter = retryAfter;
  }

  /** The HTTP status, or 0 when no answer came. */
  public int status() {
    return status;
  }

  /** How long the upstream asked us to wait (429 reset, Retry-After), when it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** True for failures worth retrying with backoff. */
  public abstract boolean transientFailure();
}
