package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * Which Vault secret field a token came from, as structured data: compared for identity (has
 * spec.vault moved to another secret?), where the human-readable {@code vaultSecret} string beside
 * it is only displayed — so its wording may change without any resource re-adopting.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VaultSecretRef {
  /** Vault address, without a trailing slash. */
  private String address;

  /** Vault Enterprise namespace; empty for none. */
  private String namespace;

  /** KV mount. */
  private String mount;

  /** Secret path under the mount. */
  private String path;

  /** Field of the secret that holds the token. */
  private String field;

  public VaultSecretRef() {}

  public static VaultSecretRef of(
      String address, String namespace, String mount, String path, String field) {
    VaultSecretRef ref = new VaultSecretRef();
    ref.address = address == null ? null : address.replaceAll("/+$", "");
    ref.namespace = namespace == null ? "" : namespace;
    ref.mount = mount;
    ref.path = path;
    ref.field = field;
    return ref;
  }

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

  /**
   * The same secret field: address (trailing slashes aside), namespace (null = none), mount, path,
   * field.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof VaultSecretRef other
        && Objects.equals(strip(address), strip(other.address))
        && Objects.equals(
            Objects.requireNonNullElse(namespace, ""),
            Objects.requireNonNullElse(other.namespace, ""))
        && Objects.equals(mount, other.mount)
        && Objects.equals(path, other.path)
        && Objects.equals(field, other.field);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        strip(address), Objects.requireNonNullElse(namespace, ""), mount, path, field);
  }

  private static String strip(String address) {
    return address == null ? null : address.replaceAll("/+$", "");
  }

  @Override
  public String toString() {
    return address
        + (namespace == null || namespace.isEmpty() ? "" : " [" + namespace + "]")
        + " "
        + mount
        + "/"
        + path
        + "#"
        + field;
  }
}
