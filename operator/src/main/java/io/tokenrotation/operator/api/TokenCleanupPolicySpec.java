package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Which tokens of a Dynatrace environment to find, how often, and what to do with them: the user's
 * declaration.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.dynatrace.managementToken.vault) || has(self.vault)",
    message = "spec.vault is required when dynatrace.managementToken.vault is set")
public class TokenCleanupPolicySpec extends LenientlyRead {
  @Required
  @Pattern(ApiPatterns.AT_LEAST_A_MINUTE)
  @JsonPropertyDescription(
      "How often to look: Go duration units plus d and w, e.g. 1h, 24h, 7d. Minimum 1m.")
  private String interval;

  @JsonPropertyDescription(
      "The Vault connection the management token is read from (only with"
          + " dynatrace.managementToken.vault).")
  private VaultConnectionSpec vault;

  @Required
  @JsonPropertyDescription(
      "The Dynatrace environment and the management token that lists (and disables or deletes)"
          + " tokens.")
  private DynatraceSpec dynatrace;

  @Required
  @JsonPropertyDescription(
      "Which tokens are candidates; at least one criterion, all given criteria must hold.")
  private CleanupSelector selector;

  @JsonPropertyDescription("Tokens never touched, whatever the selector says.")
  private CleanupExclude exclude;

  @Default("Report")
  @JsonPropertyDescription("Report (dry run, the default), Disable or Delete.")
  private CleanupAction action;

  @Default("10")
  @Min(1)
  @Max(500)
  @JsonPropertyDescription(
      "Blast-radius limit: at most this many tokens are disabled or deleted per run.")
  private Integer maxPerRun;

  @JsonPropertyDescription("true stops runs until set back to false.")
  private Boolean suspend;

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }

  public VaultConnectionSpec getVault() {
    return vault;
  }

  public void setVault(VaultConnectionSpec vault) {
    this.vault = vault;
  }

  public DynatraceSpec getDynatrace() {
    return dynatrace;
  }

  public void setDynatrace(DynatraceSpec dynatrace) {
    this.dynatrace = dynatrace;
  }

  public CleanupSelector getSelector() {
    return selector;
  }

  public void setSelector(CleanupSelector selector) {
    this.selector = selector;
  }

  public CleanupExclude getExclude() {
    return exclude;
  }

  public void setExclude(CleanupExclude exclude) {
    this.exclude = exclude;
  }

  public CleanupAction getAction() {
    return action;
  }

  public void setAction(CleanupAction action) {
    this.action = action;
  }

  public Integer getMaxPerRun() {
    return maxPerRun;
  }

  public void setMaxPerRun(Integer maxPerRun) {
    this.maxPerRun = maxPerRun;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }
}
