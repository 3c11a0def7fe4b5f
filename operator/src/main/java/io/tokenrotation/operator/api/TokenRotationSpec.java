package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** What to rotate, where it lives and how often: the user's declaration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.interval) || has(self.schedule)",
    message = "interval or schedule is required",
    fieldPath = ".interval",
    reason = "FieldValueRequired")
public class TokenRotationSpec extends LenientlyRead {
  @Pattern(ApiPatterns.AT_LEAST_A_MINUTE)
  @JsonPropertyDescription(
      "How often to rotate: Go duration units plus d and w, e.g. 90m, 24h, 7d. Minimum 1m."
          + " Required unless schedule is set; with both, a due rotation waits for the schedule.")
  private String interval;

  @JsonPropertyDescription(
      "Rotate on a cron schedule, optionally only inside a maintenance window after each run.")
  private ScheduleSpec schedule;

  @Required
  @JsonPropertyDescription("Where the token lives in Vault and how to log in.")
  private VaultSpec vault;

  @Required
  @JsonPropertyDescription(
      "The Dynatrace environment and the management token that performs the API calls.")
  private DynatraceSpec dynatrace;

  @JsonPropertyDescription(
      "How successor tokens are created (defaults: the old token's name and scopes).")
  private NewTokenSpec newToken;

  @JsonPropertyDescription("What happens to a replaced token, and when.")
  private OldTokenSpec oldToken;

  @JsonPropertyDescription("true stops rotations until set back to false.")
  private Boolean suspend;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Kubernetes Secrets in this namespace that receive the current token, written after Vault"
          + " holds it and before the old token is retired.")
  private List<SecretTarget> secretTargets;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Workloads in this namespace restarted (as kubectl rollout restart does) after a secret"
          + " target changed to a new token; the old token is retired only after the restart.")
  private List<RolloutRestartTarget> rolloutRestartTargets;

  @Default("30s")
  @Pattern(ApiPatterns.DURATION)
  @JsonPropertyDescription(
      "Restarts wait this long after a Secret changed, and this long after the previous restart:"
          + " several rotations in a short time cause one restart.")
  private String rolloutRestartDebounce;

  @Default("Retain")
  @JsonPropertyDescription(
      "Retain keeps the current token when this resource is deleted; Revoke deletes it.")
  private DeletionPolicy deletionPolicy;

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }

  public ScheduleSpec getSchedule() {
    return schedule;
  }

  public void setSchedule(ScheduleSpec schedule) {
    this.schedule = schedule;
  }

  public VaultSpec getVault() {
    return vault;
  }

  public void setVault(VaultSpec vault) {
    this.vault = vault;
  }

  public DynatraceSpec getDynatrace() {
    return dynatrace;
  }

  public void setDynatrace(DynatraceSpec dynatrace) {
    this.dynatrace = dynatrace;
  }

  public NewTokenSpec getNewToken() {
    return newToken;
  }

  public void setNewToken(NewTokenSpec newToken) {
    this.newToken = newToken;
  }

  public OldTokenSpec getOldToken() {
    return oldToken;
  }

  public void setOldToken(OldTokenSpec oldToken) {
    this.oldToken = oldToken;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public List<SecretTarget> getSecretTargets() {
    return secretTargets;
  }

  public void setSecretTargets(List<SecretTarget> secretTargets) {
    this.secretTargets = secretTargets;
  }

  public List<RolloutRestartTarget> getRolloutRestartTargets() {
    return rolloutRestartTargets;
  }

  public void setRolloutRestartTargets(List<RolloutRestartTarget> rolloutRestartTargets) {
    this.rolloutRestartTargets = rolloutRestartTargets;
  }

  public String getRolloutRestartDebounce() {
    return rolloutRestartDebounce;
  }

  public void setRolloutRestartDebounce(String rolloutRestartDebounce) {
    this.rolloutRestartDebounce = rolloutRestartDebounce;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }
}
