package io.tokenrotation.sim.dynatrace;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one environment's tokens, shared by API v1 and v2. Reads are lock-free; every change replaces
 * a whole {@link StoredToken} through {@link ConcurrentHashMap#computeIfPresent}, so concurrent
 * calls never lose an update. Secrets are not stored: a SHA-256 of each full token maps to its id.
 */
final class ApiTokenStore {
  private final Clock clock;
  private final Map<String, StoredToken> byId = new ConcurrentHashMap<>();
  private final Map<String, String> idByHash = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();

  ApiTokenStore(Clock clock) {
    this.clock = clock;
  }

  Instant now() {
    return clock.instant();
  }

  IssuedToken create(
      String name,
      Collection<String> scopes,
      String owner,
      Instant expiration,
      boolean personalAccessToken) {
    return create(name, scopes, owner, now(), expiration, personalAccessToken);
  }

  /**
   * With the creation instant the caller validated the expiry against, so "now+30d" is exactly 30
   * days.
   */
  IssuedToken create(
      String name,
      Collection<String> scopes,
      String owner,
      Instant createdAt,
      Instant expiration,
      boolean personalAccessToken) {
    String token;
    String id;
    do {
      token = TokenFormat.newToken();
      id = TokenFormat.idOf(token);
    } while (byId.containsKey(
        id)); // 24 base32 chars never collide in practice; this keeps it certain
    String hash = TokenFormat.hash(token);
    StoredToken stored =
        new StoredToken(
            id,
            hash,
            sequence.incrementAndGet(),
            name,
            true,
            owner,
            List.copyOf(scopes),
            createdAt,
            expiration,
            null,
            null,
            null,
            personalAccessToken);
    byId.put(id, stored);
    idByHash.put(hash, id);
    return new IssuedToken(id, token);
  }

  Optional<StoredToken> byId(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
  }

  /** The token whose full secret this is, whatever its state. */
  Optional<StoredToken> bySecret(String secret) {
    if (!TokenFormat.looksLikeToken(secret)) {
      return Optional.empty();
    }
    return byId(idByHash.get(TokenFormat.hash(secret)));
  }

  /** The token for an id or, as DELETE allows, a full secret. */
  Optional<StoredToken> byIdOrSecret(String idOrSecret) {
    return TokenFormat.looksLikeToken(idOrSecret) ? bySecret(idOrSecret) : byId(idOrSecret);
  }

  /**
   * The enabled, unexpired token for this secret; stamps its last use as the real service does.
   *
   * <p>UNCERTAIN (docs/reference/dynatrace-token-api.md): whether presenting a disabled token moves
   * its lastUsedDate is not documented. The simulator stamps it (the call is still refused with
   * 401), because Dynatrace's own rotation recipe relies on the waiting period after disabling to
   * find forgotten consumers; the operator only reports such a use, it never acts on it, so a
   * service that does not stamp makes it report nothing. An expired token is never stamped.
   */
  Optional<StoredToken> authenticate(String secret, String ipAddress) {
    Optional<StoredToken> token = bySecret(secret);
    if (token.isEmpty()) {
      return Optional.empty();
    }
    Instant now = now();
    StoredToken used =
        byId.computeIfPresent(
            token.get().id(),
            (id, current) ->
                current.usableAt(now) || presentedWhileDisabled(current, now)
                    ? current.usedAt(now, ipAddress)
                    : current);
    return used != null && used.usableAt(now) ? Optional.of(used) : Optional.empty();
  }

  private static boolean presentedWhileDisabled(StoredToken token, Instant now) {
    return !token.enabled()
        && (token.expirationDate() == null || token.expirationDate().isAfter(now));
  }

  /** Whether the secret would authenticate now, without counting as a use. */
  boolean authenticates(String secret) {
    return bySecret(secret).map(t -> t.usableAt(now())).orElse(false);
  }

  /** Seeding only: sets the creation and last-use dates of an existing token. */
  void rewriteHistory(String id, Instant createdAt, Instant lastUsedOrNull) {
    byId.computeIfPresent(
        id,
        (k, t) ->
            new StoredToken(
                t.id(),
                t.secretHash(),
                t.sequence(),
                t.name(),
                t.enabled(),
                t.owner(),
                t.scopes(),
                createdAt,
                t.expirationDate(),
                lastUsedOrNull,
                lastUsedOrNull == null ? null : "127.0.0.1",
                t.modifiedDate(),
                t.personalAccessToken()));
  }

  Optional<StoredToken> edit(String id, String name, Boolean enabled, List<String> scopes) {
    Instant now = now();
    return Optional.ofNullable(
        byId.computeIfPresent(id, (k, current) -> current.edited(name, enabled, scopes, now)));
  }

  boolean delete(String id) {
    StoredToken removed = byId.remove(id);
    if (removed == null) {
      return false;
    }
    idByHash.remove(removed.secretHash());
    return true;
  }

  /** A snapshot of all tokens in creation order. */
  List<StoredToken> all() {
    List<StoredToken> all = new ArrayList<>(byId.values());
    all.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
    return all;
  }
}
