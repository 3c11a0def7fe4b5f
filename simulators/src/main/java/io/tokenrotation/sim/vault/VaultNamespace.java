package io.tokenrotation.sim.vault;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** One namespace: its own mounts, policies, auth methods. The root namespace has the name "". */
final class VaultNamespace {
  /**
   * Vault's built-in "default" policy, reduced to what clients of this project use: every token may
   * look itself up and renew itself. Callers may replace it with {@code putPolicy(ns, "default",
   * ...)}.
   */
  static final AclPolicy DEFAULT_POLICY =
      new AclPolicy(
          "default",
          Map.of(
              "auth/token/lookup-self", Set.of("read"),
              "auth/token/renew-self", Set.of("update"),
              "auth/token/revoke-self", Set.of("update"),
              "sys/capabilities-self", Set.of("update")));

  private final String name;
  private final MountTable mounts;
  private final Map<String, AclPolicy> policies = new ConcurrentHashMap<>();
  private final Map<String, KubernetesAuthMethod> kubernetes = new ConcurrentHashMap<>();
  private final AppRoleAuthMethod appRole;

  VaultNamespace(String name, Clock clock) {
    this.name = name;
    this.mounts = new MountTable(clock);
    this.appRole = new AppRoleAuthMethod(name);
    policies.put("default", DEFAULT_POLICY);
  }

  /** "", "team-a" or "team-a/sub": no leading or trailing slashes. */
  static String normalize(String namespace) {
    return namespace == null ? "" : namespace.replaceAll("^/+|/+$", "");
  }

  String name() {
    return name;
  }

  MountTable mounts() {
    return mounts;
  }

  void putPolicy(AclPolicy policy) {
    policies.put(policy.name(), policy);
  }

  Set<String> policyNames() {
    return Set.copyOf(policies.keySet());
  }

  Acl aclFor(TokenEntry token) {
    List<AclPolicy> resolved = new ArrayList<>();
    for (String policy : token.policies()) {
      AclPolicy p = policies.get(policy);
      if (p != null) {
        resolved.add(p); // like Vault, a policy name without a policy grants nothing
      }
    }
    return new Acl(resolved, token.isRoot());
  }

  KubernetesAuthMethod kubernetes(String mountPath) {
    return kubernetes.computeIfAbsent(mountPath, m -> new KubernetesAuthMethod(name, m));
  }

  Optional<KubernetesAuthMethod> findKubernetes(String mountPath) {
    return Optional.ofNullable(kubernetes.get(mountPath));
  }

  Map<String, KubernetesAuthMethod> kubernetesMounts() {
    return Map.copyOf(kubernetes);
  }

  AppRoleAuthMethod appRole() {
    return appRole;
  }
}
