package io.tokenrotation.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tokenrotation.operator.api.TokenCleanupPolicy;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.app.OperatorApp;
import io.tokenrotation.operator.app.OperatorConfig;
import io.tokenrotation.operator.deploy.DeployManifests;
import io.tokenrotation.operator.it.CleanupPolicies;
import io.tokenrotation.operator.it.Resources;
import io.tokenrotation.operator.it.TestWorld;
import io.tokenrotation.operator.it.TestWorlds;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.dynatrace.IssuedToken;
import io.tokenrotation.sim.kubernetes.KubeRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two shards (docs/sharding.md) over one API server: each operator acts only on the resources its
 * WATCH_LABEL_SELECTOR matches and holds a Lease of its own; stopping one leaves the other's
 * rotations going; a cleanup policy of one shard still protects the tokens of the other's
 * TokenRotations.
 */
@ExtendWith(TestWorlds.class)
@TestWorlds.OperatorStartedByTest
@TestWorlds.WithOperatorNamespace
class ShardingIT {
  private TestWorld world;
  private final List<OperatorApp> shards = new ArrayList<>();
  private final List<KubernetesClient> clients = new ArrayList<>();

  @BeforeEach
  void start(TestWorld world) {
    this.world = world;
  }

  @AfterEach
  void stop() {
    shards.forEach(OperatorApp::close);
    clients.forEach(KubernetesClient::close);
  }

  private OperatorApp shard(String name) {
    Map<String, String> env = new HashMap<>(RbacAuditIT.leaderElectionEnv(name));
    env.put("WATCH_LABEL_SELECTOR", "tokenrotation.io/shard=" + name);
    env.put("LEADER_ELECTION_LEASE_NAME", "token-rotation-operator-" + name);
    KubernetesClient client = world.kube.newClient("operator-" + name);
    clients.add(client);
    OperatorApp app =
        OperatorApp.start(
            client,
            world.allowed(OperatorConfig.fromEnvironment(env)),
            TestWorld.testOptions().withMetricsPort(0));
    shards.add(app);
    await().atMost(Duration.ofSeconds(10)).until(app::isLeader);
    return app;
  }

  private void applyIn(String shard, String name, String path, String interval) {
    TokenRotation tr = Resources.rotation(world, name, path, interval);
    tr.getMetadata().setLabels(Map.of("tokenrotation.io/shard", shard));
    world.apply(tr);
  }

  /** A token created two hours ago (older than a cleanup's minimum age), stored at {@code path}. */
  private String secret(String path) {
    world.dynatraceClock.advance(Duration.ofHours(-2));
    IssuedToken token =
        world.dynatrace.createToken(
            path.replace('/', '-'), SeedState.SCRIPT_SCOPES, SeedState.OWNER, null);
    world.dynatraceClock.advance(Duration.ofHours(2));
    world.vault.writeKv("", "secret", path, Map.of("token", token.token()));
    return token.id();
  }

  @Test
  void twoShardsSplitTheResourcesExactlyAndOneGoingDownLeavesTheOtherRotating() {
    secret("dynatrace/a2");
    secret("dynatrace/b2");
    OperatorApp a = shard("a");
    shard("b");
    applyIn("a", "a1", "dynatrace/automation_script1", "1h");
    applyIn("a", "a2", "dynatrace/a2", "24h");
    applyIn("b", "b1", "dynatrace/automation_script2", "1h");
    applyIn("b", "b2", "dynatrace/b2", "24h");
    world.apply(Resources.rotation(world, "nobodys", "dynatrace/master", "24h")); // no shard label

    world.awaitReady("a1", Reasons.ROTATED);
    world.awaitReady("b1", Reasons.ROTATED);
    world.awaitReady("a2", Reasons.ADOPTED);
    world.awaitReady("b2", Reasons.ADOPTED);

    assertThat(resourcesWrittenBy("operator-a")).containsExactlyInAnyOrder("a1", "a2");
    assertThat(resourcesWrittenBy("operator-b")).containsExactlyInAnyOrder("b1", "b2");
    assertThat(world.get("nobodys").getStatus())
        .as("a resource no shard selects is left to no one")
        .isNull();
    assertThat(holder("token-rotation-operator-a")).isEqualTo("a");
    assertThat(holder("token-rotation-operator-b")).isEqualTo("b");

    // A cleanup policy of shard a: the current token of shard b's b2 matches its selector, and is
    // protected although shard a does not manage b2.
    TokenCleanupPolicy policy =
        CleanupPolicies.policy(
            world, "report-b2", s -> s.getSelector().setNamePattern("dynatrace-b2"));
    policy.getMetadata().setLabels(Map.of("tokenrotation.io/shard", "a"));
    CleanupPolicies.apply(world, policy);
    TokenCleanupPolicy reported = CleanupPolicies.awaitRun(world, "report-b2");
    assertThat(reported.getStatus().getProtectedMatches())
        .as("shard b's current token is protected in shard a's cleanup")
        .isEqualTo(1);
    assertThat(reported.getStatus().getMatched()).isZero();

    // Shard a goes away: shard b keeps rotating; shard a's resources wait for it.
    a.close();
    shards.remove(a);
    world.annotate("b2", TokenRotation.ROTATE_REQUESTED_AT, "while-a-is-down");
    world.annotate("a2", TokenRotation.ROTATE_REQUESTED_AT, "while-a-is-down");
    world.await(
        "b2",
        "rotated on request",
        r -> "while-a-is-down".equals(r.getStatus().getLastHandledRotateRequest()));
    assertThat(world.get("a2").getStatus().getLastHandledRotateRequest())
        .as("nobody else acts on shard a's resources")
        .isNull();
    assertThat(resourcesWrittenBy("operator-b")).containsExactlyInAnyOrder("b1", "b2");
  }

  /** Names of the TokenRotations whose status {@code agent} wrote. */
  private Set<String> resourcesWrittenBy(String agent) {
    return world.kube.requests().stream()
        .filter(r -> agent.equals(r.userAgent()))
        .filter(r -> !r.method().equals("GET"))
        .map(KubeRequest::path)
        .filter(p -> p.startsWith("/apis/tokenrotation.io/") && p.contains("/tokenrotations/"))
        .map(p -> p.replaceAll(".*/tokenrotations/([^/]+).*", "$1"))
        .collect(Collectors.toSet());
  }

  private String holder(String lease) {
    Lease held =
        world.client.leases().inNamespace(DeployManifests.OPERATOR_NAMESPACE).withName(lease).get();
    return held == null ? null : held.getSpec().getHolderIdentity();
  }
}
