package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a Secret in the resource's own namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {
  @Required
  @Pattern(ApiPatterns.DNS_SUBDOMAIN)
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Secret name (same namespace as the resource).")
  private String name;

  @Required
  @Pattern(ApiPatterns.SECRET_KEY)
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Key inside the Secret.")
  private String key;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
