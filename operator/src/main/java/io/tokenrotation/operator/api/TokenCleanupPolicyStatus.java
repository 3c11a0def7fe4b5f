package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * What the last run found and did. A report, not a journal: every action is idempotent. Never holds
 * a secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TokenCleanupPolicyStatus extends ReconcileStatus {
  /** When the last complete run finished (RFC 3339). */
  private String lastRunTime;

  /** When the next run is due (RFC 3339). */
  private String nextRunTime;

  /** Tokens the last run matched and may act on (protected ones not counted). */
  private Integer matched;

  /** Tokens the last run disabled or deleted (at most maxPerRun; 0 for Report). */
  private Integer acted;

  /**
   * Tokens the selector matched but that are protected (used by a TokenRotation, the management
   * token, excluded).
   */
  private Integer protectedMatches;

  /**
   * The first candidates of the last run (at most 50; {@code matched} counts them all), stalest
   * first.
   */
  private List<CleanupCandidate> candidates;

  /**
   * Tokens acted on by attempts of a run that has not completed yet; they count against maxPerRun.
   */
  private Integer actedInUnfinishedRun;

  public String getLastRunTime() {
    return lastRunTime;
  }

  public void setLastRunTime(String lastRunTime) {
    this.lastRunTime = lastRunTime;
  }

  public String getNextRunTime() {
    return nextRunTime;
  }

  public void setNextRunTime(String nextRunTime) {
    this.nextRunTime = nextRunTime;
  }

  public Integer getMatched() {
    return matched;
  }

  public void setMatched(Integer matched) {
    this.matched = matched;
  }

  public Integer getActed() {
    return acted;
  }

  public void setActed(Integer acted) {
    this.acted = acted;
  }

  public Integer getProtectedMatches() {
    return protectedMatches;
  }

  public void setProtectedMatches(Integer protectedMatches) {
    this.protectedMatches = protectedMatches;
  }

  public List<CleanupCandidate> getCandidates() {
    return candidates;
  }

  public void setCandidates(List<CleanupCandidate> candidates) {
    this.candidates = candidates;
  }

  public Integer getActedInUnfinishedRun() {
    return actedInUnfinishedRun;
  }

  public void setActedInUnfinishedRun(Integer actedInUnfinishedRun) {
    this.actedInUnfinishedRun = actedInUnfinishedRun;
  }

  /** {@code lastRunTime} as an instant (null when unset or unreadable). */
  public Instant lastRunAt() {
    return Timestamps.parse(lastRunTime);
  }

  /** Sets {@code lastRunTime} from an instant (RFC 3339, UTC; null clears it). */
  public void lastRunAt(Instant at) {
    this.lastRunTime = Timestamps.format(at);
  }

  /** {@code nextRunTime} as an instant (null when unset or unreadable). */
  public Instant nextRunAt() {
    return Timestamps.parse(nextRunTime);
  }

  /** Sets {@code nextRunTime} from an instant (RFC 3339, UTC; null clears it). */
  public void nextRunAt(Instant at) {
    this.nextRunTime = Timestamps.format(at);
  }
}
