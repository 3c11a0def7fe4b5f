package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A token a TokenCleanupPolicy matched: its public metadata, why it matched and what became of it.
 * Never a secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CleanupCandidate {
  /** The run's outcome for one candidate. */
  public enum Outcome {
    /** Dry run (action Report): nothing was changed. */
    Reported,
    Disabled,
    Deleted,
    /** Over maxPerRun: left for a later run. */
    Deferred;

    /** By exact name only (see Enums). */
    @JsonCreator
    static Outcome of(String name) {
      return Enums.named(Outcome.class, name);
    }
  }

  /** Public token id. */
  private String id;

  private String name;

  private String owner;

  /** When Dynatrace created the token (RFC 3339). */
  private String creationDate;

  /** When the token was last used (RFC 3339); absent = never. */
  private String lastUsedDate;

  /** Which criteria matched, in words. */
  private String reason;

  private Outcome outcome;

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getOwner() {
    return owner;
  }

  public void setOwner(String owner) {
    this.owner = owner;
  }

  public String getCreationDate() {
    return creationDate;
  }

  public void setCreationDate(String creationDate) {
    this.creationDate = creationDate;
  }

  public String getLastUsedDate() {
    return lastUsedDate;
  }

  public void setLastUsedDate(String lastUsedDate) {
    this.lastUsedDate = lastUsedDate;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public Outcome getOutcome() {
    return outcome;
  }

  public void setOutcome(Outcome outcome) {
    this.outcome = outcome;
  }

  /** {@code creationDate} as an instant (null when unset or unreadable). */
  public Instant createdAt() {
    return Timestamps.parse(creationDate);
  }

  /** Sets {@code creationDate} from an instant (RFC 3339, UTC; null clears it). */
  public void createdAt(Instant at) {
    this.creationDate = Timestamps.format(at);
  }

  /** {@code lastUsedDate} as an instant (null when unset or unreadable). */
  public Instant lastUsedAt() {
    return Timestamps.parse(lastUsedDate);
  }

  /** Sets {@code lastUsedDate} from an instant (RFC 3339, UTC; null clears it). */
  public void lastUsedAt(Instant at) {
    this.lastUsedDate = Timestamps.format(at);
  }
}
