package io.tokenrotation.operator.rotation.plan;

import io.tokenrotation.operator.api.DynatraceSpec;
import io.tokenrotation.operator.api.KubernetesAuthSpec;
import io.tokenrotation.operator.api.ManagementTokenSpec;
import io.tokenrotation.operator.api.SecretKeyRef;
import io.tokenrotation.operator.api.TokenRotationSpec;
import io.tokenrotation.operator.api.VaultAuthSpec;
import io.tokenrotation.operator.api.VaultFieldRef;
import io.tokenrotation.operator.api.VaultSpec;

/** Test fixtures: the seed's automation_script1 resource, with only the required fields set. */
public final class Specs {
  private Specs() {}

  public static TokenRotationSpec minimal() {
    KubernetesAuthSpec kubernetes = new KubernetesAuthSpec();
    kubernetes.setRole("token-rotator");
    VaultAuthSpec auth = new VaultAuthSpec();
    auth.setKubernetes(kubernetes);
    VaultSpec vault = new VaultSpec();
    vault.setAddress("https://vault.example:8200");
    vault.setPath("dynatrace/automation_script1");
    vault.setAuth(auth);

    VaultFieldRef master = new VaultFieldRef();
    master.setPath("dynatrace/master");
    ManagementTokenSpec managementToken = new ManagementTokenSpec();
    managementToken.setVault(master);
    DynatraceSpec dynatrace = new DynatraceSpec();
    dynatrace.setEnvironmentUrl("https://abc12345.live.dynatrace.com");
    dynatrace.setManagementToken(managementToken);

    TokenRotationSpec spec = new TokenRotationSpec();
    spec.setInterval("24h");
    spec.setVault(vault);
    spec.setDynatrace(dynatrace);
    return spec;
  }

  public static SecretKeyRef secretRef(String name, String key) {
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName(name);
    ref.setKey(key);
    return ref;
  }
}
