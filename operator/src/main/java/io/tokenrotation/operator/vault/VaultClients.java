package io.tokenrotation.operator.vault;

import io.tokenrotation.operator.http.HttpClients;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.secret.SecretValue;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One {@link VaultClient} per connection, reused across reconciles: the key is address + namespace
 * + auth identity (e.g. the fingerprint of a static token, or mount/role/service account of a
 * Kubernetes login) + CA bundle. So a login is cached per identity, and two tenants never share a
 * client.
 */
public final class VaultClients {
  private final HttpClients http;
  private final UpstreamCallListener listener;
  private final ConcurrentHashMap<String, VaultClient> clients = new ConcurrentHashMap<>();

  public VaultClients(HttpClients http, UpstreamCallListener listener) {
    this.http = http;
    this.listener = listener;
  }

  /**
   * @param authIdentity a stable, non-secret description of who logs in (cache key)
   * @param auth creates the auth on a cache miss
   */
  public VaultClient forConnection(
      String address,
      String namespace,
      String authIdentity,
      Supplier<VaultAuth> auth,
      Optional<SecretValue> caPem) {
    String key =
        address.replaceAll("/+$", "")
            + "|"
            + namespace
            + "|"
            + authIdentity
            + "|"
            + caPem.map(SecretValue::fingerprint).orElse("");
    return clients.computeIfAbsent(
        key,
        k ->
            new OkHttpVaultClient(
                caPem.map(ca -> http.trusting(ca.reveal())).orElse(http.shared()),
                address,
                namespace,
                auth.get(),
                listener));
  }

  /** Drops cached clients (e.g. when a Vault token Secret changed). */
  public void clear() {
    clients.clear();
  }
}
