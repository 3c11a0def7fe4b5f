package io.tokenrotation.sim.vault;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All tokens of the simulated Vault, across namespaces. Expiry is judged against the injected clock
 * on every lookup, so a test can move time instead of sleeping.
 *
 * <p>Simplification (also stated on {@link VaultSimulator}): a token is valid only in the namespace
 * it was issued in; the root token is valid everywhere. Real Vault also lets parent-namespace
 * tokens reach child namespaces.
 */
final class TokenStore {
  static final String ROOT_TOKEN = "root";

  private final Map<String, TokenEntry> byId = new ConcurrentHashMap<>();
  private final Clock clock;

  TokenStore(Clock clock) {
    this.clock = clock;
    byId.put(
        ROOT_TOKEN,
        new TokenEntry(
            ROOT_TOKEN,
            VaultIds.accessor(),
            "",
            List.of("root"),
            Map.of(),
            "auth/token/root",
            "root",
            "",
            false,
            false,
            clock.instant(),
            Duration.ZERO));
  }

  /** Issues a service token; {@code default} is added to the policies as Vault does. */
  TokenEntry issue(
      String namespace,
      Collection<String> policies,
      Map<String, String> metadata,
      String path,
      String displayName,
      String entityId,
      Duration ttl,
      boolean renewable,
      boolean orphan) {
    TreeSet<String> all = new TreeSet<>(policies);
    if (!all.contains("root")) {
      all.add("default");
    }
    TokenEntry entry =
        new TokenEntry(
            VaultIds.serviceToken(),
            VaultIds.accessor(),
            namespace,
            new ArrayList<>(all),
            metadata,
            path,
            displayName,
            entityId,
            renewable,
            orphan,
            clock.instant(),
            ttl);
    byId.put(entry.id(), entry);
    return entry;
  }

  /**
   * The live token usable in {@code namespace}, or empty for unknown, expired or foreign-namespace
   * tokens.
   */
  Optional<TokenEntry> lookup(String token, String namespace) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    TokenEntry entry = byId.get(token);
    if (entry == null) {
      return Optional.empty();
    }
    if (entry.expired(clock.instant())) {
      byId.remove(token, entry); // Vault revokes expired tokens; they never come back
      return Optional.empty();
    }
    if (!entry.isRoot() && !entry.namespace().equals(namespace)) {
      return Optional.empty();
    }
    return Optional.of(entry);
  }

  TokenEntry root() {
    return byId.get(ROOT_TOKEN);
  }

  int size() {
    return byId.size();
  }
}
