package io.tokenrotation.operator.it;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.tokenrotation.operator.api.CleanupAction;
import io.tokenrotation.operator.api.CleanupSelector;
import io.tokenrotation.operator.api.ManagementTokenSpec;
import io.tokenrotation.operator.api.TokenCleanupPolicy;
import io.tokenrotation.operator.api.TokenCleanupPolicySpec;
import io.tokenrotation.operator.api.VaultConnectionSpec;
import io.tokenrotation.operator.status.Conditions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * TokenCleanupPolicy builders and waits for the integration tests (the TestWorld's simulators and
 * namespace).
 */
public final class CleanupPolicies {
  private CleanupPolicies() {}

  /**
   * A policy with the management token from Vault (secret/dynatrace/master, Vault token from the
   * Secret {@link Resources#VAULT_TOKEN_SECRET}), interval 1h, action Report unless {@code change}
   * says otherwise.
   */
  public static TokenCleanupPolicy policy(
      TestWorld world, String name, Consumer<TokenCleanupPolicySpec> change) {
    TokenCleanupPolicy policy = new TokenCleanupPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(name).build());
    TokenCleanupPolicySpec spec = new TokenCleanupPolicySpec();
    spec.setInterval("1h");
    VaultConnectionSpec vault = new VaultConnectionSpec();
    vault.setAddress(world.vault.baseUrl());
    vault.setAuth(Resources.vaultTokenAuth());
    spec.setVault(vault);
    spec.setDynatrace(Resources.dynatrace(world));
    spec.setSelector(new CleanupSelector());
    spec.setAction(CleanupAction.Report);
    change.accept(spec);
    policy.setSpec(spec);
    return policy;
  }

  /** The management token from a Secret key of the namespace; no Vault at all. */
  public static void managementTokenFromSecret(
      TokenCleanupPolicySpec spec, String secret, String key) {
    ManagementTokenSpec management = new ManagementTokenSpec();
    management.setSecretRef(Resources.ref(secret, key));
    spec.getDynatrace().setManagementToken(management);
    spec.setVault(null);
  }

  public static TokenCleanupPolicy apply(TestWorld world, TokenCleanupPolicy policy) {
    policy.getMetadata().setNamespace(TestWorld.NAMESPACE);
    return world
        .client
        .resources(TokenCleanupPolicy.class)
        .inNamespace(TestWorld.NAMESPACE)
        .resource(policy)
        .create();
  }

  public static TokenCleanupPolicy get(TestWorld world, String name) {
    return world
        .client
        .resources(TokenCleanupPolicy.class)
        .inNamespace(TestWorld.NAMESPACE)
        .withName(name)
        .get();
  }

  /**
   * Changes the spec the way {@code kubectl edit} would (retried when the operator writes status
   * meanwhile).
   */
  public static TokenCleanupPolicy edit(
      TestWorld world, String name, Consumer<TokenCleanupPolicySpec> change) {
    return TestWorld.retryingConflicts(
        () ->
            world
                .client
                .resources(TokenCleanupPolicy.class)
                .inNamespace(TestWorld.NAMESPACE)
                .withName(name)
                .edit(
                    p -> {
                      change.accept(p.getSpec());
                      return p;
                    }));
  }

  public static TokenCleanupPolicy await(
      TestWorld world, String name, String what, Predicate<TokenCleanupPolicy> until) {
    Awaitility.await()
        .alias(name + ": " + what)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              TokenCleanupPolicy p = get(world, name);
              return p != null && p.getStatus() != null && until.test(p);
            });
    return get(world, name);
  }

  /** A run of the current generation has completed (Ready=True after a run). */
  public static TokenCleanupPolicy awaitRun(TestWorld world, String name) {
    return await(
        world,
        name,
        "a complete run of the current spec",
        p ->
            p.getStatus().getLastRunTime() != null
                && Objects.equals(
                    p.getStatus().getObservedGeneration(), p.getMetadata().getGeneration())
                && Conditions.isTrue(p.getStatus().getConditions(), Conditions.READY));
  }

  public static TokenCleanupPolicy awaitCondition(
      TestWorld world, String name, String type, String status, String reason) {
    return await(
        world,
        name,
        type + "=" + status + "/" + reason,
        p ->
            condition(p, type)
                .map(c -> status.equals(c.getStatus()) && reason.equals(c.getReason()))
                .orElse(false));
  }

  public static TokenCleanupPolicy awaitStalled(TestWorld world, String name, String reason) {
    return awaitCondition(world, name, Conditions.STALLED, Conditions.TRUE, reason);
  }

  public static Optional<Condition> condition(TokenCleanupPolicy policy, String type) {
    return policy.getStatus() == null
        ? Optional.empty()
        : Conditions.find(policy.getStatus().getConditions(), type);
  }
}
