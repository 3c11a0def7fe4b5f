package io.tokenrotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a cluster admin installs, accepted by a real API server: the CRDs (schema + CEL), deploy/,
 * the examples.
 */
@ExtendWith(UsesCluster.class)
class ClusterSetupE2eIT {
  private static Cluster cluster;

  @BeforeAll
  static void cluster(Cluster shared) {
    cluster = shared;
  }

  @Test
  void bothCrdsFromCrdsDirectoryAreEstablished() {
    List<CustomResourceDefinition> crds = cluster.crds();
    long established =
        crds.stream()
            .filter(
                c ->
                    c.getStatus().getConditions().stream()
                        .anyMatch(
                            cond ->
                                cond.getType().equals("Established")
                                    && cond.getStatus().equals("True")))
            .count();
    Summary.put("crdsEstablished", established);
    assertThat(crds)
        .extracting(c -> c.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "tokenrotations.tokenrotation.io", "tokencleanuppolicies.tokenrotation.io");
    assertThat(established).isEqualTo(2);
    // crds/ is what the docs tell users to apply; deploy/ carries a copy that must be the same
    // objects.
    assertThat(cluster.kubectl.run("diff", "-f", "crds/").output())
        .as("crds/ against what deploy/ installed")
        .isEmpty();
  }

  @Test
  void deployAndItsOverlaysAreAcceptedByTheServer() {
    for (String ns : List.of("team-a", "team-b")) {
      cluster.createNamespace(ns);
    }
    Kubectl.Result base = cluster.kubectl.run("apply", "--dry-run=server", "-k", "deploy/");
    assertThat(base.ok()).as(base.output()).isTrue();
    Kubectl.Result namespaced =
        cluster.kubectl.run("apply", "--dry-run=server", "-k", "deploy/overlays/namespaced");
    assertThat(namespaced.ok()).as(namespaced.output()).isTrue();
    assertThat(namespaced.output())
        .contains("role.rbac.authorization.k8s.io/token-rotation-operator");
    Kubectl.Result shards =
        cluster.kubectl.run("apply", "--dry-run=server", "-k", "deploy/overlays/two-shards");
    assertThat(shards.ok()).as(shards.output()).isTrue();
    assertThat(shards.output())
        .contains(
            "deployment.apps/token-rotation-operator-shard-a",
            "deployment.apps/token-rotation-operator-shard-b")
        .doesNotContain("deployment.apps/token-rotation-operator ");
  }

  @Test
  void everyExampleIsAcceptedByTheServer() throws IOException {
    cluster.createNamespace("examples");
    List<Path> examples;
    try (Stream<Path> files = Files.list(E2e.repo().resolve("examples"))) {
      examples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(examples).hasSizeGreaterThanOrEqualTo(5);
    for (Path example : examples) {
      Kubectl.Result result =
          cluster.kubectl.run(
              "apply",
              "--dry-run=server",
              "-n",
              "examples",
              "-f",
              E2e.repo().relativize(example).toString());
      assertThat(result.ok()).as(example.getFileName() + ": " + result.output()).isTrue();
    }
    Kubectl.Result sandbox =
        cluster.kubectl.run(
            "apply", "--dry-run=server", "-n", "examples", "-f", "examples/sandbox/");
    assertThat(sandbox.ok()).as(sandbox.output()).isTrue();
  }
}
