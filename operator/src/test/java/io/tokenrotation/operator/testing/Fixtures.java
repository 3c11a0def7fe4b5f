package io.tokenrotation.operator.testing;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.tokenrotation.operator.api.DynatraceSpec;
import io.tokenrotation.operator.api.KubernetesAuthSpec;
import io.tokenrotation.operator.api.ManagementTokenSpec;
import io.tokenrotation.operator.api.NewTokenSpec;
import io.tokenrotation.operator.api.OldTokenSpec;
import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.SecretKeyRef;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationSpec;
import io.tokenrotation.operator.api.VaultAuthSpec;
import io.tokenrotation.operator.api.VaultFieldRef;
import io.tokenrotation.operator.api.VaultSpec;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * TokenRotations for tests, option style (after cert-manager's test builders): the seed's setup by
 * default (secret path, field token, Vault token from the Secret vault-token, management token from
 * secret/dynatrace/master), and each test states only what differs: {@code rotation("a", world,
 * path("x"), interval("1h"), scopes("ReadConfig"))}.
 */
public final class Fixtures {
  /** Changes one aspect of the resource under construction. */
  @FunctionalInterface
  public interface Option extends Consumer<TokenRotation> {}

  private Fixtures() {}

  public static TokenRotation rotation(
      String name, String vaultUrl, String environmentUrl, Option... options) {
    TokenRotation tr = new TokenRotation();
    tr.setMetadata(new ObjectMetaBuilder().withName(name).build());
    TokenRotationSpec spec = new TokenRotationSpec();
    spec.setInterval("1h");
    VaultSpec vault = new VaultSpec();
    vault.setAddress(vaultUrl);
    vault.setPath("dynatrace/automation_script1");
    vault.setAuth(vaultTokenAuth());
    spec.setVault(vault);
    spec.setDynatrace(dynatrace(environmentUrl));
    OldTokenSpec old = new OldTokenSpec();
    old.setGracePeriod("2m");
    spec.setOldToken(old);
    tr.setSpec(spec);
    for (Option option : options) {
      option.accept(tr);
    }
    return tr;
  }

  public static TokenRotation rotation(String name, ControllerHarness world, Option... options) {
    return rotation(name, world.vault.baseUrl(), world.dynatrace.baseUrl(), options);
  }

  /**
   * Vault login with the token in the Secret {@link ControllerHarness#VAULT_TOKEN_SECRET} (key
   * token).
   */
  public static VaultAuthSpec vaultTokenAuth() {
    VaultAuthSpec auth = new VaultAuthSpec();
    auth.setTokenSecretRef(ref(ControllerHarness.VAULT_TOKEN_SECRET, "token"));
    return auth;
  }

  /** The environment, with the seed's management token from Vault (secret/dynatrace/master). */
  public static DynatraceSpec dynatrace(String environmentUrl) {
    DynatraceSpec dynatrace = new DynatraceSpec();
    dynatrace.setEnvironmentUrl(environmentUrl);
    ManagementTokenSpec management = new ManagementTokenSpec();
    VaultFieldRef master = new VaultFieldRef();
    master.setPath("dynatrace/master");
    management.setVault(master);
    dynatrace.setManagementToken(management);
    return dynatrace;
  }

  public static Option gracePeriod(String gracePeriod) {
    return tr -> tr.getSpec().getOldToken().setGracePeriod(gracePeriod);
  }

  public static Option path(String path) {
    return tr -> tr.getSpec().getVault().setPath(path);
  }

  /** The KV mount of the rotated secret (the simulator's {@code secret} is KV v2). */
  public static Option mount(String mount) {
    return tr -> tr.getSpec().getVault().setMount(mount);
  }

  public static Option interval(String interval) {
    return tr -> tr.getSpec().setInterval(interval);
  }

  /** spec.newToken.scopes: the operator may create the first token when the secret is missing. */
  public static Option scopes(String... scopes) {
    return tr -> {
      NewTokenSpec newToken =
          tr.getSpec().getNewToken() == null ? new NewTokenSpec() : tr.getSpec().getNewToken();
      newToken.setScopes(List.of(scopes));
      tr.getSpec().setNewToken(newToken);
    };
  }

  public static Option retire(RetireAction action, String gracePeriod) {
    return tr -> {
      tr.getSpec().getOldToken().setAction(action);
      tr.getSpec().getOldToken().setGracePeriod(gracePeriod);
    };
  }

  public static Option vaultTokenSecret(String secret, String key) {
    return tr -> tr.getSpec().getVault().getAuth().setTokenSecretRef(ref(secret, key));
  }

  public static Option kubernetesAuth(String role, String serviceAccount) {
    return tr -> {
      VaultAuthSpec auth = new VaultAuthSpec();
      KubernetesAuthSpec k8s = new KubernetesAuthSpec();
      k8s.setRole(role);
      k8s.setServiceAccount(serviceAccount);
      auth.setKubernetes(k8s);
      tr.getSpec().getVault().setAuth(auth);
    };
  }

  public static Option managementTokenSecret(String secret, String key) {
    return tr -> {
      ManagementTokenSpec management = new ManagementTokenSpec();
      management.setSecretRef(ref(secret, key));
      tr.getSpec().getDynatrace().setManagementToken(management);
    };
  }

  public static Option annotation(String key, String value) {
    return tr -> {
      if (tr.getMetadata().getAnnotations() == null) {
        tr.getMetadata().setAnnotations(new HashMap<>());
      }
      tr.getMetadata().getAnnotations().put(key, value);
    };
  }

  public static Option rotateRequest(String value) {
    return annotation(TokenRotation.ROTATE_REQUESTED_AT, value);
  }

  public static SecretKeyRef ref(String name, String key) {
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName(name);
    ref.setKey(key);
    return ref;
  }
}
