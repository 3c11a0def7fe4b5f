package io.tokenrotation.sim.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** The metadata and versions of one KV v2 key. Not thread-safe: {@link KvV2Engine} guards it. */
final class KvV2Key {
  /**
   * One version. {@code deletionTime} null = not deleted; in the future = scheduled by
   * delete_version_after.
   */
  static final class Version {
    final long number;
    final Instant created;
    Instant deletionTime;
    boolean destroyed;
    ObjectNode data;

    Version(long number, Instant created, Instant deletionTime, ObjectNode data) {
      this.number = number;
      this.created = created;
      this.deletionTime = deletionTime;
      this.data = data;
    }

    boolean deleted(Instant now) {
      return deletionTime != null && !deletionTime.isAfter(now);
    }

    boolean live(Instant now) {
      return !destroyed && !deleted(now);
    }
  }

  final Instant created;
  Instant updated;
  long currentVersion;
  long oldestVersion;
  int maxVersions;
  boolean casRequired;
  Duration deleteVersionAfter = Duration.ZERO;

  /** null until custom_metadata is first set: reads then show {@code custom_metadata: null}. */
  Map<String, String> customMetadata;

  final TreeMap<Long, Version> versions = new TreeMap<>();

  KvV2Key(Instant created) {
    this.created = created;
    this.updated = created;
  }

  Version current() {
    return versions.get(currentVersion);
  }

  /**
   * Adds version current+1 and prunes exactly as the KV plugin's AddVersion does: keep max(key,
   * mount) max_versions (10 when both are 0); oldest_version stays 0 until the first prune.
   */
  Version addVersion(
      ObjectNode data, Instant now, int mountMaxVersions, Duration mountDeleteAfter) {
    currentVersion++;
    Duration after = !deleteVersionAfter.isZero() ? deleteVersionAfter : mountDeleteAfter;
    Version version =
        new Version(currentVersion, now, after.isZero() ? null : now.plus(after), data);
    versions.put(currentVersion, version);
    updated = now;
    int max = Math.max(maxVersions, mountMaxVersions);
    if (max <= 0) {
      max = KvV2Engine.DEFAULT_MAX_VERSIONS;
    }
    if (currentVersion - oldestVersion >= max) {
      long versionToDelete = currentVersion - max;
      for (long v = oldestVersion; v <= versionToDelete; v++) {
        versions.remove(v);
      }
      oldestVersion = versionToDelete + 1;
    }
    return version;
  }
}
