package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** What happens to a replaced token. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OldTokenSpec {
  @Default("DisableThenDelete")
  @JsonPropertyDescription(
      "DisableThenDelete (default, Dynatrace's own rotation recipe: disable, delete deleteAfter"
          + " later, so a forgotten consumer shows up while the token can still be re-enabled),"
          + " Delete, or Disable.")
  private RetireAction action;

  @Default("5m")
  @Pattern(ApiPatterns.DURATION)
  @JsonPropertyDescription("Wait after Vault holds the new token before acting on the old one.")
  private String gracePeriod;

  @Default("7d")
  @Pattern(ApiPatterns.DURATION)
  @JsonPropertyDescription("For DisableThenDelete: wait after disabling before deleting.")
  private String deleteAfter;

  public RetireAction getAction() {
    return action;
  }

  public void setAction(RetireAction action) {
    this.action = action;
  }

  public String getGracePeriod() {
    return gracePeriod;
  }

  public void setGracePeriod(String gracePeriod) {
    this.gracePeriod = gracePeriod;
  }

  public String getDeleteAfter() {
    return deleteAfter;
  }

  public void setDeleteAfter(String deleteAfter) {
    this.deleteAfter = deleteAfter;
  }
}
