package io.tokenrotation.operator.dynatrace;

import io.tokenrotation.operator.http.UpstreamException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A failed Dynatrace call. The message is built by the client from the operation, the status and
 * the upstream error code only; it never contains a token and is safe to log (not to copy verbatim
 * into status: use the kind). A malformed answer's message names the field or shape that was wrong,
 * never the answer's text.
 */
public class DynatraceException extends UpstreamException {

  /** What went wrong, as the reconciler needs to tell it apart. */
  public enum Kind {
    BAD_REQUEST,
    UNAUTHORIZED,
    FORBIDDEN,
    NOT_FOUND,
    RATE_LIMITED,
    SERVER_ERROR,
    TIMEOUT,
    IO,
    /**
     * Dynatrace (or whatever answers at the environment URL) answered, but not what the API
     * contract says: a success that is not JSON (an HTML login or proxy page), JSON of another
     * shape, a required field missing or of the wrong type, a date that does not parse, or a
     * redirect. Transient like a 5xx (a proxy page is often passing), so retried with backoff,
     * never at once.
     */
    MALFORMED_RESPONSE
  }

  private final Kind kind;
  private final String operation;

  /**
   * The error envelope Dynatrace answered with, if any (masked of secrets); for the client's own
   * decisions only.
   */
  private final ErrorEnvelope envelope;

  private final List<String> refusedScopes;

  public DynatraceException(
      Kind kind, int status, String message, Duration retryAfter, Throwable cause) {
    this(kind, null, status, message, retryAfter, cause, null, List.of());
  }

  private DynatraceException(
      Kind kind,
      String operation,
      int status,
      String message,
      Duration retryAfter,
      Throwable cause,
      ErrorEnvelope envelope,
      List<String> refusedScopes) {
    super(status, message, retryAfter, cause);
    this.kind = kind;
    this.operation = operation;
    this.envelope = envelope;
    this.refusedScopes = List.copyOf(refusedScopes);
  }

  /** An error answer from Dynatrace, with its parsed envelope when it sent one. */
  static DynatraceException answered(
      Kind kind, int status, String message, Duration retryAfter, ErrorEnvelope envelopeOrNull) {
    return new DynatraceException(
        kind, null, status, message, retryAfter, null, envelopeOrNull, List.of());
  }

  /** This refusal of a create, naming the scopes of the request Dynatrace refused. */
  DynatraceException refusingScopes(List<String> scopes) {
    return new DynatraceException(
        kind,
        operation,
        status(),
        getMessage(),
        retryAfter().orElse(null),
        getCause(),
        envelope,
        scopes);
  }

  /**
   * A {@link Kind#MALFORMED_RESPONSE}: {@code operation} is the client's name of the call (lookup,
   * create, get, list, enable, disable, delete), {@code problem} what was wrong in our words
   * ("scopes is missing").
   */
  public static DynatraceException malformed(String operation, int status, String problem) {
    return new DynatraceException(
        Kind.MALFORMED_RESPONSE,
        operation,
        status,
        "Dynatrace "
            + operation
            + ": HTTP "
            + status
            + " answer does not match the API: "
            + problem,
        null,
        null,
        null,
        List.of());
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The call that got a malformed answer (set for {@link Kind#MALFORMED_RESPONSE}), to name it in
   * status.
   */
  public Optional<String> operation() {
    return Optional.ofNullable(operation);
  }

  Optional<ErrorEnvelope> envelope() {
    return Optional.ofNullable(envelope);
  }

  /**
   * For a create refused with 400: the scopes of the request that Dynatrace's envelope names as
   * refused (a retired or unknown scope), as we sent them; empty when it names none.
   */
  public List<String> refusedScopes() {
    return refusedScopes;
  }

  /**
   * Our own client-side limiter refused the call before it was sent: not a failure, just "later".
   */
  public boolean locallyThrottled() {
    return kind == Kind.RATE_LIMITED && status() == 0;
  }

  /** True for failures worth retrying with backoff: 429, 5xx, time-outs, I/O, malformed answers. */
  @Override
  public boolean transientFailure() {
    return kind == Kind.RATE_LIMITED
        || kind == Kind.SERVER_ERROR
        || kind == Kind.TIMEOUT
        || kind == Kind.IO
        || kind == Kind.MALFORMED_RESPONSE;
  }
}
