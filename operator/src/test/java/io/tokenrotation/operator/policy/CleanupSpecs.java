package io.tokenrotation.operator.policy;

import io.tokenrotation.operator.api.CleanupSelector;
import io.tokenrotation.operator.api.DynatraceSpec;
import io.tokenrotation.operator.api.KubernetesAuthSpec;
import io.tokenrotation.operator.api.ManagementTokenSpec;
import io.tokenrotation.operator.api.TokenCleanupPolicySpec;
import io.tokenrotation.operator.api.VaultAuthSpec;
import io.tokenrotation.operator.api.VaultConnectionSpec;
import io.tokenrotation.operator.api.VaultFieldRef;

/** Test fixture: a dry-run policy for tokens unused for 90 days, management token in Vault, required fields only. */
public final class CleanupSpecs {
  private CleanupSpecs() {}

  public static TokenCleanupPolicySpec minimal() {
    KubernetesAuthSpec kubernetes = new KubernetesAuthSpec();
    kubernetes.setRole("token-rotator");
    VaultAuthSpec auth = new VaultAuthSpec();
    auth.setKubernetes(kubernetes);
    VaultConnectionSpec vault = new VaultConnectionSpec();
    vault.setAddress("https://vault.example:8200");
    vault.setAuth(auth);

    VaultFieldRef master = new VaultFieldRef();
    master.setPath("dynatrace/master");
    ManagementTokenSpec managementToken = new ManagementTokenSpec();
    managementToken.setVault(master);
    DynatraceSpec dynatrace = new DynatraceSpec();
    dynatrace.setEnvironmentUrl("https://abc12345.live.dynatrace.com");
    dynatrace.setManagementToken(managementToken);

    CleanupSelector selector = new CleanupSelector();
    selector.setUnusedFor("90d");

    TokenCleanupPolicySpec spec = new TokenCleanupPolicySpec();
    spec.setInterval("24h");
    spec.setVault(vault);
    spec.setDynatrace(dynatrace);
    spec.setSelector(selector);
    return spec;
  }
}
