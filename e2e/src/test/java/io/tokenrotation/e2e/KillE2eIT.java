package io.tokenrotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real crashes: a fleet rotating (simulator latency on) while the operator process is killed with
 * SIGKILL at seeded moments — after a random number (1–8) of further token creations, deletions and
 * Vault writes, so a kill lands between two steps of some rotation — and restarted each time.
 * Afterwards the invariants of docs/rotation.md hold: every Vault secret holds a working token, no
 * orphan survives, other secret fields are intact, and Vault never held a retired token meanwhile.
 * {@code -De2e.kills=N}, {@code -De2e.killSeed=S}, {@code -De2e.fleet=N} vary it.
 */
@ExtendWith(UsesCluster.class)
class KillE2eIT {
  private static final String NS = "kills";
  private static final int KILLS = Integer.getInteger("e2e.kills", 25);
  private static final long SEED = Long.getLong("e2e.killSeed", 20261130L);
  private static final int SIZE = Integer.getInteger("e2e.fleet", 100);
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

  @Test
  void invariantsHoldAfterRepeatedSigkills() throws Exception {
    Fleet fleet = new Fleet(cluster, upstreams, NS, SIZE, "2s");
    upstreams.dynatrace.faults().randomLatency(Duration.ofMillis(5), Duration.ofMillis(60));
    upstreams.vault.faults().randomLatency(Duration.ofMillis(2), Duration.ofMillis(20));
    Map<String, String> env = new HashMap<>(upstreams.allowEnv());
    env.put("WATCH_NAMESPACES", NS);
    Random random = new Random(SEED);
    Map<String, String> lastRequest = new HashMap<>();
    int kills = 0;
    long inFlightAtKill = 0;
    try (VaultWatch watch =
        new VaultWatch(
            upstreams.vault, upstreams.dynatrace, fleet.names.stream().map(Fleet::path).toList())) {
      OperatorJarProcess operator =
          OperatorJarProcess.start("kills", cluster.operatorKubeconfig("kills.kubeconfig"), env);
      try {
        for (int round = 0; round < KILLS; round++) {
          // more work: a random fifth of the fleet asks for a rotation (the first round: all are
          // due anyway)
          for (String name : fleet.names) {
            if (random.nextInt(5) == 0) {
              lastRequest.put(name, fleet.requestRotation(name, Fleet.now() * 1000 + round));
            }
          }
          long target = rotationCalls() + 1 + random.nextInt(8);
          OperatorJarProcess running = operator;
          Awaitility.await("round " + round + ": " + target + " upstream calls")
              .atMost(Duration.ofSeconds(120))
              .pollInterval(Duration.ofMillis(10))
              .until(() -> rotationCalls() >= target || !running.alive());
          assertThat(running.alive())
              .as("operator alive before kill " + round + "; log " + running.log())
              .isTrue();
          running.kill();
          kills++;
          inFlightAtKill +=
              fleet.rotations().list().stream()
                  .filter(
                      tr -> tr.getStatus() != null && tr.getStatus().getPendingRotation() != null)
                  .count();
          operator =
              OperatorJarProcess.start(
                  "kills", cluster.operatorKubeconfig("kills.kubeconfig"), env);
        }
        Summary.put("killRuns", kills);
        // how many rotations each SIGKILL interrupted, summed: the kills must land mid-rotation to
        // prove anything
        Summary.put("rotationsInFlightAtKills", inFlightAtKill);
        OperatorJarProcess last = operator;
        Awaitility.await("the fleet settles after " + kills + " kills")
            .atMost(Duration.ofMinutes(5))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> fleet.settled(lastRequest) || !last.alive());
        assertThat(last.alive()).as("operator alive; log " + last.log()).isTrue();
      } finally {
        operator.close();
      }
      List<String> lost = fleet.lost();
      List<String> orphans = fleet.orphans();
      Summary.put("lostTokens", lost.size() + watch.violations().size());
      Summary.put("orphanTokens", orphans.size());
      Summary.put("killFleetSize", SIZE);
      assertThat(lost).as("resources whose Vault secret holds no working token").isEmpty();
      assertThat(watch.violations()).as("moments Vault held a retired token").isEmpty();
      assertThat(orphans)
          .as("tokens neither in Vault, in status, nor scheduled for retirement")
          .isEmpty();
      assertThat(fleet.otherFieldsChanged())
          .as("resources whose other secret field changed")
          .isEmpty();
      assertThat(Audit.recordForbidden(cluster.kube))
          .as("requests RBAC refused the operator")
          .isEmpty();
      assertThat(Leaks.find(cluster, NS, List.of(E2e.work().resolve("kills.log"))))
          .as("secrets in logs, status, events")
          .isEmpty();
    }
  }

  /**
   * The calls that move rotations on: token creations and deletions in Dynatrace, secret writes in
   * Vault. Counting these (not reads and logins, which a restarting operator makes first) puts each
   * kill inside some rotation.
   */
  private static long rotationCalls() {
    return upstreams.dynatrace.journal().count(e -> !e.method().equals("GET"))
        + upstreams
            .vault
            .journal()
            .count(e -> !e.method().equals("GET") && e.path().startsWith("/v1/secret/data/"));
  }
}
