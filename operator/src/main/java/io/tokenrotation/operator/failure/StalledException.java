package io.tokenrotation.operator.failure;

/**
 * A failure only a human can fix; the message is short, sanitized and shown in the Stalled
 * condition.
 */
public class StalledException extends RuntimeException {
  private final String reason;

  public StalledException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
