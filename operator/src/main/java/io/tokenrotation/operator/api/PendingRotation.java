package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** A rotation in flight, persisted before each external side effect so a crash can be recovered. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PendingRotation {
  /** When the rotation started (RFC 3339). */
  private String startedAt;

  /** The token being replaced; null when bootstrapping a missing secret. */
  private String oldTokenId;

  /** The successor, once Dynatrace created it. */
  private String newTokenId;

  /** Name given to the successor (needed to find an orphan after a crash). */
  private String tokenName;

  /** Scopes given to the successor. */
  private List<String> scopes;

  /** KV version the rotation read; the Vault write is check-and-set against it. */
  private Long vaultVersion;

  /** The Vault secret field this rotation reads and writes (see status.vaultSecret). */
  private String vaultSecret;

  /**
   * Which Vault secret field that is, structured (address, namespace, mount, path, field): what the
   * operator compares. vaultSecret is its display form only.
   */
  private VaultSecretRef vaultSecretRef;

  /**
   * The rotate-requested-at annotation value this rotation answers; null for a scheduled rotation.
   */
  private String rotateRequest;

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getOldTokenId() {
    return oldTokenId;
  }

  public void setOldTokenId(String oldTokenId) {
    this.oldTokenId = oldTokenId;
  }

  public String getNewTokenId() {
    return newTokenId;
  }

  public void setNewTokenId(String newTokenId) {
    this.newTokenId = newTokenId;
  }

  public String getTokenName() {
    return tokenName;
  }

  public void setTokenName(String tokenName) {
    this.tokenName = tokenName;
  }

  public List<String> getScopes() {
    return scopes;
  }

  public void setScopes(List<String> scopes) {
    this.scopes = scopes;
  }

  public String getVaultSecret() {
    return vaultSecret;
  }

  public void setVaultSecret(String vaultSecret) {
    this.vaultSecret = vaultSecret;
  }

  public VaultSecretRef getVaultSecretRef() {
    return vaultSecretRef;
  }

  public void setVaultSecretRef(VaultSecretRef vaultSecretRef) {
    this.vaultSecretRef = vaultSecretRef;
  }

  public Long getVaultVersion() {
    return vaultVersion;
  }

  public void setVaultVersion(Long vaultVersion) {
    this.vaultVersion = vaultVersion;
  }

  public String getRotateRequest() {
    return rotateRequest;
  }

  public void setRotateRequest(String rotateRequest) {
    this.rotateRequest = rotateRequest;
  }

  /** {@code startedAt} as an instant (null when unset or unreadable). */
  public Instant startedAt() {
    return Timestamps.parse(startedAt);
  }

  /** Sets {@code startedAt} from an instant (RFC 3339, UTC; null clears it). */
  public void startedAt(Instant at) {
    this.startedAt = Timestamps.format(at);
  }
}
