package io.tokenrotation.operator.vault;

/**
 * Where a secret lives: mount (e.g. {@code secret}), path inside the mount, and the resolved engine
 * version.
 */
public record KvLocation(String mount, String path, KvVersion version) {
  public KvLocation {
    if (version == KvVersion.AUTO) {
      throw new IllegalArgumentException("resolve the KV version before building a location");
    }
  }

  /** For messages: {@code secret/dynatrace/automation_script1}. */
  public String display() {
    return mount + "/" + path;
  }
}
