package io.tokenrotation.operator.dynatrace;

import io.tokenrotation.operator.http.UpstreamException;
import java.time.Duration;

/**
 * A failed Dynatrace call. The message is built by the client from the operation, the status and the upstream
 * error code only; it never contains a token and is safe to log (not to copy verbatim into status: use the kind).
 */
public class DynatraceException extends UpstreamException {

  /** What went wrong, as the reconciler needs to tell it apart. */
  public enum Kind {
    BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, RATE_LIMITED, SERVER_ERROR, TIMEOUT, IO
  }

  private final Kind kind;

  public DynatraceException(Kind kind, int status, String message, Duration retryAfter, Throwable cause) {
    super(status, message, retryAfter, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** Our own client-side limiter refused the call before it was sent: not a failure, just "later". */
  public boolean locallyThrottled() {
    return kind == Kind.RATE_LIMITED && status() == 0;
  }

  /** True for failures worth retrying with backoff: 429, 5xx, time-outs, I/O. */
  @Override
  public boolean transientFailure() {
    return kind == Kind.RATE_LIMITED || kind == Kind.SERVER_ERROR || kind == Kind.TIMEOUT || kind == Kind.IO;
  }
}
