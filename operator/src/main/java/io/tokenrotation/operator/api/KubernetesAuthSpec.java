package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Vault Kubernetes auth: the operator requests a short-lived JWT for the service account and logs
 * in with it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubernetesAuthSpec {
  @Required
  @Size(min = 1, max = 256)
  @JsonPropertyDescription("Vault role to log in as.")
  private String role;

  @Default("kubernetes")
  @Pattern(ApiPatterns.VAULT_PATH)
  @JsonPropertyDescription("Mount path of the Kubernetes auth method.")
  private String mountPath;

  @Default("default")
  @Pattern(ApiPatterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription(
      "Service account of this resource's namespace whose token is presented to Vault; it must carry the annotation tokenrotation.io/vault-login: \"true\" (the namespace admin's opt-in).")
  private String serviceAccount;

  @Size(max = 256)
  @JsonPropertyDescription(
      "Audience of the requested service-account token: VAULT_K8S_AUDIENCE of the operator when empty, else one of its ALLOWED_VAULT_AUDIENCES.")
  private String audience;

  public String getRole() {
    return role;
  }

  public void setRole(String role) {
    this.role = role;
  }

  public String getMountPath() {
    return mountPath;
  }

  public void setMountPath(String mountPath) {
    this.mountPath = mountPath;
  }

  public String getServiceAccount() {
    return serviceAccount;
  }

  public void setServiceAccount(String serviceAccount) {
    this.serviceAccount = serviceAccount;
  }

  public String getAudience() {
    return audience;
  }

  public void setAudience(String audience) {
    this.audience = audience;
  }
}
