package io.tokenrotation.sim.realkube;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real etcd + kube-apiserver on free loopback ports (e2e/README.md): generated service-account
 * signing key and issuer, {@code --authorization-mode=RBAC}, an admin identity from a static token
 * file (group system:masters), the serving certificate the API server generates for itself, and an
 * audit log of every request (so a test can count what RBAC refused). There is no
 * controller-manager or scheduler: namespaces and service accounts must be created explicitly, and
 * Deployments never get pods.
 *
 * <p>The admin token stays in memory and in the 0600 files of the work directory, which {@link
 * #close()} deletes.
 */
public final class RealKubernetes implements AutoCloseable {
  public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final Path work;
  private final List<Process> processes = new ArrayList<>();
  private final String adminToken;
  private final int apiPort;
  private String caPem;
  private KubernetesClient admin;
  private final Thread shutdownHook;

  private RealKubernetes(Path work) {
    this.work = work;
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    this.adminToken = HexFormat.of().formatHex(random);
    this.apiPort = freePort();
    this.shutdownHook = new Thread(this::stopProcesses, "real-kubernetes-shutdown");
  }

  /** Starts etcd and the API server from {@code binaries}, waits for {@code /readyz}. */
  public static RealKubernetes start(KubeBinaries binaries) {
    Path work;
    try {
      work = Files.createTempDirectory("tro-realkube-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RealKubernetes kube = new RealKubernetes(work);
    Runtime.getRuntime().addShutdownHook(kube.shutdownHook);
    try {
      kube.launch(binaries);
      return kube;
    } catch (RuntimeException | IOException e) {
      kube.close();
      throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
    }
  }

  private void launch(KubeBinaries binaries) throws IOException {
    KeyPair saKey = rsaKeyPair();
    writeSecretFile("sa.key", pem("PRIVATE KEY", saKey.getPrivate().getEncoded()));
    Files.writeString(work.resolve("sa.pub"), pem("PUBLIC KEY", saKey.getPublic().getEncoded()));
    writeSecretFile("tokens.csv", adminToken + ",admin,admin-uid,system:masters\n");
    // Metadata level: who asked for what and the answer's code; no bodies, so no secret reaches the
    // log.
    Files.writeString(
        work.resolve("audit-policy.yaml"),
        """
        apiVersion: audit.k8s.io/v1
        kind: Policy
        omitStages: ["RequestReceived", "ResponseStarted"]
        rules:
          - level: Metadata
        """);

    int etcdPort = freePort();
    int peerPort = freePort();
    start(
        "etcd",
        List.of(
            binaries.etcd().toString(),
            "--data-dir",
            work.resolve("etcd").toString(),
            "--client-port",
            String.valueOf(etcdPort),
            "--peer-port",
            String.valueOf(peerPort)));
    start(
        "kube-apiserver",
        List.of(
            binaries.kubeApiServer().toString(),
            "--etcd-servers",
            "http://127.0.0.1:" + etcdPort,
            "--bind-address",
            "127.0.0.1",
            "--advertise-address",
            "127.0.0.1",
            "--secure-port",
            String.valueOf(apiPort),
            "--cert-dir",
            work.resolve("certs").toString(),
            "--token-auth-file",
            work.resolve("tokens.csv").toString(),
            "--authorization-mode",
            "RBAC",
            "--service-account-issuer",
            ISSUER,
            "--service-account-key-file",
            work.resolve("sa.pub").toString(),
            "--service-account-signing-key-file",
            work.resolve("sa.key").toString(),
            "--service-cluster-ip-range",
            "10.0.0.0/24",
            "--disable-admission-plugins",
            "ServiceAccount",
            "--allow-privileged=true",
            "--audit-policy-file",
            work.resolve("audit-policy.yaml").toString(),
            "--audit-log-path",
            auditLog().toString()));
    awaitReady();
    admin =
        new KubernetesClientBuilder()
            .withConfig(config(adminToken, "token-rotation-e2e-admin"))
            .build();
  }

  private void awaitReady() throws IOException {
    Path cert = work.resolve("certs").resolve("apiserver.crt");
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    HttpClient http = null;
    String lastProblem = "no serving certificate yet";
    while (System.nanoTime() < deadline) {
      checkAlive();
      if (http == null && Files.isRegularFile(cert) && Files.size(cert) > 0) {
        caPem = Files.readString(cert);
        http =
            HttpClient.newBuilder()
                .sslContext(trusting(caPem))
                .connectTimeout(Duration.ofSeconds(2))
                .build();
      }
      if (http != null) {
        try {
          HttpResponse<String> ready =
              http.send(
                  HttpRequest.newBuilder(URI.create(url() + "/readyz"))
                      .header("Authorization", "Bearer " + adminToken)
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (ready.statusCode() == 200) {
            return;
          }
          lastProblem = "/readyz answered " + ready.statusCode();
        } catch (IOException e) {
          lastProblem = "/readyz: " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the API server", e);
        }
      }
      // A start-up poll outside any reconcile or test thread: the process gives no other readiness
      // signal.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
    throw new IllegalStateException(
        "kube-apiserver not ready within "
            + READY_TIMEOUT.toSeconds()
            + " s ("
            + lastProblem
            + "); see "
            + work.resolve("kube-apiserver.log"));
  }

  private void checkAlive() {
    for (Process p : processes) {
      if (!p.isAlive()) {
        String name =
            p.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("process");
        throw new IllegalStateException(
            name
                + " exited with "
                + p.exitValue()
                + " during start; its log: "
                + tail(work.resolve(name + ".log")));
      }
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private void start(String name, List<String> command) throws IOException {
    processes.add(
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve(name + ".log").toFile())
            .start());
  }

  public String url() {
    return "https://127.0.0.1:" + apiPort;
  }

  /** The API server's serving certificate (self-signed; what a client must trust). */
  public String caPem() {
    return caPem;
  }

  /** A client as cluster admin (system:masters): for setting the stage, never for the operator. */
  public KubernetesClient admin() {
    return admin;
  }

  /**
   * A Fabric8 configuration for a bearer token against this server; nothing from the environment
   * leaks in.
   */
  public Config config(String token, String userAgent) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withCaCertData(Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8)))
        .withOauthToken(token)
        .withUserAgent(userAgent)
        .withRequestTimeout(30_000)
        .withConnectionTimeout(10_000)
        .build();
  }

  /** {@code kubectl version}'s server line, e.g. v1.34.4. */
  public String serverVersion() {
    return admin.getKubernetesVersion().getGitVersion();
  }

  /** A service-account token from the TokenRequest API, signed by this server's key. */
  public String serviceAccountToken(
      String namespace, String serviceAccount, List<String> audiences, Duration ttl) {
    return admin
        .serviceAccounts()
        .inNamespace(namespace)
        .withName(serviceAccount)
        .tokenRequest(
            new TokenRequestBuilder()
                .withNewSpec()
                .withAudiences(audiences)
                .withExpirationSeconds(ttl.toSeconds())
                .endSpec()
                .build())
        .getStatus()
        .getToken();
  }

  /**
   * Writes a kubeconfig (0600) for {@code token}, e.g. the admin's for kubectl or a service
   * account's.
   */
  public Path writeKubeconfig(Path file, String user, String token) throws IOException {
    String ca = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8));
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: real
            cluster:
              server: %s
              certificate-authority-data: %s
        users:
          - name: %s
            user:
              token: %s
        contexts:
          - name: real
            context: {cluster: real, user: %s}
        current-context: real
        """
            .formatted(url(), ca, user, token, user);
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, yaml);
    return file;
  }

  /** The admin kubeconfig, in the work directory (deleted on close). */
  public Path adminKubeconfig() throws IOException {
    Path file = work.resolve("admin.kubeconfig");
    return Files.exists(file) ? file : writeKubeconfig(file, "admin", adminToken);
  }

  /** JSON lines, one audit event per request (Metadata level: user, verb, URI, response code). */
  public Path auditLog() {
    return work.resolve("audit.log");
  }

  /** Every request audited so far. */
  public List<AuditEvent> auditEvents() {
    return AuditEvent.read(auditLog(), 0);
  }

  /**
   * The requests audited after byte {@code offset} of the log ({@link #auditLogSize()} earlier).
   */
  public List<AuditEvent> auditEventsFrom(long offset) {
    return AuditEvent.read(auditLog(), offset);
  }

  /** The audit log's size now: an offset for {@link #auditEventsFrom}. */
  public long auditLogSize() {
    try {
      return Files.exists(auditLog()) ? Files.size(auditLog()) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path workDirectory() {
    return work;
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    stopProcesses();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    try (Stream<Path> files = Files.walk(work)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory; nothing secret survives the processes but the 0600 files, deleted above
      // when possible
    }
  }

  private synchronized void stopProcesses() {
    // API server first, so it does not log etcd errors for seconds; then etcd.
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
  }

  private void writeSecretFile(String name, String text) throws IOException {
    Path file = work.resolve(name);
    if (!Files.exists(file)) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(file, text);
  }

  private static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** An SSL context that trusts exactly the certificates in {@code pem}. */
  public static SSLContext trusting(String pem) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate cert :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        store.setCertificateEntry("ca-" + i++, cert);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(
          "cannot trust the API server's certificate: " + e.getMessage(), e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
