package io.tokenrotation.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tokenrotation.sim.realkube.KubeBinaries;
import io.tokenrotation.sim.realkube.RealKubernetes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The suite's one real API server (started by the first class that asks, stopped when the suite
 * ends), with {@code kubectl apply -k deploy/} done for real: CRDs, the operator's namespace,
 * ServiceAccount, ClusterRole and bindings, the leader-election Role. The Deployment is stored but
 * never runs (no controller-manager): the tests run the operator jar as a process with the
 * ServiceAccount's token instead.
 */
final class Cluster implements AutoCloseable {
  static final String OPERATOR_NAMESPACE = "token-rotation-system";
  static final String OPERATOR_SERVICE_ACCOUNT = "token-rotation-operator";
  static final String OPERATOR_USER =
      "system:serviceaccount:" + OPERATOR_NAMESPACE + ":" + OPERATOR_SERVICE_ACCOUNT;

  final RealKubernetes kube;
  final Kubectl kubectl;
  final long startMillis;

  private Cluster(RealKubernetes kube, long startMillis) throws IOException {
    this.kube = kube;
    this.startMillis = startMillis;
    this.kubectl = new Kubectl(kube.adminKubeconfig());
  }

  static Cluster get(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Cluster.class, k -> start(), Cluster.class);
  }

  private static Cluster start() {
    try {
      Files.deleteIfExists(E2e.summaryFile());
      Files.createDirectories(E2e.work());
      KubeBinaries binaries = KubeBinaries.locateOrBuild(E2e.repo());
      long t0 = System.nanoTime();
      RealKubernetes kube = RealKubernetes.start(binaries);
      Cluster cluster = new Cluster(kube, (System.nanoTime() - t0) / 1_000_000);
      Summary.put("apiServerVersion", kube.serverVersion());
      Summary.put("apiServerStartMillis", cluster.startMillis);
      cluster.kubectl.require("apply", "-k", "deploy/");
      cluster.kubectl.require(
          "wait",
          "--for",
          "condition=Established",
          "--timeout",
          "60s",
          "crd/tokenrotations.tokenrotation.io",
          "crd/tokencleanuppolicies.tokenrotation.io");
      return cluster;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  KubernetesClient admin() {
    return kube.admin();
  }

  void createNamespace(String name) {
    admin()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(existing -> existing.update());
  }

  List<CustomResourceDefinition> crds() {
    return admin().apiextensions().v1().customResourceDefinitions().list().getItems().stream()
        .filter(c -> c.getSpec().getGroup().equals("tokenrotation.io"))
        .toList();
  }

  /**
   * A kubeconfig holding a fresh TokenRequest token of the operator's ServiceAccount from deploy/:
   * what the operator process authenticates with, so RBAC decides every request.
   */
  Path operatorKubeconfig(String fileName) throws IOException {
    return operatorKubeconfig(OPERATOR_NAMESPACE, fileName);
  }

  /**
   * The same for the operator's ServiceAccount installed in {@code namespace} (e.g. by an overlay).
   */
  Path operatorKubeconfig(String namespace, String fileName) throws IOException {
    String token =
        kube.serviceAccountToken(
            namespace, OPERATOR_SERVICE_ACCOUNT, List.of(), Duration.ofHours(2));
    return kube.writeKubeconfig(E2e.work().resolve(fileName), "token-rotation-operator", token);
  }

  @Override
  public void close() {
    kube.close();
  }
}
