package io.tokenrotation.sim.vault;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Everything the simulated Vault holds: namespaces, tokens, seal status and the JWT verifier in
 * use.
 */
final class VaultState {
  final Clock clock;
  final TokenStore tokens;
  final AtomicReference<JwtVerifier> jwtVerifier;
  private final Map<String, VaultNamespace> namespaces = new ConcurrentSkipListMap<>();
  private volatile boolean sealed;

  VaultState(Clock clock) {
    this.clock = clock;
    this.tokens = new TokenStore(clock);
    this.jwtVerifier = new AtomicReference<>(new UnsignedClaimsJwtVerifier(clock));
    namespaces.put("", new VaultNamespace("", clock));
  }

  /** The namespace, created on first use by the seeding API. */
  VaultNamespace namespace(String name) {
    String n = VaultNamespace.normalize(name);
    return namespaces.computeIfAbsent(n, k -> new VaultNamespace(k, clock));
  }

  Optional<VaultNamespace> existing(String name) {
    return Optional.ofNullable(namespaces.get(VaultNamespace.normalize(name)));
  }

  Map<String, VaultNamespace> namespaces() {
    return Map.copyOf(namespaces);
  }

  boolean sealed() {
    return sealed;
  }

  void sealed(boolean sealed) {
    this.sealed = sealed;
  }
}
