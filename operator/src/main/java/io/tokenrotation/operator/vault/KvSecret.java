package io.tokenrotation.operator.vault;

import io.tokenrotation.operator.secret.SecretValue;
import java.util.Map;
import java.util.Optional;

/**
 * One version of a KV secret. {@code version} is the KV v2 version number (0 for KV v1, which has
 * none). The data map holds secret values: never log it; {@link #toString()} hides them.
 */
public record KvSecret(Map<String, String> data, long version) {
  public KvSecret {
    data = Map.copyOf(data);
  }

  public Optional<SecretValue> field(String name) {
    String value = data.get(name);
    return value == null ? Optional.empty() : Optional.of(SecretValue.of(value));
  }

  @Override
  public String toString() {
    return "KvSecret[fields=" + data.keySet() + ", version=" + version + "]";
  }
}
