package io.tokenrotation.operator.rotation.plan;

import io.tokenrotation.operator.api.DeletionPolicy;
import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.RolloutRestartTarget;
import io.tokenrotation.operator.api.SecretKeyRef;
import io.tokenrotation.operator.api.SecretTarget;
import io.tokenrotation.operator.api.TokenRotationSpec;
import io.tokenrotation.operator.api.VaultSecretRef;
import io.tokenrotation.operator.connect.ConnectionTarget;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A validated spec with every default applied and every duration parsed. The API server applies the
 * CRD's defaults, but not every API server does (the embedded one does not), so the operator
 * applies them again here.
 */
public record EffectiveSpec(
    Duration interval,
    Optional<Schedule> schedule,
    String vaultAddress,
    String vaultNamespace,
    String mount,
    String path,
    String field,
    String kvVersion,
    ConnectionTarget.VaultLogin vaultLogin,
    Optional<SecretKeyRef> vaultCa,
    String environmentUrl,
    ConnectionTarget.ManagementToken managementToken,
    Optional<String> newTokenName,
    List<String> newTokenScopes,
    Optional<Duration> expiresAfter,
    RetireAction retireAction,
    Duration gracePeriod,
    Duration deleteAfter,
    boolean suspended,
    DeletionPolicy deletionPolicy,
    List<SecretTarget> secretTargets,
    List<RolloutRestartTarget> restartTargets,
    Duration restartDebounce) {

  /**
   * True when the management token is the very token this resource rotates (the seed's
   * dynatrace/master).
   */
  public boolean rotatesItsManagementToken() {
    return managementToken instanceof ConnectionTarget.ManagementTokenInVault m
        && m.path().equals(path)
        && m.field().equals(field);
  }

  /** Identity of the secret slot: two resources with equal keys would fight over one token. */
  /** The secret field for people and status: {@code address [namespace] mount/path#field}. */
  public String vaultSecret() {
    return vaultAddress.replaceAll("/+$", "")
        + (vaultNamespace.isEmpty() ? "" : " [" + vaultNamespace + "]")
        + " "
        + mount
        + "/"
        + path
        + "#"
        + field;
  }

  /** The secret field this spec rotates, structured: what identity is decided by. */
  public VaultSecretRef vaultSecretRef() {
    return VaultSecretRef.of(vaultAddress, vaultNamespace, mount, path, field);
  }

  /** The secret field this spec rotates: its identity and its display form. */
  public SecretField secretField() {
    return new SecretField(vaultSecretRef(), vaultSecret());
  }

  public String vaultSlotKey() {
    return vaultAddress.replaceAll("/+$", "")
        + "|"
        + vaultNamespace
        + "|"
        + mount
        + "|"
        + path
        + "|"
        + field;
  }

  /** The connections this spec describes. */
  public ConnectionTarget connection() {
    return new ConnectionTarget(
        Optional.of(
            new ConnectionTarget.Vault(
                vaultAddress, vaultNamespace, mount, kvVersion, vaultLogin, vaultCa)),
        Optional.of(path),
        environmentUrl,
        managementToken);
  }

  /**
   * What the secret targets are, as one short string: status records it next to the token id they
   * hold, so adding or changing a target writes the targets again.
   */
  public String secretTargetsHash() {
    return SecretTemplates.hash(secretTargets);
  }

  /** Convenience for code that has a raw spec already validated. */
  public static EffectiveSpec of(TokenRotationSpec spec) {
    return SpecValidator.validate(spec)
        .effective()
        .orElseThrow(() -> new IllegalArgumentException("invalid spec"));
  }
}
