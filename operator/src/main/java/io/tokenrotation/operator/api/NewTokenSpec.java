package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** How successor tokens are created. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NewTokenSpec {
  @Size(max = 256)
  @JsonPropertyDescription("Name of new tokens; default: the old token's name.")
  private String name;

  @Size(max = 200)
  @JsonPropertyDescription(
      "Scopes of new tokens; default: the old token's scopes. Also used to create the first token when the secret does not exist.")
  private List<String> scopes;

  @Pattern(ApiPatterns.AT_LEAST_A_MINUTE)
  @JsonPropertyDescription(
      "Optional lifetime of every new token (sets expirationDate); at least spec.interval.")
  private String expiresAfter;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public List<String> getScopes() {
    return scopes;
  }

  public void setScopes(List<String> scopes) {
    this.scopes = scopes;
  }

  public String getExpiresAfter() {
    return expiresAfter;
  }

  public void setExpiresAfter(String expiresAfter) {
    this.expiresAfter = expiresAfter;
  }
}
