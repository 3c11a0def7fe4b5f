package io.tokenrotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two operator processes, one Lease (deploy/'s leader-election Role): the leader is killed with
 * SIGKILL in the middle of rotations; the other takes over within the lease duration, finishes
 * them, and no rotation happens twice (one Vault write per requested rotation).
 */
@ExtendWith(UsesCluster.class)
class LeaderElectionE2eIT {
  private static final String NS = "leader";
  private static final String LEASE = "e2e-leader";
  private static final Duration LEASE_DURATION = Duration.ofSeconds(6);
  private static Cluster cluster;
  private static Upstreams upstreams;

  @BeforeAll
  static void start(Cluster shared) {
    cluster = shared;
    upstreams = Upstreams.start(cluster);
  }

  @AfterAll
  static void stop() {
    if (upstreams != null) {
      upstreams.close();
    }
  }

  private static Map<String, String> env(String pod) {
    Map<String, String> env = new HashMap<>(upstreams.allowEnv());
    env.put("WATCH_NAMESPACES", NS);
    env.put("LEADER_ELECTION", "true");
    env.put("LEADER_ELECTION_LEASE_NAME", LEASE);
    env.put("LEADER_ELECTION_NAMESPACE", Cluster.OPERATOR_NAMESPACE);
    env.put("LEADER_ELECTION_LEASE_DURATION", LEASE_DURATION.toSeconds() + "s");
    env.put("LEADER_ELECTION_RENEW_DEADLINE", "4s");
    env.put("LEADER_ELECTION_RETRY_PERIOD", "1s");
    env.put("POD_NAME", pod);
    return env;
  }

  private static String holder() {
    Lease lease =
        cluster.admin().leases().inNamespace(Cluster.OPERATOR_NAMESPACE).withName(LEASE).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  @Test
  void theOtherProcessTakesOverWithinTheLeaseAndNothingRotatesTwice() throws Exception {
    Fleet fleet = new Fleet(cluster, upstreams, NS, 20, "0s");
    Map<String, String> lastRequest = new HashMap<>();
    try (OperatorJarProcess a =
            OperatorJarProcess.start(
                "leader-a", cluster.operatorKubeconfig("leader-a.kubeconfig"), env("operator-a"));
        OperatorJarProcess b =
            OperatorJarProcess.start(
                "leader-b", cluster.operatorKubeconfig("leader-b.kubeconfig"), env("operator-b"))) {
      // Adoption (interval 24h: the seeded tokens are not due, nothing rotates yet).
      Awaitility.await("fleet adopted and rotated")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> fleet.settled(lastRequest));
      String leader =
          Awaitility.await("a leader")
              .atMost(Duration.ofSeconds(30))
              .until(LeaderElectionE2eIT::holder, Objects::nonNull);
      Map<String, Long> writesBefore = fleet.vaultWrites();
      upstreams.dynatrace.faults().fixedLatency(Duration.ofMillis(400));
      long requested = Fleet.now();
      for (String name : fleet.names) {
        lastRequest.put(name, fleet.requestRotation(name, requested));
      }
      long creates = upstreams.dynatrace.journal().count("POST", "/api/v2/apiTokens");
      Awaitility.await("rotations in flight")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  upstreams.dynatrace.journal().count("POST", "/api/v2/apiTokens") >= creates + 3);
      OperatorJarProcess dying = leader.equals("operator-a") ? a : b;
      String survivor = leader.equals("operator-a") ? "operator-b" : "operator-a";
      long killedAt = System.nanoTime();
      dying.kill();
      Awaitility.await("the survivor holds the lease")
          .atMost(LEASE_DURATION.plusSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> survivor.equals(holder()));
      Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
      upstreams.dynatrace.faults().fixedLatency(Duration.ZERO);
      Awaitility.await("the survivor finishes every rotation")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> fleet.settled(lastRequest));

      Map<String, Long> writesAfter = fleet.vaultWrites();
      long doubles =
          fleet.names.stream().filter(n -> writesAfter.get(n) - writesBefore.get(n) > 1).count();
      long missing =
          fleet.names.stream().filter(n -> writesAfter.get(n) - writesBefore.get(n) < 1).count();
      Summary.put("leaderTakeovers", 1);
      Summary.put("leaderTakeoverMillis", takeover.toMillis());
      Summary.put("doubleRotations", doubles);
      assertThat(takeover).as("takeover time").isLessThanOrEqualTo(LEASE_DURATION.plusSeconds(5));
      assertThat(doubles).as("resources rotated twice for one request").isZero();
      assertThat(missing).as("resources not rotated for their request").isZero();
      assertThat(fleet.lost()).isEmpty();
      assertThat(fleet.orphans()).isEmpty();
      assertThat(Audit.recordForbidden(cluster.kube))
          .as("requests RBAC refused the operator")
          .isEmpty();
      assertThat(Leaks.find(cluster, NS, List.of(a.log(), b.log())))
          .as("secrets in logs, status, events")
          .isEmpty();
    }
  }
}
