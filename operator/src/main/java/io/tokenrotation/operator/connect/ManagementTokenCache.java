package io.tokenrotation.operator.connect;

import io.tokenrotation.operator.secret.SecretValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Management tokens read from Vault, kept in memory so that a fleet sharing one management token
 * does not read it once per rotation (docs/rotation.md, "The management token"). An entry is
 * forgotten:
 *
 * <ul>
 *   <li>after {@link #TTL}, so a management token replaced in Vault by someone else is picked up
 *       within a minute;
 *   <li>when the operator writes the secret it came from (a TokenRotation rotating the management
 *       token itself), whichever identity read it;
 *   <li>when Dynatrace refuses it (401/403): the next call reads Vault again.
 * </ul>
 *
 * <p>An entry is keyed by the Vault identity that read it (address, namespace, login), never by the
 * path alone: a resource whose own identity may not read the path never gets the value another
 * identity read (no confused deputy). Values are {@link SecretValue}s: never logged.
 */
final class ManagementTokenCache {
  static final Duration TTL = Duration.ofMinutes(1);

  /** One field of one secret, as read by one Vault identity. */
  record Key(
      String address, String namespace, String identity, String mount, String path, String field) {
    boolean sameSecret(String address, String namespace, String mount, String path) {
      return Objects.equals(this.address, address)
          && Objects.equals(this.namespace, namespace)
          && Objects.equals(this.mount, mount)
          && Objects.equals(this.path, path);
    }
  }

  private record Entry(SecretValue token, Instant readAt) {}

  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration ttl;

  ManagementTokenCache(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttl = ttl;
  }

  /** The remembered value if still fresh. */
  Optional<SecretValue> fresh(Key key) {
    Entry entry = entries.get(key);
    if (entry == null || !clock.instant().isBefore(entry.readAt().plus(ttl))) {
      return Optional.empty();
    }
    return Optional.of(entry.token());
  }

  /** The fresh value, or {@code read}'s (remembered). */
  SecretValue get(Key key, Supplier<SecretValue> read) {
    Optional<SecretValue> known = fresh(key);
    if (known.isPresent()) {
      return known.get();
    }
    SecretValue token = read.get();
    entries.put(key, new Entry(token, clock.instant()));
    return token;
  }

  void forget(Key key) {
    entries.remove(key);
  }

  /** The operator wrote this secret: whatever was read from it, by any identity, is stale. */
  void secretWritten(String address, String namespace, String mount, String path) {
    entries.keySet().removeIf(key -> key.sameSecret(address, namespace, mount, path));
  }

  int size() {
    return entries.size();
  }
}
