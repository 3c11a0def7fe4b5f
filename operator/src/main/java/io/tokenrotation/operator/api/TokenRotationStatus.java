package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.time.Instant;
import java.util.List;

/** What the operator observed and did. Never holds a secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TokenRotationStatus extends ReconcileStatus {
  /** Public id of the token Vault holds. */
  private String tokenId;

  /** {@link #tokenOrigin}: the operator created the token (a rotation or a bootstrap). */
  public static final String ORIGIN_CREATED = "Created";

  /**
   * {@link #tokenOrigin}: the operator found the token in Vault (first sight, or written outside
   * the operator).
   */
  public static final String ORIGIN_ADOPTED = "Adopted";

  /**
   * Created or Adopted. When a write outside the operator displaces the token, the operator retires
   * it only if it created it; an adopted token is its owner's (absent, as written by older
   * versions: treated as Adopted).
   */
  @JsonPropertyDescription(
      "Created (the operator created the current token) or Adopted (found in Vault). A token "
          + "the operator created is retired when a write outside the operator displaces it; an adopted one is left alone.")
  private String tokenOrigin;

  /** When Dynatrace created the current token: the anchor of the rotation schedule. */
  private String tokenCreationTime;

  private String tokenName;

  private List<String> scopes;

  private String tokenExpirationTime;

  private String lastRotationTime;

  private String nextRotationTime;

  private Long vaultSecretVersion;

  /**
   * The Vault secret field the token was read from or written to (address, namespace,
   * mount/path#field). When the spec names another one, the token in status is not the one Vault
   * holds there: the operator adopts again.
   */
  private String vaultSecret;

  /**
   * Which Vault secret field that is, structured (address, namespace, mount, path, field): what the
   * operator compares. vaultSecret is its display form only.
   */
  private VaultSecretRef vaultSecretRef;

  private PendingRotation pendingRotation;

  private List<RetiredToken> retiredTokens;

  private String lastHandledRotateRequest;

  @JsonPropertyDescription(
      "The token id every spec.secretTargets Secret holds (with secretTargetsHash: for which"
          + " targets); the old token is retired only once it is the current one.")
  private String secretTargetsTokenId;

  private String secretTargetsHash;

  @JsonPropertyDescription(
      "Since when the rolloutRestartTargets wait for a restart (a secret target changed).")
  private String rolloutRestartPendingSince;

  private String lastRolloutRestartTime;

  @JsonPropertyDescription(
      "Healthy, Rotating, Retrying, Overdue, Stalled, Suspended or Adopting: the summary "
          + "kubectl get shows; the conditions carry the details.")
  private String state;

  public String getSecretTargetsTokenId() {
    return secretTargetsTokenId;
  }

  public void setSecretTargetsTokenId(String secretTargetsTokenId) {
    this.secretTargetsTokenId = secretTargetsTokenId;
  }

  public String getSecretTargetsHash() {
    return secretTargetsHash;
  }

  public void setSecretTargetsHash(String secretTargetsHash) {
    this.secretTargetsHash = secretTargetsHash;
  }

  public String getRolloutRestartPendingSince() {
    return rolloutRestartPendingSince;
  }

  public void setRolloutRestartPendingSince(String rolloutRestartPendingSince) {
    this.rolloutRestartPendingSince = rolloutRestartPendingSince;
  }

  public String getLastRolloutRestartTime() {
    return lastRolloutRestartTime;
  }

  public void setLastRolloutRestartTime(String lastRolloutRestartTime) {
    this.lastRolloutRestartTime = lastRolloutRestartTime;
  }

  /** {@code rolloutRestartPendingSince} as an instant (null when unset or unreadable). */
  public Instant rolloutRestartPendingAt() {
    return Timestamps.parse(rolloutRestartPendingSince);
  }

  public void rolloutRestartPendingAt(Instant at) {
    this.rolloutRestartPendingSince = Timestamps.format(at);
  }

  /** {@code lastRolloutRestartTime} as an instant (null when unset or unreadable). */
  public Instant lastRolloutRestartAt() {
    return Timestamps.parse(lastRolloutRestartTime);
  }

  public void lastRolloutRestartAt(Instant at) {
    this.lastRolloutRestartTime = Timestamps.format(at);
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
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

  public String getTokenId() {
    return tokenId;
  }

  public void setTokenId(String tokenId) {
    this.tokenId = tokenId;
  }

  public String getTokenOrigin() {
    return tokenOrigin;
  }

  public void setTokenOrigin(String tokenOrigin) {
    this.tokenOrigin = tokenOrigin;
  }

  public String getTokenCreationTime() {
    return tokenCreationTime;
  }

  public void setTokenCreationTime(String tokenCreationTime) {
    this.tokenCreationTime = tokenCreationTime;
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

  public String getTokenExpirationTime() {
    return tokenExpirationTime;
  }

  public void setTokenExpirationTime(String tokenExpirationTime) {
    this.tokenExpirationTime = tokenExpirationTime;
  }

  public String getLastRotationTime() {
    return lastRotationTime;
  }

  public void setLastRotationTime(String lastRotationTime) {
    this.lastRotationTime = lastRotationTime;
  }

  public String getNextRotationTime() {
    return nextRotationTime;
  }

  public void setNextRotationTime(String nextRotationTime) {
    this.nextRotationTime = nextRotationTime;
  }

  public Long getVaultSecretVersion() {
    return vaultSecretVersion;
  }

  public void setVaultSecretVersion(Long vaultSecretVersion) {
    this.vaultSecretVersion = vaultSecretVersion;
  }

  public PendingRotation getPendingRotation() {
    return pendingRotation;
  }

  public void setPendingRotation(PendingRotation pendingRotation) {
    this.pendingRotation = pendingRotation;
  }

  public List<RetiredToken> getRetiredTokens() {
    return retiredTokens;
  }

  public void setRetiredTokens(List<RetiredToken> retiredTokens) {
    this.retiredTokens = retiredTokens;
  }

  public String getLastHandledRotateRequest() {
    return lastHandledRotateRequest;
  }

  public void setLastHandledRotateRequest(String lastHandledRotateRequest) {
    this.lastHandledRotateRequest = lastHandledRotateRequest;
  }

  /** {@code tokenCreationTime} as an instant (null when unset or unreadable). */
  public Instant tokenCreatedAt() {
    return Timestamps.parse(tokenCreationTime);
  }

  /** Sets {@code tokenCreationTime} from an instant (RFC 3339, UTC; null clears it). */
  public void tokenCreatedAt(Instant at) {
    this.tokenCreationTime = Timestamps.format(at);
  }

  /** {@code tokenExpirationTime} as an instant (null when unset or unreadable). */
  public Instant tokenExpiresAt() {
    return Timestamps.parse(tokenExpirationTime);
  }

  /** Sets {@code tokenExpirationTime} from an instant (RFC 3339, UTC; null clears it). */
  public void tokenExpiresAt(Instant at) {
    this.tokenExpirationTime = Timestamps.format(at);
  }

  /** {@code lastRotationTime} as an instant (null when unset or unreadable). */
  public Instant lastRotatedAt() {
    return Timestamps.parse(lastRotationTime);
  }

  /** Sets {@code lastRotationTime} from an instant (RFC 3339, UTC; null clears it). */
  public void lastRotatedAt(Instant at) {
    this.lastRotationTime = Timestamps.format(at);
  }

  /** {@code nextRotationTime} as an instant (null when unset or unreadable). */
  public Instant nextRotationAt() {
    return Timestamps.parse(nextRotationTime);
  }

  /** Sets {@code nextRotationTime} from an instant (RFC 3339, UTC; null clears it). */
  public void nextRotationAt(Instant at) {
    this.nextRotationTime = Timestamps.format(at);
  }
}
