package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Exactly one source of the management token. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.vault) != has(self.secretRef)",
    message = "exactly one of vault or secretRef must be set")
public class ManagementTokenSpec {
  @JsonPropertyDescription(
      "A field of a secret on the same Vault connection (mount and auth of spec.vault).")
  private VaultFieldRef vault;

  @JsonPropertyDescription("A key of a Secret in this resource's namespace.")
  private SecretKeyRef secretRef;

  public VaultFieldRef getVault() {
    return vault;
  }

  public void setVault(VaultFieldRef vault) {
    this.vault = vault;
  }

  public SecretKeyRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretKeyRef secretRef) {
    this.secretRef = secretRef;
  }
}
