package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * How to reach and log in to Vault: what every resource that reads Vault needs. TokenRotation's
 * {@link VaultSpec} adds the secret it rotates; TokenCleanupPolicy uses it alone, to read its
 * management token.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VaultConnectionSpec {
  @Required
  @Pattern(ApiPatterns.HTTP_URL)
  @Size(max = 2048)
  @JsonPropertyDescription(
      "Vault address, e.g. https://vault.example:8200; must be one the cluster admin allows (operator setting ALLOWED_VAULT_ADDRESSES).")
  private String address;

  @Size(max = 256)
  @JsonPropertyDescription(
      "Vault Enterprise/OpenBao namespace (X-Vault-Namespace); empty for none.")
  private String namespace;

  @Default("secret")
  @Pattern(ApiPatterns.VAULT_PATH)
  @Size(max = 256)
  @JsonPropertyDescription("KV mount path, without slashes at either end.")
  private String mount;

  @Default("auto")
  @Pattern("^(auto|1|2)$")
  @JsonPropertyDescription("KV engine version: auto (detect like the Vault CLI), 1 or 2.")
  private String kvVersion;

  @Required
  @JsonPropertyDescription(
      "How the operator logs in to Vault for this resource: exactly one method.")
  private VaultAuthSpec auth;

  @JsonPropertyDescription(
      "A Secret key in this namespace with the PEM CA bundle that signs Vault's certificate.")
  private SecretKeyRef caSecretRef;

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getMount() {
    return mount;
  }

  public void setMount(String mount) {
    this.mount = mount;
  }

  public String getKvVersion() {
    return kvVersion;
  }

  public void setKvVersion(String kvVersion) {
    this.kvVersion = kvVersion;
  }

  public VaultAuthSpec getAuth() {
    return auth;
  }

  public void setAuth(VaultAuthSpec auth) {
    this.auth = auth;
  }

  public SecretKeyRef getCaSecretRef() {
    return caSecretRef;
  }

  public void setCaSecretRef(SecretKeyRef caSecretRef) {
    this.caSecretRef = caSecretRef;
  }
}
