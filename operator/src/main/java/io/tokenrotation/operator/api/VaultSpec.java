package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The Vault connection and the KV secret that holds the token. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VaultSpec extends VaultConnectionSpec {
  @Required
  @Pattern(ApiPatterns.VAULT_PATH)
  @Size(max = 512)
  @JsonPropertyDescription("Secret path inside the mount: no leading slash, no '..'.")
  private String path;

  @Default("token")
  @Pattern(ApiPatterns.FIELD)
  @Size(min = 1, max = 256)
  @JsonPropertyDescription("Field of the secret that holds the token.")
  private String field;

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public String getField() {
    return field;
  }

  public void setField(String field) {
    this.field = field;
  }
}
