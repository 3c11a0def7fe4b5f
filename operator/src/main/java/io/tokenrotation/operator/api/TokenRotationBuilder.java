package io.tokenrotation.operator.api;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * TokenRotations in code, option style: the required fields from the arguments, the management
 * token from Vault at {@code dynatrace/master} (the README's convention), and each caller states
 * only what differs — {@code rotation("a", vault, "dynatrace/app", environment,
 * kubernetesAuth("rotator", "rotator"), interval("1h"))}. Without an auth option the spec has none,
 * which the operator stalls as invalid. One language for the unit tests, the integration tests, the
 * benchmark and the e2e suite.
 */
public final class TokenRotationBuilder {
  /** Changes one aspect of the resource under construction. */
  @FunctionalInterface
  public interface Option extends Consumer<TokenRotation> {}

  private TokenRotationBuilder() {}

  public static TokenRotation rotation(
      String name, String vaultAddress, String path, String environmentUrl, Option... options) {
    TokenRotation tr = new TokenRotation();
    tr.setMetadata(new ObjectMetaBuilder().withName(name).build());
    TokenRotationSpec spec = new TokenRotationSpec();
    spec.setInterval("24h");
    VaultSpec vault = new VaultSpec();
    vault.setAddress(vaultAddress);
    vault.setPath(path);
    vault.setAuth(new VaultAuthSpec());
    spec.setVault(vault);
    DynatraceSpec dynatrace = new DynatraceSpec();
    dynatrace.setEnvironmentUrl(environmentUrl);
    spec.setDynatrace(dynatrace);
    tr.setSpec(spec);
    managementTokenInVault("dynatrace/master").accept(tr);
    for (Option option : options) {
      option.accept(tr);
    }
    return tr;
  }

  public static Option namespace(String namespace) {
    return tr -> tr.getMetadata().setNamespace(namespace);
  }

  public static Option interval(String interval) {
    return tr -> tr.getSpec().setInterval(interval);
  }

  public static Option path(String path) {
    return tr -> tr.getSpec().getVault().setPath(path);
  }

  /** The KV mount of the rotated secret. */
  public static Option mount(String mount) {
    return tr -> tr.getSpec().getVault().setMount(mount);
  }

  /** Vault login with a token from a Secret of the resource's namespace. */
  public static Option vaultTokenSecret(String secret, String key) {
    return tr -> tr.getSpec().getVault().setAuth(tokenSecretAuth(secret, key));
  }

  /** {@code vault.auth} with {@code tokenSecretRef}: the Vault token in a Secret. */
  public static VaultAuthSpec tokenSecretAuth(String secret, String key) {
    VaultAuthSpec auth = new VaultAuthSpec();
    auth.setTokenSecretRef(ref(secret, key));
    return auth;
  }

  /** Vault's Kubernetes auth as {@code serviceAccount} (null: the namespace's "default"). */
  public static Option kubernetesAuth(String role, String serviceAccount) {
    return tr -> {
      KubernetesAuthSpec k8s = new KubernetesAuthSpec();
      k8s.setRole(role);
      k8s.setServiceAccount(serviceAccount);
      VaultAuthSpec auth = new VaultAuthSpec();
      auth.setKubernetes(k8s);
      tr.getSpec().getVault().setAuth(auth);
    };
  }

  /** The management token from this KV path (field token) of the same Vault. */
  public static Option managementTokenInVault(String path) {
    return tr -> tr.getSpec().getDynatrace().setManagementToken(managementTokenFromVault(path));
  }

  /** {@code dynatrace.managementToken} read from this KV path (field token) of the same Vault. */
  public static ManagementTokenSpec managementTokenFromVault(String path) {
    VaultFieldRef master = new VaultFieldRef();
    master.setPath(path);
    ManagementTokenSpec management = new ManagementTokenSpec();
    management.setVault(master);
    return management;
  }

  /** The management token from a Secret of the resource's namespace. */
  public static Option managementTokenSecret(String secret, String key) {
    return tr -> {
      ManagementTokenSpec management = new ManagementTokenSpec();
      management.setSecretRef(ref(secret, key));
      tr.getSpec().getDynatrace().setManagementToken(management);
    };
  }

  public static Option gracePeriod(String gracePeriod) {
    return tr -> oldToken(tr).setGracePeriod(gracePeriod);
  }

  public static Option retire(RetireAction action, String gracePeriod) {
    return tr -> {
      oldToken(tr).setAction(action);
      oldToken(tr).setGracePeriod(gracePeriod);
    };
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

  private static OldTokenSpec oldToken(TokenRotation tr) {
    if (tr.getSpec().getOldToken() == null) {
      tr.getSpec().setOldToken(new OldTokenSpec());
    }
    return tr.getSpec().getOldToken();
  }
}
