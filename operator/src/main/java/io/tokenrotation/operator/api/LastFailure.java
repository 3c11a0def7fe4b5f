package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;
import java.util.Objects;

/**
 * The latest failed attempt, as facts: the conditions are derived from it
 * (status/RotationStatusAggregator), and the planner reads it to keep a failing resource within its
 * budget (one attempt per backoff step or recheck).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LastFailure {
  @JsonPropertyDescription(
      "Condition reason of the failure, e.g. DynatraceForbidden or VaultUnavailable.")
  private String reason;

  @JsonPropertyDescription(
      "What failed and what to check, in the operator's own words (never upstream text).")
  private String message;

  @JsonPropertyDescription(
      "True when only a human can fix it (the resource is Stalled); false for a transient "
          + "failure retried with backoff.")
  private Boolean stalled;

  @JsonPropertyDescription(
      "The rotate-requested-at annotation when the attempt failed: a new value earns one "
          + "attempt at once.")
  private String rotateRequest;

  @JsonPropertyDescription(
      "When the next attempt may run: the end of the backoff step (transient) or the next "
          + "recheck (stalled). A spec change or a new rotate request earns one attempt before that.")
  private String nextAttemptTime;

  public static LastFailure of(
      String reason, String message, boolean stalled, String rotateRequest) {
    LastFailure f = new LastFailure();
    f.setReason(reason);
    f.setMessage(message);
    f.setStalled(stalled);
    f.setRotateRequest(rotateRequest);
    return f;
  }

  public boolean isStalled() {
    return Boolean.TRUE.equals(stalled);
  }

  public String getNextAttemptTime() {
    return nextAttemptTime;
  }

  public void setNextAttemptTime(String nextAttemptTime) {
    this.nextAttemptTime = nextAttemptTime;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public Boolean getStalled() {
    return stalled;
  }

  public void setStalled(Boolean stalled) {
    this.stalled = stalled;
  }

  public String getRotateRequest() {
    return rotateRequest;
  }

  public void setRotateRequest(String rotateRequest) {
    this.rotateRequest = rotateRequest;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LastFailure f
        && Objects.equals(reason, f.reason)
        && Objects.equals(message, f.message)
        && Objects.equals(stalled, f.stalled)
        && Objects.equals(rotateRequest, f.rotateRequest)
        && Objects.equals(nextAttemptTime, f.nextAttemptTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, message, stalled, rotateRequest, nextAttemptTime);
  }

  /** {@code nextAttemptTime} as an instant (null when unset or unreadable). */
  public Instant nextAttemptAt() {
    return Timestamps.parse(nextAttemptTime);
  }

  /** Sets {@code nextAttemptTime} from an instant (RFC 3339, UTC; null clears it). */
  public void nextAttemptAt(Instant at) {
    this.nextAttemptTime = Timestamps.format(at);
  }
}
