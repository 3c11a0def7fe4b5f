package io.tokenrotation.sandbox;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The Kubernetes API the sandbox and the benchmark run the operator against, with the project's
 * CRDs installed: {@link EmbeddedSandboxKube} (the Fabric8 mock server and its kubectl front, in
 * this process) or {@link RealSandboxKube} (a real kube-apiserver + etcd built from Go modules,
 * with RBAC).
 */
public interface SandboxKube extends AutoCloseable {

  /** One request of the operator's, as the API server saw it: HTTP method and path (no query). */
  record ApiRequest(String method, String path) {}

  /** {@code embedded} or {@code real} (the {@code --kube} value). */
  String mode();

  /** The API server's URL (what the kubeconfig written for the user names). */
  String url();

  /** What the banner says about it, e.g. {@code embedded; CRDs installed}. */
  String description();

  /** Further banner lines (empty for the embedded server). */
  List<String> notes();

  /** A client that sets the stage (cluster admin on a real server); owned by this object. */
  KubernetesClient client();

  /** Creates {@code name} unless it exists. */
  void ensureNamespace(String name);

  /**
   * Makes {@code vault}'s Kubernetes auth verify the service-account JWTs this API server issues
   * for {@code audience}.
   */
  void verifyVaultLogins(VaultSimulator vault, String audience);

  /** Writes the kubeconfig for the user's kubectl (creating its directory). */
  void writeKubeconfig(Path file) throws IOException;

  /**
   * The kubeconfig the sandbox's in-process operator starts from: on the embedded server the user's
   * own ({@code userKubeconfig}, as always); on a real one a service account's bound to the
   * operator's ClusterRole.
   */
  Path operatorKubeconfig(Path userKubeconfig) throws IOException;

  /**
   * The benchmark's in-process operator: its client configuration, identified by {@code userAgent}.
   */
  Config operatorConfig(String userAgent);

  /**
   * The benchmark's operator in a JVM of its own: a kubeconfig with the same identity as {@link
   * #operatorConfig}.
   */
  void writeOperatorKubeconfig(Path file) throws IOException;

  /** Forgets the requests counted so far (see {@link #operatorRequests}). */
  void clearRequests();

  /**
   * The operator's requests since the last {@link #clearRequests}: on the embedded server from its
   * journal (by {@code userAgent}), on a real one from the audit log (by the operator's
   * service-account user name).
   */
  List<ApiRequest> operatorRequests(String userAgent);

  @Override
  void close();
}
