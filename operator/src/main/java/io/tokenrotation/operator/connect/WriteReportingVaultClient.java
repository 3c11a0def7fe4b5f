package io.tokenrotation.operator.connect;

import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.operator.vault.KvLocation;
import io.tokenrotation.operator.vault.KvSecret;
import io.tokenrotation.operator.vault.KvVersion;
import io.tokenrotation.operator.vault.VaultClient;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A Vault client that reports every write it attempts (answered or not: a write that timed out may
 * have happened), so that a management token remembered from that secret is read again.
 */
final class WriteReportingVaultClient implements VaultClient {
  private final VaultClient delegate;
  private final Consumer<KvLocation> written;

  WriteReportingVaultClient(VaultClient delegate, Consumer<KvLocation> written) {
    this.delegate = delegate;
    this.written = written;
  }

  @Override
  public KvVersion resolveVersion(String mount, String path, KvVersion requested) {
    return delegate.resolveVersion(mount, path, requested);
  }

  @Override
  public Optional<KvSecret> read(KvLocation location) {
    return delegate.read(location);
  }

  @Override
  public Optional<KvSecret> readVersion(KvLocation location, long version) {
    return delegate.readVersion(location, version);
  }

  @Override
  public KvSecret writeField(
      KvLocation location, String field, SecretValue value, KvSecret expected) {
    try {
      return delegate.writeField(location, field, value, expected);
    } finally {
      written.accept(location);
    }
  }

  @Override
  public KvSecret createField(KvLocation location, String field, SecretValue value) {
    try {
      return delegate.createField(location, field, value);
    } finally {
      written.accept(location);
    }
  }
}
