package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;

/**
 * What every resource of this operator reports the Kubernetes way (kstatus): the generation
 * observed, the conditions, and the consecutive failures its backoff is computed from.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ReconcileStatus extends LenientlyRead {
  private Long observedGeneration;

  private Integer failedAttempts;

  private String lastFailureTime;

  @JsonPropertyDescription(
      "The latest failed attempt and when the next one may run (cleared by the next success).")
  private LastFailure lastFailure;

  private List<Condition> conditions;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Integer getFailedAttempts() {
    return failedAttempts;
  }

  public void setFailedAttempts(Integer failedAttempts) {
    this.failedAttempts = failedAttempts;
  }

  public String getLastFailureTime() {
    return lastFailureTime;
  }

  public void setLastFailureTime(String lastFailureTime) {
    this.lastFailureTime = lastFailureTime;
  }

  public LastFailure getLastFailure() {
    return lastFailure;
  }

  public void setLastFailure(LastFailure lastFailure) {
    this.lastFailure = lastFailure;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  /** {@code lastFailureTime} as an instant (null when unset or unreadable). */
  public Instant lastFailureAt() {
    return Timestamps.parse(lastFailureTime);
  }

  /** Sets {@code lastFailureTime} from an instant (RFC 3339, UTC; null clears it). */
  public void lastFailureAt(Instant at) {
    this.lastFailureTime = Timestamps.format(at);
  }
}
