package io.tokenrotation.operator.it;

import static io.tokenrotation.operator.it.Resources.rotation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.tokenrotation.operator.api.RolloutRestartTarget;
import io.tokenrotation.operator.api.SecretTarget;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.WorkloadKind;
import io.tokenrotation.operator.consumers.KubernetesConsumerTargets;
import io.tokenrotation.operator.rotation.Checkpoint;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.testing.CrashOnce;
import io.tokenrotation.operator.testing.Workloads;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * spec.secretTargets and spec.rolloutRestartTargets as a user sees them: the Secret follows the
 * token, other keys survive, the workloads restart once per burst of rotations and never because
 * the operator restarted, the old token lives until the consumers were given its successor, and a
 * crash at each new step loses none of it.
 */
@ExtendWith(TestWorlds.class)
@TestWorlds.OperatorStartedByTest
class ConsumerTargetsIT {
  private static final String PATH = "dynatrace/automation_script1";
  private static final String OPT_IN = KubernetesConsumerTargets.TARGET_OPT_IN;
  private TestWorld world;

  @BeforeEach
  void world(TestWorld world) {
    this.world = world;
  }

  private static SecretTarget target(String name, String key, Map<String, String> template) {
    SecretTarget t = Workloads.secretTarget(name, key);
    t.setTemplate(template);
    return t;
  }

  private static RolloutRestartTarget deploymentTarget(String name) {
    RolloutRestartTarget t = new RolloutRestartTarget();
    t.setKind(WorkloadKind.Deployment);
    t.setName(name);
    return t;
  }

  /** Due at once (the seeded token is 2h old), grace period 0, the given consumers. */
  private TokenRotation withConsumers(
      List<SecretTarget> secrets, List<RolloutRestartTarget> restarts) {
    TokenRotation tr = rotation(world, "script1", PATH, "1h");
    tr.getSpec().getOldToken().setGracePeriod("0s");
    tr.getSpec().setSecretTargets(secrets);
    tr.getSpec().setRolloutRestartTargets(restarts.isEmpty() ? null : restarts);
    tr.getSpec().setRolloutRestartDebounce("2s");
    return tr;
  }

  private Secret secret(String name) {
    return world.client.secrets().inNamespace(TestWorld.NAMESPACE).withName(name).get();
  }

