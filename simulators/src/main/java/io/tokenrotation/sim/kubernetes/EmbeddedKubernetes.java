package io.tokenrotation.sim.kubernetes;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An in-process Kubernetes API server: the Fabric8 mock server in CRUD mode on 127.0.0.1 (plain
 * HTTP), with TokenRequest served and every request journaled. Good enough for the operator's whole
 * API usage: CRDs, custom resources with a status subresource, watches, Secrets, Events, Leases.
 *
 * <p>The mock listens on an internal ephemeral port; clients (the operator, tests, kubectl) talk to
 * a {@link KubectlFront} on the requested port, which adds discovery, Tables, plain HTTP watches
 * and field selectors for kubectl and passes everything else (websocket watches included) through
 * unchanged.
 */
public final class EmbeddedKubernetes implements AutoCloseable {
  /**
   * The mock server logs every request at INFO through java.util.logging; keep the logger
   * referenced and quiet.
   */
  private static final Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final EmbeddedApiDispatcher dispatcher;
  private final ServiceAccountJwts jwts;
  private final KubectlFront front;
  private final KubernetesClient adminClient;

  private EmbeddedKubernetes(int port, Clock clock) {
    this.jwts = new ServiceAccountJwts(clock);
    this.dispatcher = new EmbeddedApiDispatcher(jwts, clock);
    this.server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    try {
      this.front =
          KubectlFront.start(
              InetAddress.getLoopbackAddress(),
              port,
              new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort()),
              dispatcher,
              clock);
    } catch (RuntimeException e) {
      server.destroy();
      throw e;
    }
    this.adminClient = newClient("embedded-admin");
  }

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.WARNING);
    return logger;
  }

  public static EmbeddedKubernetes start(int port) {
    return start(port, Clock.systemUTC());
  }

  public static EmbeddedKubernetes start(int port, Clock clock) {
    return new EmbeddedKubernetes(port, clock);
  }

  /** e.g. {@code http://127.0.0.1:6443} */
  public String url() {
    return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + front.port();
  }

  public int port() {
    return front.port();
  }

  /** The mock server itself, behind the front (websockets only, no discovery); for diagnosis. */
  public String mockUrl() {
    return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort();
  }

  /** Connection settings for this server, as a kubeconfig would give them. */
  public Config config() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withNamespace("default")
        .withTrustCerts(true)
        .withRequestTimeout(30_000)
        .withConnectionTimeout(10_000)
        .build();
  }

  /**
   * A new client over OkHttp (the operator's own transport), identified by {@code userAgent} in the
   * journal.
   */
  public KubernetesClient newClient(String userAgent) {
    Config config = config();
    config.setUserAgent(userAgent);
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new OkHttpClientFactory())
        .build();
  }

  /**
   * A client straight to the mock server, without the kubectl front (discovery, Tables, HTTP
   * watches are a kubectl convenience a real API server has natively): for measuring the operator
   * rather than the front's extra hop.
   */
  public KubernetesClient newDirectClient(String userAgent) {
    return new KubernetesClientBuilder()
        .withConfig(directConfig(userAgent))
        .withHttpClientFactory(new OkHttpClientFactory())
        .build();
  }

  /**
   * The configuration of {@link #newDirectClient}, for callers that build the client their own way.
   */
  public Config directConfig(String userAgent) {
    Config config = new ConfigBuilder(config()).withMasterUrl(mockUrl()).build();
    config.setUserAgent(userAgent);
    return config;
  }

  /**
   * A client for tests and the sandbox's own bookkeeping (its requests are journaled with agent
   * embedded-admin).
   */
  public KubernetesClient client() {
    return adminClient;
  }

  public ServiceAccountJwts serviceAccountJwts() {
    return jwts;
  }

  /** Faults to inject into client requests (e.g. 409 on status writes). */
  public KubeFaults faults() {
    return dispatcher.faults();
  }

  public List<KubeRequest> requests() {
    return dispatcher.requests();
  }

  public void clearRequests() {
    dispatcher.clearRequests();
  }

  public void installCrd(Path yaml) throws IOException {
    try (InputStream in = Files.newInputStream(yaml)) {
      installCrd(in);
    }
  }

  public void installCrd(InputStream yaml) {
    CustomResourceDefinition crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
    // The very first request to a just-started mock server is occasionally cut off on a loaded
    // machine: retry.
    for (int attempt = 1; ; attempt++) {
      try {
        adminClient
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .resource(crd)
            .createOr(existing -> existing.update());
        return;
      } catch (KubernetesClientException e) {
        if (attempt == 5) {
          throw e;
        }
        try {
          Thread.sleep(200L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * A kubeconfig file pointing at this server (for kubectl and for the operator's
   * auto-configuration).
   */
  public void writeKubeconfig(Path file) throws IOException {
    writeKubeconfig(file, url());
  }

  /**
   * A kubeconfig file for a client of the API server itself, without the kubectl front (see {@link
   * #newDirectClient}): for an operator in another process whose own cost is being measured.
   */
  public void writeDirectKubeconfig(Path file) throws IOException {
    writeKubeconfig(file, mockUrl());
  }

  private void writeKubeconfig(Path file, String server) throws IOException {
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: sandbox
          cluster:
            server: %s
        users:
        - name: sandbox
          user:
            token: sandbox
        contexts:
        - name: sandbox
          context:
            cluster: sandbox
            user: sandbox
            namespace: default
        current-context: sandbox
        """
            .formatted(server);
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, yaml);
  }

  @Override
  public void close() {
    adminClient.close();
    front.close();
    server.destroy();
  }
}
