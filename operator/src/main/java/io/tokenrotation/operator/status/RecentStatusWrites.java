package io.tokenrotation.operator.status;

import io.tokenrotation.operator.api.TokenRotation;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resource versions of the status writes this operator made that the informer has not shown
 * yet.
 *
 * <p>Why it exists: a rotation writes status three times in one reconcile. Each write produces a
 * watch event, and the informer delivers them some time later, one by one. JOSDK 5.2 keeps our
 * latest write in a temporary cache, but evicts it on the first of those events (it does not
 * compare resource versions for the primary resource). A reconcile that started at that moment saw
 * the first write (an intent with no outcome) and took the rotation for interrupted: it read Vault,
 * looked the token up and then failed its status write with 409. That cost two upstream calls and
 * one write about once per 50 rotations.
 *
 * <p>How it decides without parsing resource versions (Kubernetes says they are opaque): it
 * remembers which versions our writes replaced. If the cache shows one of those versions, the cache
 * is behind our own writes and the caller reads the resource from the API server (one GET, about
 * once per 50 rotations, instead of a Vault read, a lookup and a 409). If the cache shows our
 * latest write, or a version we never saw (someone else wrote after us), the cache is the truth and
 * the entry is dropped. Only version strings are kept, never copies of the resource: 10,000
 * resources adopted at once cost a few hundred bytes each until the informer catches up (copies
 * cost a 128 MiB operator its heap).
 */
public final class RecentStatusWrites {
  private final Map<String, Entry> byUid = new ConcurrentHashMap<>();

  /** Our write {@code stored} replaced {@code basedOn} (the resource version the write carried). */
  public void wrote(String basedOn, TokenRotation stored) {
    if (uid(stored) == null) {
      return; // not from an API server (a unit test's object): nothing to compare with
    }
    byUid.compute(
        uid(stored),
        (uid, entry) -> {
          Set<String> replaced = entry == null ? new HashSet<>() : new HashSet<>(entry.replaced());
          Set<String> ours = entry == null ? new HashSet<>() : new HashSet<>(entry.ours());
          if (entry != null) {
            replaced.add(entry.latest());
          }
          if (basedOn != null) {
            replaced.add(basedOn);
          }
          ours.add(version(stored));
          return new Entry(version(stored), Set.copyOf(replaced), Set.copyOf(ours));
        });
  }

  /**
   * True when {@code cached} shows a version one of our writes replaced: the caller must not act on
   * it, and reads the resource again.
   */
  public boolean behindOurWrites(TokenRotation cached) {
    String uid = uid(cached);
    Entry entry = uid == null ? null : byUid.get(uid);
    if (entry == null) {
      return false;
    }
    String version = version(cached);
    if (!version.equals(entry.latest()) && entry.replaced().contains(version)) {
      return true;
    }
    byUid.remove(uid, entry); // caught up, or someone wrote after us: the cache knows best
    return false;
  }

  /**
   * True for the watch event of one of our own writes: it tells the operator nothing it does not
   * know, and reconciling on it would only repeat the decision just taken. Forgets the entry once
   * the informer shows our latest write.
   */
  public boolean isOwnWrite(TokenRotation event) {
    String uid = uid(event);
    Entry entry = uid == null ? null : byUid.get(uid);
    if (entry == null) {
      return false;
    }
    String version = version(event);
    if (version.equals(entry.latest())) {
      byUid.remove(uid, entry);
      return true;
    }
    return entry.ours().contains(version);
  }

  /** The resource is gone. */
  public void forget(TokenRotation resource) {
    if (uid(resource) != null) {
      byUid.remove(uid(resource));
    }
  }

  /** Writes whose watch event has not arrived yet (for tests and metrics). */
  public int pending() {
    return byUid.size();
  }

  private static String uid(TokenRotation resource) {
    return resource.getMetadata().getUid();
  }

  private static String version(TokenRotation resource) {
    return String.valueOf(resource.getMetadata().getResourceVersion());
  }

  private record Entry(String latest, Set<String> replaced, Set<String> ours) {}
}
