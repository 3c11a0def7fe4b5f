package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Exactly one way to log in to Vault. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.kubernetes) != has(self.tokenSecretRef)",
    message = "exactly one of kubernetes or tokenSecretRef must be set")
public class VaultAuthSpec {
  @JsonPropertyDescription(
      "Vault Kubernetes auth as a service account of this resource's namespace.")
  private KubernetesAuthSpec kubernetes;

  @JsonPropertyDescription("A Vault token stored in a Secret of this resource's namespace.")
  private SecretKeyRef tokenSecretRef;

  public KubernetesAuthSpec getKubernetes() {
    return kubernetes;
  }

  public void setKubernetes(KubernetesAuthSpec kubernetes) {
    this.kubernetes = kubernetes;
  }

  public SecretKeyRef getTokenSecretRef() {
    return tokenSecretRef;
  }

  public void setTokenSecretRef(SecretKeyRef tokenSecretRef) {
    this.tokenSecretRef = tokenSecretRef;
  }
}
