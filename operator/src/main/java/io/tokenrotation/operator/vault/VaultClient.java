package io.tokenrotation.operator.vault;

import io.tokenrotation.operator.secret.SecretValue;
import java.util.Optional;

/**
 * Vault's KV engines as the operator uses them, bound to one connection (address, namespace, auth,
 * CA). Every failure is a {@link VaultException} with a typed {@link VaultException.Kind}.
 */
public interface VaultClient {

  /**
   * Resolves {@link KvVersion#AUTO} the way the Vault CLI does ({@code GET
   * /v1/sys/internal/ui/mounts/<mount>/<path>}; 404 -> v1), cached per mount; other values are
   * returned as they are.
   */
  KvVersion resolveVersion(String mount, String path, KvVersion requested);

  /**
   * Reads the current version of a secret; empty when it does not exist (or its current version is
   * deleted).
   */
  Optional<KvSecret> read(KvLocation location);

  /**
   * KV v2 only: the secret as it was at {@code version} ({@code GET
   * <mount>/data/<path>?version=N}). Empty when that version does not exist, or its data is gone
   * (soft-deleted, destroyed, or pruned by {@code max_versions}): Vault answers 404 to all of them.
   * Recovery reads it to learn whether its own check-and-set write happened.
   */
  Optional<KvSecret> readVersion(KvLocation location, long version);

  /**
   * Sets one field of the secret, keeping every other field, only if the secret is still {@code
   * expected}. KV v2: one {@code PATCH} (merge-patch) with {@code options.cas =
   * expected.version()}. KV v1: re-read, compare the whole data map with {@code expected.data()},
   * then write the merged map. A precondition failure throws VaultException kind CAS_CONFLICT.
   * Returns the secret as written (new version for v2).
   */
  KvSecret writeField(KvLocation location, String field, SecretValue value, KvSecret expected);

  /**
   * Creates the secret with one field only if it does not exist yet (KV v2: cas 0). Used to
   * bootstrap.
   */
  KvSecret createField(KvLocation location, String field, SecretValue value);
}
