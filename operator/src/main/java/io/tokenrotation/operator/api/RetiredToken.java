package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** A replaced token waiting for its retirement. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetiredToken {
  /** Public token id. */
  private String id;

  /** What to do when due. */
  private RetireAction action;

  /** When the next step is due (RFC 3339). */
  private String dueAt;

  /** For DisableThenDelete: when the token was disabled. */
  private String disabledAt;

  /**
   * A disabled token's lastUsedDate (Dynatrace) when it is later than {@code disabledAt}: a
   * consumer still presents the old token and did not pick up the new one.
   */
  private String usedAfterDisableAt;

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public RetireAction getAction() {
    return action;
  }

  public void setAction(RetireAction action) {
    this.action = action;
  }

  public String getDueAt() {
    return dueAt;
  }

  public void setDueAt(String dueAt) {
    this.dueAt = dueAt;
  }

  public String getDisabledAt() {
    return disabledAt;
  }

  public void setDisabledAt(String disabledAt) {
    this.disabledAt = disabledAt;
  }

  public String getUsedAfterDisableAt() {
    return usedAfterDisableAt;
  }

  public void setUsedAfterDisableAt(String usedAfterDisableAt) {
    this.usedAfterDisableAt = usedAfterDisableAt;
  }

  /** {@code usedAfterDisableAt} as an instant (null when unset or unreadable). */
  public Instant usedAfterDisableAt() {
    return Timestamps.parse(usedAfterDisableAt);
  }

  /** {@code dueAt} as an instant (null when unset or unreadable). */
  public Instant dueAt() {
    return Timestamps.parse(dueAt);
  }

  /** Sets {@code dueAt} from an instant (RFC 3339, UTC; null clears it). */
  public void dueAt(Instant at) {
    this.dueAt = Timestamps.format(at);
  }

  /** {@code disabledAt} as an instant (null when unset or unreadable). */
  public Instant disabledAt() {
    return Timestamps.parse(disabledAt);
  }

  /** Sets {@code disabledAt} from an instant (RFC 3339, UTC; null clears it). */
  public void disabledAt(Instant at) {
    this.disabledAt = Timestamps.format(at);
  }
}
