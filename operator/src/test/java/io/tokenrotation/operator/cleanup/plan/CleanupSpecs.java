package io.tokenrotation.operator.cleanup.plan;

import io.tokenrotation.operator.api.CleanupSelector;
import io.tokenrotation.operator.api.TokenCleanupPolicySpec;
import io.tokenrotation.operator.api.TokenRotationSpec;
import io.tokenrotation.operator.api.VaultConnectionSpec;
import io.tokenrotation.operator.rotation.plan.Specs;

/**
 * Test fixture: a dry-run policy for tokens unused for 90 days, on the Vault connection and
 * Dynatrace environment of {@link Specs#minimal()} (management token in Vault), required fields
 * only.
 */
public final class CleanupSpecs {
  private CleanupSpecs() {}

  public static TokenCleanupPolicySpec minimal() {
    TokenRotationSpec rotation = Specs.minimal();
    VaultConnectionSpec vault = new VaultConnectionSpec();
    vault.setAddress(rotation.getVault().getAddress());
    vault.setAuth(rotation.getVault().getAuth());
    CleanupSelector selector = new CleanupSelector();
    selector.setUnusedFor("90d");

    TokenCleanupPolicySpec spec = new TokenCleanupPolicySpec();
    spec.setInterval("24h");
    spec.setVault(vault);
    spec.setDynatrace(rotation.getDynatrace());
    spec.setSelector(selector);
    return spec;
  }
}
