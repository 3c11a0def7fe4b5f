package io.tokenrotation.sim.vault;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The secrets-engine mounts of one namespace; a request goes to the mount with the longest matching
 * path prefix.
 */
final class MountTable {
  private final Map<String, Mount> mounts = new ConcurrentSkipListMap<>();
  private final Clock clock;

  MountTable(Clock clock) {
    this.clock = clock;
  }

  /** "secret", "/secret/" and "secret/" all name the mount "secret/". */
  static String normalize(String mountPath) {
    String p = mountPath.replaceAll("^/+", "");
    if (p.isEmpty()) {
      throw new IllegalArgumentException("empty mount path");
    }
    return p.endsWith("/") ? p : p + "/";
  }

  /**
   * Mounts a fresh KV engine; an existing mount at the same path is kept when its version matches.
   */
  synchronized Mount mountKv(String mountPath, int kvVersion) {
    String path = normalize(mountPath);
    if (kvVersion != 1 && kvVersion != 2) {
      throw new IllegalArgumentException("kv version must be 1 or 2");
    }
    Mount existing = mounts.get(path);
    if (existing != null) {
      if (existing.engine().version() == kvVersion) {
        return existing;
      }
      throw new IllegalStateException("path is already in use at " + path);
    }
    for (String other : mounts.keySet()) {
      if (other.startsWith(path) || path.startsWith(other)) {
        throw new IllegalStateException("path is already in use at " + other);
      }
    }
    KvEngine engine = kvVersion == 2 ? new KvV2Engine(clock) : new KvV1Engine();
    Mount mount =
        new Mount(
            path, "kv_" + VaultIds.base62(8).toLowerCase(Locale.ROOT), VaultIds.uuid(), engine);
    mounts.put(path, mount);
    return mount;
  }

  /** The mount containing {@code path} (namespace-relative, no leading slash). */
  Optional<Mount> find(String path) {
    String probe = path.endsWith("/") ? path : path + "/";
    Mount best = null;
    for (Mount mount : mounts.values()) {
      if (probe.startsWith(mount.path())
          && (best == null || mount.path().length() > best.path().length())) {
        best = mount;
      }
    }
    return Optional.ofNullable(best);
  }

  Optional<Mount> exact(String mountPath) {
    return Optional.ofNullable(mounts.get(normalize(mountPath)));
  }

  Collection<Mount> all() {
    return List.copyOf(mounts.values());
  }
}