  private static String decoded(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private void deployment(String name, boolean optedIn) {
    Workloads.deployment(world.client, TestWorld.NAMESPACE, name, optedIn);
  }

  private Map<String, String> templateAnnotations(String deployment) {
    Deployment d =
        world
            .client
            .apps()
            .deployments()
            .inNamespace(TestWorld.NAMESPACE)
            .withName(deployment)
            .get();
    Map<String, String> annotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  private long restartEvents() {
    return world.eventReasons("script1").stream().filter(Reasons.ROLLOUT_RESTARTED::equals).count();
  }

  @Test
  void theSecretsFollowTheTokenAndKeepTheirOtherKeys() {
    world.secret("shared", Map.of("keep", "other-value"));
    world
        .client
        .secrets()
        .inNamespace(TestWorld.NAMESPACE)
        .withName("shared")
        .edit(
            s -> {
              s.getMetadata().setAnnotations(Map.of(OPT_IN, "true"));
              return s;
            });
    String oldToken = world.vaultToken(PATH);
    world.startOperator();
    world.apply(
        withConsumers(
            List.of(
                target("script1-token", "apiToken", Map.of("auth", "Api-Token {{ .token }}")),
                target("shared", "token", null)),
            List.of()));

    TokenRotation tr = world.awaitReady("script1", Reasons.ROTATED);
    String newToken = world.vaultToken(PATH);
    assertThat(newToken).isNotEqualTo(oldToken);
    world.await(
        "script1",
        "targets current",
        r -> TestWorld.idOf(newToken).equals(r.getStatus().getSecretTargetsTokenId()));

    Secret created = secret("script1-token");
    assertThat(decoded(created, "apiToken")).isEqualTo(newToken);
    assertThat(decoded(created, "auth")).isEqualTo("Api-Token " + newToken);
    assertThat(created.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(tr.getMetadata().getUid()));
    assertThat(created.getMetadata().getAnnotations())
        .containsEntry(KubernetesConsumerTargets.TOKEN_ID, TestWorld.idOf(newToken));
    Secret shared = secret("shared");
    assertThat(decoded(shared, "token")).isEqualTo(newToken);
    assertThat(decoded(shared, "keep")).isEqualTo("other-value");
    assertThat(shared.getMetadata().getOwnerReferences()).isNullOrEmpty();
    // the old token went only after the consumers had its successor
    await().atMost(Duration.ofSeconds(10)).until(() -> !world.dynatrace.authenticates(oldToken));

    // a manual rotation: the Secrets follow again
    world.annotate("script1", TokenRotation.ROTATE_REQUESTED_AT, "again");
    world.await(
        "script1",
        "second rotation",
        r -> "again".equals(r.getStatus().getLastHandledRotateRequest()));
    String third = world.vaultToken(PATH);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(decoded(secret("script1-token"), "apiToken")).isEqualTo(third));
    assertThat(decoded(secret("shared"), "token")).isEqualTo(third);
    assertThat(decoded(secret("shared"), "keep")).isEqualTo("other-value");
  }

  @Test
  void anExistingSecretWithoutTheOptInIsNeverWrittenAndTheOldTokenStays() {
    world.secret("someone-elses", Map.of("token", "theirs"));
    String oldToken = world.vaultToken(PATH);
    world.startOperator();
    world.apply(withConsumers(List.of(target("someone-elses", "token", null)), List.of()));

    world.awaitStalled("script1", Reasons.SECRET_TARGET_REFUSED);
    assertThat(decoded(secret("someone-elses"), "token")).isEqualTo("theirs");
    assertThat(world.condition("script1", "Stalled").orElseThrow().getMessage())
        .contains(OPT_IN + "=true");
    // Vault already holds the successor, but the old token is not retired while a consumer lacks it
    String inVault = world.vaultToken(PATH);
    assertThat(world.dynatrace.authenticates(oldToken)).isTrue();
    assertThat(world.dynatrace.authenticates(inVault)).isTrue();
  }

  @Test
  void aBurstOfRotationsRestartsOnceAndAnOperatorRestartRestartsNothing() {
    deployment("app", true);
    String oldToken = world.vaultToken(PATH);
    world.startOperator();
    world.apply(
        withConsumers(
            List.of(target("script1-token", "apiToken", null)), List.of(deploymentTarget("app"))));
    world.awaitReady("script1", Reasons.ROTATED);
    // a second rotation within the debounce joins the same restart
    world.annotate("script1", TokenRotation.ROTATE_REQUESTED_AT, "burst");
    world.await(
        "script1",
        "second rotation",
        r -> "burst".equals(r.getStatus().getLastHandledRotateRequest()));
    assertThat(templateAnnotations("app"))
        .doesNotContainKey(KubernetesConsumerTargets.RESTARTED_AT);
    assertThat(world.dynatrace.authenticates(oldToken))
        .as("the workloads have not restarted: the old token lives")
        .isTrue();

    await().atMost(Duration.ofSeconds(15)).until(() -> restartEvents() == 1);
    String current = TestWorld.idOf(world.vaultToken(PATH));
    Map<String, String> restarted = templateAnnotations("app");
    assertThat(restarted).containsEntry(KubernetesConsumerTargets.RESTARTED_FOR, current);
    String restartedAt = restarted.get(KubernetesConsumerTargets.RESTARTED_AT);
    assertThat(restartedAt).isNotBlank();
    await().atMost(Duration.ofSeconds(10)).until(() -> !world.dynatrace.authenticates(oldToken));

    // the operator restarts: nothing about the Secret changed, so nothing restarts
    world.stopOperator();
    world.startOperator();
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(6))
        .until(
            () ->
                restartedAt.equals(
                    templateAnnotations("app").get(KubernetesConsumerTargets.RESTARTED_AT)));
    assertThat(restartEvents()).isEqualTo(1);
  }

  @Test
  void aWorkloadWithoutTheOptInStallsAndHoldsTheOldTokenBack() {
    deployment("app", false);
    String oldToken = world.vaultToken(PATH);
    world.startOperator();
    world.apply(
        withConsumers(
            List.of(target("script1-token", "apiToken", null)), List.of(deploymentTarget("app"))));
    world.awaitStalled("script1", Reasons.ROLLOUT_TARGET_REFUSED);
    assertThat(templateAnnotations("app")).isEmpty();
    assertThat(world.dynatrace.authenticates(oldToken)).isTrue();

    // the namespace admin opts in: the restart happens, then the retirement
    world
        .client
        .apps()
        .deployments()
        .inNamespace(TestWorld.NAMESPACE)
        .withName("app")
        .edit(
            d -> {
              d.getMetadata().setAnnotations(new HashMap<>(Map.of(OPT_IN, "true")));
              return d;
            });
    await().atMost(Duration.ofSeconds(30)).until(() -> restartEvents() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> !world.dynatrace.authenticates(oldToken));
  }

