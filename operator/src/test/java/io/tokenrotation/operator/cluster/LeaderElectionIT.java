package io.tokenrotation.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.app.OperatorApp;
import io.tokenrotation.operator.app.OperatorConfig;
import io.tokenrotation.operator.app.OperatorOptions;
import io.tokenrotation.operator.deploy.DeployManifests;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.it.Resources;
import io.tokenrotation.operator.it.TestWorld;
import io.tokenrotation.operator.it.TestWorlds;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.sim.kubernetes.KubeRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Two operator instances on one API server, leader election on (short Lease): only the leader
 * writes status, the follower stays ready with warm caches, and when the leader stops the follower
 * takes over and rotates.
 */
@Isolated("CPU-heavy or timing-sensitive (or crashes its operator on purpose): runs alone")
@ExtendWith(TestWorlds.class)
@TestWorlds.OperatorStartedByTest
@TestWorlds.WithOperatorNamespace
class LeaderElectionIT {
  private TestWorld world;
  private OperatorApp first;
  private OperatorApp second;
  private KubernetesClient firstClient;
  private KubernetesClient secondClient;
  private final AtomicInteger lostLeadership = new AtomicInteger();

  @BeforeEach
  void start(TestWorld world) {
    this.world = world;
  }

  @AfterEach
  void stop() {
    for (OperatorApp app : new OperatorApp[] {first, second}) {
      if (app != null) {
        app.close();
      }
    }
    for (KubernetesClient c : new KubernetesClient[] {firstClient, secondClient}) {
      if (c != null) {
        c.close();
      }
    }
  }

  private OperatorApp start(String identity, KubernetesClient client) {
    return OperatorApp.start(
        client,
        world.allowed(OperatorConfig.fromEnvironment(RbacAuditIT.leaderElectionEnv(identity))),
        OperatorOptions.defaults()
            .withBackoff(
                new Backoff(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(1)))
            .withMetricsPort(0)
            .withLostLeadership(lostLeadership::incrementAndGet));
  }

  @Test
  void onlyTheLeaderReconcilesAndTheOtherTakesOverWhenItStops() {
    firstClient = world.kube.newClient("operator-one");
    first = start("operator-one", firstClient);
    await().atMost(Duration.ofSeconds(10)).until(first::isLeader);
    secondClient = world.kube.newClient("operator-two");
    second = start("operator-two", secondClient);
    assertThat(Http.get(second.metricsPort(), "/readyz").statusCode())
        .as("a follower is ready")
        .isEqualTo(200);

    world.apply(Resources.rotation(world, "script1", "dynatrace/automation_script1", "24h"));
    world.awaitReady("script1", Reasons.ADOPTED);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> !second.isLeader());
    assertThat(statusWrites("operator-one")).isNotEmpty();
    assertThat(statusWrites("operator-two")).as("the follower wrote no status").isEmpty();
    assertThat(holder()).isEqualTo("operator-one");
    assertThat(Http.get(second.metricsPort(), "/metrics").body())
        .contains("tokenrotation_leader 0.0")
        .doesNotContain("tokenrotation_ready{");
    assertThat(Http.get(first.metricsPort(), "/metrics").body())
        .contains("tokenrotation_leader 1.0")
        .contains("tokenrotation_ready{name=\"script1\",namespace=\"team-a\"} 1.0");

    // the leader goes away (its Lease is not released: the follower waits for it to expire)
    first.close();
    first = null;
    await().atMost(Duration.ofSeconds(15)).until(second::isLeader);
    assertThat(holder()).isEqualTo("operator-two");

    // a due resource is rotated by the new leader
    world.apply(Resources.rotation(world, "script2", "dynatrace/automation_script2", "1h"));
    TokenRotation rotated = world.awaitReady("script2", Reasons.ROTATED);
    assertThat(rotated.getStatus().getLastRotationTime()).isNotNull();
    assertThat(statusWrites("operator-two")).anyMatch(r -> r.path().endsWith("/script2/status"));
    assertThat(lostLeadership).as("nobody lost the Lease while running").hasValue(0);
  }

  private List<KubeRequest> statusWrites(String agent) {
    return world.kube.requests().stream()
        .filter(r -> agent.equals(r.userAgent()))
        .filter(
            r ->
                r.method().equals("PUT")
                    && r.path().startsWith("/apis/tokenrotation.io/")
                    && r.path().endsWith("/status"))
        .toList();
  }

  private String holder() {
    Lease lease =
        world
            .client
            .leases()
            .inNamespace(DeployManifests.OPERATOR_NAMESPACE)
            .withName("token-rotation-operator")
            .get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
