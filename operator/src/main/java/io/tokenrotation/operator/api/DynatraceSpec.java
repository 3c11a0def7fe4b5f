package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The Dynatrace environment and its management token. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DynatraceSpec {
  @Required
  @Pattern(ApiPatterns.HTTP_URL)
  @Size(max = 2048)
  @JsonPropertyDescription(
      "Environment URL, e.g. https://abc12345.live.dynatrace.com or https://host/e/ENV-ID; must be one the cluster admin allows (operator setting ALLOWED_DYNATRACE_URLS).")
  private String environmentUrl;

  @Required
  @JsonPropertyDescription(
      "Where the token with apiTokens.read/apiTokens.write is kept: exactly one of vault or secretRef.")
  private ManagementTokenSpec managementToken;

  public String getEnvironmentUrl() {
    return environmentUrl;
  }

  public void setEnvironmentUrl(String environmentUrl) {
    this.environmentUrl = environmentUrl;
  }

  public ManagementTokenSpec getManagementToken() {
    return managementToken;
  }

  public void setManagementToken(ManagementTokenSpec managementToken) {
    this.managementToken = managementToken;
  }
}
