package io.tokenrotation.operator.it;

import io.tokenrotation.operator.api.DynatraceSpec;
import io.tokenrotation.operator.api.KubernetesAuthSpec;
import io.tokenrotation.operator.api.ManagementTokenSpec;
import io.tokenrotation.operator.api.OldTokenSpec;
import io.tokenrotation.operator.api.SecretKeyRef;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationSpec;
import io.tokenrotation.operator.api.VaultAuthSpec;
import io.tokenrotation.operator.api.VaultFieldRef;
import io.tokenrotation.operator.api.VaultSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** TokenRotation builders for the integration tests: the seed's setup with a Vault token from a Secret. */
public final class Resources {
  public static final String VAULT_TOKEN_SECRET = "vault-token";

  private Resources() {}

  /** Rotates secret/&lt;path&gt; field token; management token from secret/dynatrace/master; Vault token Secret. */
  public static TokenRotation rotation(TestWorld world, String name, String path, String interval) {
    TokenRotation tr = new TokenRotation();
    tr.setMetadata(new ObjectMetaBuilder().withName(name).build());
    TokenRotationSpec spec = new TokenRotationSpec();
    spec.setInterval(interval);
    VaultSpec vault = new VaultSpec();
    vault.setAddress(world.vault.baseUrl());
    vault.setPath(path);
    vault.setAuth(vaultTokenAuth());
    spec.setVault(vault);
    spec.setDynatrace(dynatrace(world));
    OldTokenSpec old = new OldTokenSpec();
    old.setGracePeriod("2s");
    spec.setOldToken(old);
    tr.setSpec(spec);
    return tr;
  }

  /** Vault login with the token in the Secret {@link #VAULT_TOKEN_SECRET} (key token). */
  public static VaultAuthSpec vaultTokenAuth() {
    VaultAuthSpec auth = new VaultAuthSpec();
    auth.setTokenSecretRef(ref(VAULT_TOKEN_SECRET, "token"));
    return auth;
  }

  /** The simulated environment, with the seed's management token from Vault (secret/dynatrace/master). */
  public static DynatraceSpec dynatrace(TestWorld world) {
    DynatraceSpec dynatrace = new DynatraceSpec();
    dynatrace.setEnvironmentUrl(world.dynatrace.baseUrl());
    ManagementTokenSpec management = new ManagementTokenSpec();
    VaultFieldRef master = new VaultFieldRef();
    master.setPath("dynatrace/master");
    management.setVault(master);
    dynatrace.setManagementToken(management);
    return dynatrace;
  }

  public static TokenRotation withKubernetesAuth(TokenRotation tr, String role, String serviceAccount) {
    VaultAuthSpec auth = new VaultAuthSpec();
    KubernetesAuthSpec k8s = new KubernetesAuthSpec();
    k8s.setRole(role);
    k8s.setServiceAccount(serviceAccount);
    auth.setKubernetes(k8s);
    tr.getSpec().getVault().setAuth(auth);
    return tr;
  }

  /** Management token from a Secret key of the namespace instead of Vault. */
  public static TokenRotation withManagementTokenSecret(TokenRotation tr, String secret, String key) {
    ManagementTokenSpec management = new ManagementTokenSpec();
    management.setSecretRef(ref(secret, key));
    tr.getSpec().getDynatrace().setManagementToken(management);
    return tr;
  }

  /** Vault token from another Secret (key token). */
  public static TokenRotation withVaultTokenSecret(TokenRotation tr, String secret) {
    VaultAuthSpec auth = new VaultAuthSpec();
    auth.setTokenSecretRef(ref(secret, "token"));
    tr.getSpec().getVault().setAuth(auth);
    return tr;
  }

  public static SecretKeyRef ref(String name, String key) {
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName(name);
    ref.setKey(key);
    return ref;
  }
}
