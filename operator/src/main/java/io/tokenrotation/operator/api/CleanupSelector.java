package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Which tokens a TokenCleanupPolicy is about. Every criterion given must hold (AND); a list
 * criterion holds when any of its entries does. An empty selector would match every token of the
 * environment, so at least one is required.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "has(self.unusedFor) || has(self.owners) || has(self.namePattern) || has(self.scopesAny)",
    message = "selector needs at least one criterion: unusedFor, owners, namePattern or scopesAny")
public class CleanupSelector {
  @Pattern(ApiPatterns.DURATION)
  @JsonPropertyDescription(
      "Last used longer ago than this, or never used and created longer ago than this"
          + " (e.g. 90d). Minimum 1d.")
  private String unusedFor;

  @Size(min = 1, max = 100)
  @JsonPropertyDescription(
      "Tokens owned by one of these users (Dynatrace owner, e.g. someone who left).")
  private List<@Size(min = 1, max = 256) String> owners;

  @Size(min = 1, max = 256)
  @JsonPropertyDescription("RE2 regular expression the whole token name must match, e.g. ci-.* .")
  private String namePattern;

  @Size(min = 1, max = 200)
  @JsonPropertyDescription("Tokens that have at least one of these scopes.")
  private List<@Pattern(ApiPatterns.SCOPE) String> scopesAny;

  public String getUnusedFor() {
    return unusedFor;
  }

  public void setUnusedFor(String unusedFor) {
    this.unusedFor = unusedFor;
  }

  public List<String> getOwners() {
    return owners;
  }

  public void setOwners(List<String> owners) {
    this.owners = owners;
  }

  public String getNamePattern() {
    return namePattern;
  }

  public void setNamePattern(String namePattern) {
    this.namePattern = namePattern;
  }

  public List<String> getScopesAny() {
    return scopesAny;
  }

  public void setScopesAny(List<String> scopesAny) {
    this.scopesAny = scopesAny;
  }
}
