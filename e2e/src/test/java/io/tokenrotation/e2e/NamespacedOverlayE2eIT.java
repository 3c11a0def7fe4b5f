package io.tokenrotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.testing.Fixtures;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * deploy/overlays/namespaced for real: no ClusterRole, a Role per watched namespace (team-a,
 * team-b) and the leader-election Role. It is rendered with kubectl kustomize and installed into
 * its own namespace ({@value #SYSTEM}, instead of token-rotation-system, whose ServiceAccount
 * already has the cluster-wide ClusterRole of deploy/), so the operator process has exactly the
 * overlay's permissions: it must rotate in both namespaces, hold its Lease, and never be refused.
 */
@ExtendWith(UsesCluster.class)
class NamespacedOverlayE2eIT {
  static final String SYSTEM = "tro-namespaced";
  private static final String USER =
      "system:serviceaccount:" + SYSTEM + ":" + Cluster.OPERATOR_SERVICE_ACCOUNT;
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
  void rotatesInBothWatchedNamespacesWithOnlyTheOverlaysRoles() throws Exception {
    for (String ns : List.of("team-a", "team-b")) {
      cluster.createNamespace(ns);
    }
    Kubectl.Result rendered = cluster.kubectl.run("kustomize", "deploy/overlays/namespaced");
    assertThat(rendered.ok()).as(rendered.output()).isTrue();
    assertThat(rendered.output()).doesNotContain("kind: ClusterRole\n");
    Kubectl.Result applied =
        cluster.kubectl.runWithInput(
            rendered.output().replace(Cluster.OPERATOR_NAMESPACE, SYSTEM), "apply", "-f", "-");
    assertThat(applied.ok()).as(applied.output()).isTrue();

    Map<String, String> seeded = new HashMap<>();
    for (String ns : List.of("team-a", "team-b")) {
      upstreams.bindServiceAccount(cluster, ns, Fleet.SERVICE_ACCOUNT, ns + "-rotator");
      String path = "dynatrace/" + ns + "-app";
      seeded.put(ns, upstreams.seedToken(path, Map.of()));
      TokenRotation tr =
          Fixtures.rotation(
              ns + "-app",
              upstreams.vault.baseUrl(),
              upstreams.dynatrace.baseUrl(),
              Fixtures.path(path),
              Fixtures.interval("1m"),
              Fixtures.kubernetesAuth(ns + "-rotator", Fleet.SERVICE_ACCOUNT),
              Fixtures.retire(RetireAction.Delete, "0s"));
      tr.getMetadata().setNamespace(ns);
      cluster.admin().resource(tr).create();
    }

    Map<String, String> env = new HashMap<>(upstreams.allowEnv());
    env.put("WATCH_NAMESPACES", "team-a,team-b");
    env.put("LEADER_ELECTION", "true");
    env.put("POD_NAMESPACE", SYSTEM);
    env.put("POD_NAME", "namespaced-0");
    try (OperatorJarProcess operator =
        OperatorJarProcess.start(
            "namespaced", cluster.operatorKubeconfig(SYSTEM, "namespaced.kubeconfig"), env)) {
      for (String ns : List.of("team-a", "team-b")) {
        new Rotations(cluster.admin(), ns)
            .awaitReady(
                ns + "-app",
                t ->
                    t.getStatus().getTokenId() != null
                        && !t.getStatus().getTokenId().equals(seeded.get(ns)));
        String inVault =
            upstreams
                .vault
                .readKv("", "secret", "dynatrace/" + ns + "-app")
                .orElseThrow()
                .get("token");
        assertThat(upstreams.dynatrace.authenticates(inVault)).as(ns).isTrue();
      }
      Lease lease =
          Awaitility.await("the overlay's Lease")
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      cluster
                          .admin()
                          .leases()
                          .inNamespace(SYSTEM)
                          .withName("token-rotation-operator")
                          .get(),
                  l ->
                      l != null
                          && l.getSpec() != null
                          && "namespaced-0".equals(l.getSpec().getHolderIdentity()));
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("namespaced-0");
      assertThat(Leaks.find(cluster, "team-a", List.of(operator.log())))
          .as("secrets in logs, status, events")
          .isEmpty();
    }
    assertThat(Audit.forbidden(cluster.kube, USER))
        .as("requests RBAC refused the overlay's operator")
        .isEmpty();
    assertThat(Audit.events(cluster.kube, e -> e.user().equals(USER)))
        .as("requests it made")
        .isNotEmpty();
    Audit.recordForbidden(cluster.kube);
  }
}
