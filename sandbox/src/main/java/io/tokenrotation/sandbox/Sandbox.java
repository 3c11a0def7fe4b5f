package io.tokenrotation.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tokenrotation.operator.app.OperatorApp;
import io.tokenrotation.operator.app.OperatorConfig;
import io.tokenrotation.operator.app.OperatorOptions;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.dynatrace.DynatraceSimulator;
import io.tokenrotation.sim.dynatrace.Throttling;
import io.tokenrotation.sim.http.SettableClock;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything in one process: a Kubernetes API with the CRDs (embedded, or a real kube-apiserver +
 * etcd with {@code --kube real}: {@link SandboxKube}), Vault and Dynatrace simulators seeded like
 * the standalone ones, and the operator started exactly as in a cluster, from a kubeconfig.
 */
final class Sandbox implements AutoCloseable {
  static final String NAMESPACE = "default";
  static final String ROLE = "token-rotator";
  static final String SERVICE_ACCOUNT = "token-rotator";
  static final List<String> EXAMPLES =
      List.of(
          "00-service-account.yaml",
          "automation-script1.yaml",
          "automation-script2.yaml",
          "master.yaml",
          "secret-sync.yaml",
          "stale-tokens.yaml");

  /**
   * Seeded tokens look this old, so the examples (1m interval) rotate as soon as they are adopted.
   */
  static final Duration SEED_AGE = Duration.ofMinutes(2);

  final SandboxOptions options;
  final SandboxKube kube;
  VaultSimulator vault;
  DynatraceSimulator dynatrace;
  Map<String, String> seeded;
  Map<String, String> staleTokens;
  KubernetesClient operatorClient;
  OperatorApp operator;

  /** On the embedded Kubernetes API ({@code --kube embedded}, on {@code --kube-port}). */
  Sandbox(SandboxOptions options) throws IOException {
    this(options, EmbeddedSandboxKube.start(options.kubePort()));
  }

  /** On {@code kube} (closed with the sandbox, or at once when the rest fails to start). */
  Sandbox(SandboxOptions options, SandboxKube kube) throws IOException {
    this.options = options;
    this.kube = kube;
    try {
      kube.ensureNamespace(NAMESPACE);
      vault = VaultSimulator.start(options.vaultPort());
      kube.verifyVaultLogins(vault, VaultKubernetesLogin.AUDIENCE);
      VaultKubernetesLogin.enable(
          vault, kube.client(), NAMESPACE, SERVICE_ACCOUNT, ROLE, "dynatrace/*");
      SettableClock dynatraceClock = new SettableClock();
      dynatrace = DynatraceSimulator.start(options.dynatracePort(), dynatraceClock);
      dynatraceClock.advance(SEED_AGE.negated());
      seeded = SeedState.apply(vault, dynatrace);
      dynatraceClock.advance(SEED_AGE);
      staleTokens = seedStaleTokens(dynatrace, dynatraceClock.instant());
      // Throttled like a real environment since API 1.210: by capacity, bare 429s (POST
      // /__sim/throttling changes it).
      dynatrace.throttling(Throttling.realistic());

      kube.writeKubeconfig(options.kubeconfig());
      // The operator's own path: Fabric8 auto-configuration from a kubeconfig file, as with
      // KUBECONFIG in a shell
      // (embedded: the user's; real: the operator service account's, so RBAC decides its every
      // request).
      Path kubeconfig = kube.operatorKubeconfig(options.kubeconfig());
      Config config =
          Config.fromKubeconfig(
              null, Files.readString(kubeconfig), kubeconfig.toAbsolutePath().toString());
      // The sandbox allows exactly its simulators (docs/security.md), whatever the shell's
      // environment says.
      Map<String, String> env = new HashMap<>(System.getenv());
      env.remove("ALLOWED_VAULT_ADDRESSES");
      env.remove("ALLOWED_DYNATRACE_URLS");
      OperatorConfig operatorConfig =
          OperatorConfig.fromEnvironment(env).allowing(vault.baseUrl(), dynatrace.baseUrl());
      operatorClient = OperatorApp.kubernetesClient(config, operatorConfig);
      operator =
          OperatorApp.start(
              operatorClient,
              operatorConfig,
              OperatorOptions.defaults().withMetricsPort(options.metricsPort()));
    } catch (IOException | RuntimeException e) {
      closeQuietly();
      throw e;
    }
  }

  /** What a failed start leaves running (non-daemon server threads would keep the JVM alive). */
  private void closeQuietly() {
    List<Runnable> parts = new ArrayList<>();
    if (operatorClient != null) {
      parts.add(operatorClient::close);
    }
    if (dynatrace != null) {
      parts.add(dynatrace::close);
    }
    if (vault != null) {
      parts.add(vault::close);
    }
    parts.add(kube::close);
    for (Runnable part : parts) {
      try {
        part.run();
      } catch (RuntimeException ignored) {
        // already failing
      }
    }
  }

  /**
   * Tokens with a history, for examples/sandbox/stale-tokens.yaml (unusedFor 90d): two it lists,
   * one in use that it must not. Name -> id (public ids only, for printing).
   */
  static Map<String, String> seedStaleTokens(DynatraceSimulator dynatrace, Instant now) {
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put(
        "legacy-export",
        dynatrace
            .createToken(
                "legacy-export",
                SeedState.SCRIPT_SCOPES,
                SeedState.OWNER,
                null,
                now.minus(Duration.ofDays(120)),
                null)
            .id());
    ids.put(
        "jane-dashboard-sync",
        dynatrace
            .createToken(
                "jane-dashboard-sync",
                List.of("ReadConfig"),
                "jane.doe@example.com",
                null,
                now.minus(Duration.ofDays(400)),
                now.minus(Duration.ofDays(200)))
            .id());
    ids.put(
        "ci-pipeline",
        dynatrace
            .createToken(
                "ci-pipeline",
                List.of("DataExport"),
                SeedState.OWNER,
                null,
                now.minus(Duration.ofDays(300)),
                now.minus(Duration.ofDays(1)))
            .id());
    return ids;
  }

  /** Applies examples/sandbox (bundled in the jar), with the simulator addresses of this run. */
  List<HasMetadata> applyExamples() throws IOException {
    List<HasMetadata> applied = new ArrayList<>();
    for (String name : EXAMPLES) {
      String yaml;
      try (InputStream in = resource("examples/sandbox/" + name)) {
        yaml =
            new String(in.readAllBytes(), StandardCharsets.UTF_8)
                .replace("http://127.0.0.1:8200", vault.baseUrl())
                .replace("http://127.0.0.1:8380", dynatrace.baseUrl());
      }
      for (HasMetadata item :
          kube.client()
              .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
              .items()) {
        item.getMetadata().setNamespace(NAMESPACE);
        applied.add(
            kube.client()
                .resource(item)
                .inNamespace(NAMESPACE)
                .createOr(existing -> existing.update()));
      }
    }
    return applied;
  }

  static InputStream resource(String path) throws IOException {
    InputStream in = Sandbox.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IOException("missing resource " + path + " in the sandbox jar");
    }
    return in;
  }

  @Override
  public void close() {
    operator.close();
    operatorClient.close();
    dynatrace.close();
    vault.close();
    kube.close();
  }
}