  @Test
  void aRefusedTargetDoesNotMakeTheOthersRestartAgainOnEveryRetry() {
    deployment("ready", true);
    deployment("not-yet", false);
    world.startOperator();
    world.apply(
        withConsumers(
            List.of(target("script1-token", "apiToken", null)),
            List.of(deploymentTarget("ready"), deploymentTarget("not-yet"))));
    world.awaitStalled("script1", Reasons.ROLLOUT_TARGET_REFUSED);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> templateAnnotations("ready").containsKey(KubernetesConsumerTargets.RESTARTED_AT));
    String first = templateAnnotations("ready").get(KubernetesConsumerTargets.RESTARTED_AT);

    // the stall is rechecked (several times in this world's backoff) without restarting "ready"
    // again; then the admin opts "not-yet" in, and only it restarts
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(6))
        .until(
            () ->
                first.equals(
                    templateAnnotations("ready").get(KubernetesConsumerTargets.RESTARTED_AT)));
    world
        .client
        .apps()
        .deployments()
        .inNamespace(TestWorld.NAMESPACE)
        .withName("not-yet")
        .edit(
            d -> {
              d.getMetadata().setAnnotations(new HashMap<>(Map.of(OPT_IN, "true")));
              return d;
            });
    await().atMost(Duration.ofSeconds(30)).until(() -> restartEvents() == 1);
    assertThat(templateAnnotations("ready").get(KubernetesConsumerTargets.RESTARTED_AT))
        .isEqualTo(first);
    assertThat(templateAnnotations("not-yet")).containsKey(KubernetesConsumerTargets.RESTARTED_AT);
    assertThat(world.events("script1"))
        .filteredOn(e -> Reasons.ROLLOUT_RESTARTED.equals(e.getReason()))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getMessage()).contains("Deployment not-yet").doesNotContain("ready,"));
  }

  @ParameterizedTest
  @EnumSource(
      value = Checkpoint.class,
      names = {"AFTER_VAULT_WRITTEN", "AFTER_SECRET_TARGETS_WRITTEN", "AFTER_ROLLOUT_RESTARTED"})
  void aCrashAtEachConsumerStepLosesNothing(Checkpoint point) {
    deployment("app", true);
    String oldToken = world.vaultToken(PATH);
    CrashOnce crash = new CrashOnce(point);
    world.startOperator(TestWorld.testOptions().withCheckpoints(crash));
    world.apply(
        withConsumers(
            List.of(target("script1-token", "apiToken", null)), List.of(deploymentTarget("app"))));
    await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(30)).untilTrue(crash.crashed());
    world.stopOperator();
    assertThat(world.dynatrace.authenticates(oldToken))
        .as("no consumer was restarted with the successor yet: the old token lives")
        .isTrue();
    String restartedBeforeCrash =
        templateAnnotations("app").get(KubernetesConsumerTargets.RESTARTED_AT);

    world.startOperator();
    await().atMost(Duration.ofSeconds(30)).until(() -> !world.dynatrace.authenticates(oldToken));
    String inVault = world.vaultToken(PATH);
    assertThat(world.dynatrace.authenticates(inVault)).isTrue();
    assertThat(decoded(secret("script1-token"), "apiToken")).isEqualTo(inVault);
    assertThat(templateAnnotations("app"))
        .containsEntry(KubernetesConsumerTargets.RESTARTED_FOR, TestWorld.idOf(inVault));
    assertThat(world.dynatraceCreates()).isEqualTo(1);
    if (point == Checkpoint.AFTER_ROLLOUT_RESTARTED) {
      assertThat(templateAnnotations("app").get(KubernetesConsumerTargets.RESTARTED_AT))
          .as("the restart whose status write was lost is not done twice")
          .isEqualTo(restartedBeforeCrash);
    }
    TokenRotation tr = world.get("script1");
    assertThat(tr.getStatus().getRolloutRestartPendingSince()).isNull();
    assertThat(tr.getStatus().getRetiredTokens()).isNullOrEmpty();
  }
}
