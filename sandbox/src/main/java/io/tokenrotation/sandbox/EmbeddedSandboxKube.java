package io.tokenrotation.sandbox;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tokenrotation.sim.kubernetes.EmbeddedKubernetes;
import io.tokenrotation.sim.vault.ServiceAccountIdentity;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --kube embedded} (the default): the Fabric8 mock server and its kubectl front in this
 * process, the CRDs installed, no RBAC (any token is accepted). Service-account JWTs are the
 * embedded server's own and Vault checks them directly.
 */
public final class EmbeddedSandboxKube implements SandboxKube {
  private final EmbeddedKubernetes kube;
  private final KubernetesClient client;
  private final boolean direct;

  private EmbeddedSandboxKube(EmbeddedKubernetes kube, KubernetesClient client, boolean direct) {
    this.kube = kube;
    this.client = client;
    this.direct = direct;
  }

  /**
   * The sandbox's: everything, the operator included, goes through the kubectl front on {@code
   * port}.
   */
  public static EmbeddedSandboxKube start(int port) {
    EmbeddedKubernetes kube = EmbeddedKubernetes.start(port);
    EmbeddedCrds.install(kube);
    return new EmbeddedSandboxKube(kube, kube.client(), false);
  }

  /**
   * The benchmark's: its own client (agent {@code clientAgent}) and the operator talk to the mock
   * server directly, without the front's extra hop, so the figures are the operator's (see {@link
   * EmbeddedKubernetes#newDirectClient}).
   */
  public static EmbeddedSandboxKube startDirect(String clientAgent) {
    EmbeddedKubernetes kube = EmbeddedKubernetes.start(0);
    EmbeddedCrds.install(kube);
    return new EmbeddedSandboxKube(kube, kube.newDirectClient(clientAgent), true);
  }

  @Override
  public String mode() {
    return "embedded";
  }

  @Override
  public String url() {
    return kube.url();
  }

  @Override
  public String description() {
    return "embedded; CRDs installed";
  }

  @Override
  public List<String> notes() {
    return List.of();
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public void ensureNamespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(existing -> existing.update());
  }

  @Override
  public void verifyVaultLogins(VaultSimulator vault, String audience) {
    vault.jwtVerifier(
        jwt ->
            kube.serviceAccountJwts()
                .verify(jwt, audience)
                .map(
                    id ->
                        new ServiceAccountIdentity(id.namespace(), id.serviceAccount(), id.uid())));
  }

  @Override
  public void writeKubeconfig(Path file) throws IOException {
    kube.writeKubeconfig(file);
  }

  @Override
  public Path operatorKubeconfig(Path userKubeconfig) {
    return userKubeconfig;
  }

  @Override
  public Config operatorConfig(String userAgent) {
    if (direct) {
      return kube.directConfig(userAgent);
    }
    Config config = kube.config();
    config.setUserAgent(userAgent);
    return config;
  }

  @Override
  public void writeOperatorKubeconfig(Path file) throws IOException {
    if (direct) {
      kube.writeDirectKubeconfig(file);
    } else {
      kube.writeKubeconfig(file);
    }
  }

  @Override
  public void clearRequests() {
    kube.clearRequests();
  }

  @Override
  public List<ApiRequest> operatorRequests(String userAgent) {
    return kube.requests().stream()
        .filter(r -> userAgent.equals(r.userAgent()))
        .map(r -> new ApiRequest(r.method(), r.path()))
        .toList();
  }

  @Override
  public void close() {
    if (direct) {
      client.close();
    }
    kube.close();
  }
}
