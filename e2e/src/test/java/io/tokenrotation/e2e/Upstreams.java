package io.tokenrotation.e2e;

import io.tokenrotation.sandbox.VaultKubernetesLogin;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.dynatrace.DynatraceSimulator;
import io.tokenrotation.sim.dynatrace.IssuedToken;
import io.tokenrotation.sim.http.SettableClock;
import io.tokenrotation.sim.realkube.VaultTokenReview;
import io.tokenrotation.sim.vault.TokenReviewJwtVerifier;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Vault and Dynatrace simulators for one test class, with Vault's Kubernetes auth configured as
 * the docs tell users: a reviewer service account bound to {@code system:auth-delegator}, and every
 * login's JWT checked by the real API server's TokenReview (audience {@code vault}, the operator's
 * default).
 */
final class Upstreams implements AutoCloseable {
  static final String AUDIENCE = "vault";

  /**
   * Seeded tokens look this old, so a 1-minute interval is due at adoption (as in the sandbox); 24h
   * is not.
   */
  static final Duration SEED_AGE = Duration.ofMinutes(2);

  final VaultSimulator vault;
  final DynatraceSimulator dynatrace;
  final TokenReviewJwtVerifier reviews;
  final IssuedToken master;

  private Upstreams(Cluster cluster) {
    vault = VaultSimulator.start(0);
    dynatrace = DynatraceSimulator.start(0, new SettableClock());
    reviews = VaultTokenReview.install(cluster.kube, vault, AUDIENCE);
    master = dynatrace.createToken("master", SeedState.MASTER_SCOPES, SeedState.OWNER, null);
    vault.writeKv("", "secret", SeedState.MASTER_PATH, Map.of("token", master.token()));
  }

  static Upstreams start(Cluster cluster) {
    return new Upstreams(cluster);
  }

  /**
   * A Vault role {@code role} for service account {@code serviceAccount} of {@code namespace} on KV
   * v2 paths {@code secret/dynatrace/*}, and the service account itself with the opt-in annotation
   * (docs/security.md).
   */
  void bindServiceAccount(Cluster cluster, String namespace, String serviceAccount, String role) {
    VaultKubernetesLogin.enable(
        vault, cluster.admin(), namespace, serviceAccount, role, "dynatrace/*");
  }

  /**
   * A token old enough to be due, written to {@code secret/<path>} (field token, plus {@code
   * extra}); its id.
   */
  String seedToken(String path, Map<String, String> extra) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    IssuedToken token =
        dynatrace.createToken(
            name,
            SeedState.SCRIPT_SCOPES,
            SeedState.OWNER,
            null,
            Instant.now().minus(SEED_AGE),
            null);
    Map<String, String> data = new LinkedHashMap<>(extra);
    data.put("token", token.token());
    vault.writeKv("", "secret", path, data);
    return token.id();
  }

  /** The operator may talk to these two simulators and nothing else. */
  Map<String, String> allowEnv() {
    return Map.of(
        "ALLOWED_VAULT_ADDRESSES", vault.baseUrl(), "ALLOWED_DYNATRACE_URLS", dynatrace.baseUrl());
  }

  /** An example from examples/sandbox with this class's simulator addresses. */
  String example(String file) throws IOException {
    return Files.readString(E2e.repo().resolve("examples/sandbox").resolve(file))
        .replace("http://127.0.0.1:8200", vault.baseUrl())
        .replace("http://127.0.0.1:8380", dynatrace.baseUrl());
  }

  @Override
  public void close() {
    dynatrace.close();
    vault.close();
  }
}
