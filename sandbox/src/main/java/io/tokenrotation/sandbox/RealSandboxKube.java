package io.tokenrotation.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tokenrotation.sim.realkube.KubeBinaries;
import io.tokenrotation.sim.realkube.RealKubernetes;
import io.tokenrotation.sim.realkube.VaultTokenReview;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code --kube real}: a real kube-apiserver + etcd built from Go modules ({@link RealKubernetes};
 * e2e/README.md), with RBAC, real schema and CEL validation, and an audit log. Set up like {@code
 * kubectl apply -k deploy/} minus the Deployment: the CRDs (from the jar's crds/, awaited
 * Established), and the operator's Namespace, ServiceAccount, ClusterRole and ClusterRoleBinding
 * exactly as in deploy/base (bundled in the jar). The operator runs with that service account's
 * token, so RBAC decides every request it makes; the user's kubeconfig is the cluster admin's.
 * Vault's Kubernetes auth verifies logins through the server's TokenReview ({@link
 * VaultTokenReview}).
 */
public final class RealSandboxKube implements SandboxKube {
  public static final String OPERATOR_NAMESPACE = "token-rotation-system";
  public static final String OPERATOR_SERVICE_ACCOUNT = "token-rotation-operator";

  /** The operator's user name in the audit log. */
  public static final String OPERATOR_USER =
      "system:serviceaccount:" + OPERATOR_NAMESPACE + ":" + OPERATOR_SERVICE_ACCOUNT;

  /** deploy/base files bundled in the jar (sandbox/pom.xml), applied in this order. */
  static final List<String> DEPLOY =
      List.of(
          "deploy/base/namespace.yaml",
          "deploy/base/serviceaccount.yaml",
          "deploy/base/clusterrole.yaml",
          "deploy/base/clusterrolebinding.yaml");

  /**
   * The operator's token. The cluster (and its signing key) lives and dies with this process; a
   * short lifetime would only cut off a long sandbox session, as nothing here renews it.
   */
  private static final Duration OPERATOR_TOKEN_TTL = Duration.ofDays(7);

  private final RealKubernetes kube;
  private final String version;
  private String operatorToken;
  private long auditOffset;

  private RealSandboxKube(RealKubernetes kube) {
    this.kube = kube;
    this.version = kube.serverVersion();
  }

  /**
   * The binaries: {@code TRO_KUBE_BIN}, else e2e/kube/build.sh of the repository around the working
   * directory or, failing that, around this jar (cached after the first build). Throws {@link
   * IllegalStateException} naming {@link KubeBinaries#HOW_TO_BUILD} when they cannot be had (e.g.
   * no Go).
   */
  public static KubeBinaries binaries() {
    return KubeBinaries.locateOrBuild(Path.of("").toAbsolutePath(), codeLocation());
  }

  private static Path codeLocation() {
    try {
      return Path.of(
          RealSandboxKube.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      return Path.of("").toAbsolutePath();
    }
  }

  /** Starts etcd and the API server, installs the CRDs and the operator's RBAC. */
  public static RealSandboxKube start(KubeBinaries binaries) {
    RealKubernetes kube = RealKubernetes.start(binaries);
    try {
      RealSandboxKube sandboxKube = new RealSandboxKube(kube);
      sandboxKube.installCrds();
      sandboxKube.installOperatorRbac();
      return sandboxKube;
    } catch (RuntimeException e) {
      kube.close();
      throw e;
    }
  }

  private void installCrds() {
    List<String> names = new ArrayList<>();
    for (String resource : EmbeddedCrds.CRDS) {
      CustomResourceDefinition crd;
      try (InputStream in = Sandbox.resource(resource)) {
        crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      client()
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(crd)
          .createOr(existing -> existing.update());
      names.add(crd.getMetadata().getName());
    }
    for (String name : names) {
      client()
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(name)
          .waitUntilCondition(
              crd ->
                  crd != null
                      && crd.getStatus() != null
                      && crd.getStatus().getConditions() != null
                      && crd.getStatus().getConditions().stream()
                          .anyMatch(
                              c ->
                                  "Established".equals(c.getType())
                                      && "True".equals(c.getStatus())),
              60,
              TimeUnit.SECONDS);
    }
  }

  private void installOperatorRbac() {
    for (String resource : DEPLOY) {
      try (InputStream in = Sandbox.resource(resource)) {
        for (HasMetadata item : client().load(in).items()) {
          client().resource(item).createOr(existing -> existing.update());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A TokenRequest token of the operator's service account (one per run). */
  private synchronized String operatorToken() {
    if (operatorToken == null) {
      operatorToken =
          kube.serviceAccountToken(
              OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT, List.of(), OPERATOR_TOKEN_TTL);
    }
    return operatorToken;
  }

  @Override
  public String mode() {
    return "real";
  }

  @Override
  public String url() {
    return kube.url();
  }

  /** e.g. v1.34.4 */
  public String version() {
    return version;
  }

  @Override
  public String description() {
    return "real kube-apiserver " + version + " (built from Go modules); CRDs installed, RBAC on";
  }

  @Override
  public List<String> notes() {
    return List.of(
        "the operator runs as "
            + OPERATOR_USER
            + " (RBAC of deploy/base); the kubeconfig is the"
            + " cluster admin's");
  }

  @Override
  public KubernetesClient client() {
    return kube.admin();
  }

  @Override
  public void ensureNamespace(String name) {
    if (client().namespaces().withName(name).get() == null) {
      client()
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
  }

  @Override
  public void verifyVaultLogins(VaultSimulator vault, String audience) {
    VaultTokenReview.install(kube, vault, audience);
  }

  @Override
  public void writeKubeconfig(Path file) throws IOException {
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    String admin = Files.readString(kube.adminKubeconfig());
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, admin);
  }

  @Override
  public Path operatorKubeconfig(Path userKubeconfig) throws IOException {
    Path file = kube.workDirectory().resolve("operator.kubeconfig");
    writeOperatorKubeconfig(file);
    return file;
  }

  @Override
  public Config operatorConfig(String userAgent) {
    return kube.config(operatorToken(), userAgent);
  }

  @Override
  public void writeOperatorKubeconfig(Path file) throws IOException {
    kube.writeKubeconfig(file, OPERATOR_SERVICE_ACCOUNT, operatorToken());
  }

  @Override
  public synchronized void clearRequests() {
    auditOffset = kube.auditLogSize();
  }

  /**
   * From the audit log (one event per request at Metadata level), by user name: {@code userAgent}
   * is not needed.
   */
  @Override
  public synchronized List<ApiRequest> operatorRequests(String userAgent) {
    return kube.auditEventsFrom(auditOffset).stream()
        .filter(e -> OPERATOR_USER.equals(e.user()))
        .map(e -> new ApiRequest(method(e.verb()), e.path()))
        .toList();
  }

  /**
   * The audit log's verb as the HTTP method the client used (what the embedded journal records).
   */
  static String method(String verb) {
    return Map.of(
            "get",
            "GET",
            "list",
            "GET",
            "watch",
            "GET",
            "create",
            "POST",
            "update",
            "PUT",
            "patch",
            "PATCH",
            "delete",
            "DELETE",
            "deletecollection",
            "DELETE")
        .getOrDefault(verb, verb.toUpperCase(Locale.ROOT));
  }

  @Override
  public void close() {
    kube.close();
  }
}
